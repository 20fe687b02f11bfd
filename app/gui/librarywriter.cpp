#include "librarywriter.h"

#include "sqlitedb.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QThread>

namespace paperlab::gui {
namespace {
// The writer's own connection gives up on a held lock quickly, so the window can say it is
// waiting within a second; the job is then simply tried again.
constexpr int kWriterBusyTimeoutMs = 800;
} // namespace

LibraryWriter::LibraryWriter(const QString &dbPath, QObject *parent)
    : QObject(parent)
    , m_dbPath(dbPath)
{
    m_thread = new QThread(this);
    m_thread->setObjectName(QStringLiteral("library writer"));
    m_worker = new QObject;
    m_worker->moveToThread(m_thread);
    connect(m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    m_thread->start();
}

LibraryWriter::~LibraryWriter()
{
    m_closing = true;
    // Queued after every edit, so those run first; the connection closes on its own thread.
    QMetaObject::invokeMethod(
        m_worker, [this] { m_library.reset(); }, Qt::QueuedConnection);
    m_thread->quit();
    m_thread->wait();
}

void LibraryWriter::submit(const QString &what, Job job, QObject *context, Done done, Failed failed)
{
    enqueue(Edit{what, std::move(job), context, context != nullptr, std::move(done), std::move(failed)});
}

void LibraryWriter::enqueue(const Edit &edit)
{
    ++m_pending;
    emit stateChanged();
    QMetaObject::invokeMethod(
        m_worker, [this, edit] { run(edit); }, Qt::QueuedConnection);
}

void LibraryWriter::run(const Edit &edit)
{
    for (;;) {
        try {
            if (!m_library) {
                m_library = std::make_unique<Library>(m_dbPath);
                m_library->database().setBusyTimeout(kWriterBusyTimeoutMs);
            }
            const QString result = edit.job(*m_library);
            QMetaObject::invokeMethod(
                this, [this, edit, result] { finished(edit, true, result); }, Qt::QueuedConnection);
            return;
        } catch (const std::exception &e) {
            const LibraryError why = explainFailure(e, m_dbPath);
            if (why.kind() == FailureKind::Busy && !m_closing) {
                // Another writer (an import, paperlab-cli) holds the lock: say so, and wait our turn.
                QMetaObject::invokeMethod(
                    this, [this] { setWaiting(true); }, Qt::QueuedConnection);
                continue;
            }
            if (why.kind() == FailureKind::Busy) {
                // Closing: one last full wait before giving up.
                try {
                    if (m_library)
                        m_library->database().setBusyTimeout(Database::busyTimeoutMs());
                    const QString result = m_library ? edit.job(*m_library) : QString();
                    if (m_library) {
                        QMetaObject::invokeMethod(
                            this, [this, edit, result] { finished(edit, true, result); }, Qt::QueuedConnection);
                        return;
                    }
                } catch (const std::exception &) {
                }
            }
            const QString message = why.message();
            QMetaObject::invokeMethod(
                this,
                [this, edit, message] {
                    m_lastError = message;
                    finished(edit, false, message);
                },
                Qt::QueuedConnection);
            return;
        } catch (...) {
            QMetaObject::invokeMethod(
                this, [this, edit] { finished(edit, false, tr("unknown error")); }, Qt::QueuedConnection);
            return;
        }
    }
}

void LibraryWriter::finished(const Edit &edit, bool ok, const QString &result)
{
    --m_pending;
    m_waiting = false;
    if (ok) {
        // A later edit of the same thing landed: an older failed one must not be retried over it
        // (a Retry would put back a stale note or status).
        m_failed.removeIf([&](const Edit &f) { return f.what == edit.what; });
        if (edit.done && (!edit.hasContext || edit.context))
            edit.done(result);
    } else {
        m_failed.append(edit);
        if (edit.failed && (!edit.hasContext || edit.context))
            edit.failed(result);
        emit editFailed(edit.what, result);
    }
    emit stateChanged();
}

void LibraryWriter::setWaiting(bool waiting)
{
    if (m_waiting == waiting || m_pending == 0)
        return;
    m_waiting = waiting;
    emit stateChanged();
}

void LibraryWriter::retryFailed()
{
    const QList<Edit> again = std::exchange(m_failed, {});
    m_lastError.clear();
    for (const Edit &e : again)
        enqueue(e);
    if (again.isEmpty())
        emit stateChanged();
}

bool LibraryWriter::waitForIdle(int timeoutMs)
{
    QDeadlineTimer deadline(timeoutMs);
    while (m_pending > 0 && !deadline.hasExpired())
        QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
    return m_pending == 0;
}

} // namespace paperlab::gui
