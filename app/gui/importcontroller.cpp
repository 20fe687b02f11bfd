#include "importcontroller.h"

#include <QPointer>
#include <QtConcurrent/QtConcurrentRun>

namespace paperlab::gui {

ImportController::ImportController(QString dbPath, QObject *parent) : QObject(parent), m_dbPath(std::move(dbPath))
{
    connect(&m_watcher, &QFutureWatcher<void>::finished, this, &ImportController::finished);
}

ImportController::~ImportController()
{
    m_cancel = true;
    m_watcher.waitForFinished();
}

bool ImportController::start(const QStringList &paths)
{
    if (m_watcher.isRunning()) return false;
    m_paths = paths;
    m_cancel = false;
    m_report = {};
    m_failure.clear();
    QPointer<ImportController> self(this);
    m_watcher.setFuture(QtConcurrent::run([this, self, paths] {
        try {
            Library library(m_dbPath);
            m_report = library.importPaths(paths, [self](int done, int total) {
                QMetaObject::invokeMethod(self, [self, done, total] { if (self) emit self->progress(done, total); }, Qt::QueuedConnection);
            }, &m_cancel);
        } catch (const LibraryError &e) {
            m_failure = e.message();
        } catch (const std::exception &e) {
            m_failure = QString::fromLocal8Bit(e.what());
        }
    }));
    return true;
}

} // namespace paperlab::gui
