#include "importcontroller.h"

#include <QPointer>
#include <QtConcurrent/QtConcurrentRun>

namespace paperlab::gui {

ImportController::ImportController(QString dbPath, QObject *parent)
    : QObject(parent)
    , m_dbPath(std::move(dbPath))
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
    if (m_watcher.isRunning())
        return false;
    m_paths = paths;
    m_cancel = false;
    m_report = {};
    m_failure.clear();
    QPointer<ImportController> self(this);
    m_watcher.setFuture(QtConcurrent::run([this, self, paths] {
        // The import is one transaction: while another process (paperlab-cli, a second
        // window) holds the write lock it is tried again, and the dialog says it is waiting.
        for (;;) {
            try {
                Library library(m_dbPath);
                m_report = library.importPaths(
                    paths,
                    [self](int done, int total) {
                        QMetaObject::invokeMethod(
                            self,
                            [self, done, total] {
                                if (self)
                                    emit self->progress(done, total);
                            },
                            Qt::QueuedConnection);
                    },
                    &m_cancel);
                return;
            } catch (const std::exception &e) {
                const LibraryError why = explainFailure(e, m_dbPath);
                if (why.kind() == FailureKind::Busy && !m_cancel) {
                    QMetaObject::invokeMethod(
                        self,
                        [self] {
                            if (self)
                                emit self->waiting();
                        },
                        Qt::QueuedConnection);
                    continue;
                }
                m_failure = why.message();
                return;
            }
        }
    }));
    return true;
}

} // namespace paperlab::gui
