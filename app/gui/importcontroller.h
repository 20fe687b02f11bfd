#pragma once
// Imports files or folders off the GUI thread. The worker opens its own Library on the same
// database (WAL lets the GUI keep reading); progress comes back by queued calls, cancel is an
// atomic flag the catalog polls, and the whole import is one transaction (all or nothing).

#include "library.h"

#include <QFutureWatcher>
#include <QObject>

#include <atomic>

namespace paperlab::gui {

class ImportController : public QObject {
    Q_OBJECT
public:
    explicit ImportController(QString dbPath, QObject *parent = nullptr);
    ~ImportController() override;

    bool start(const QStringList &paths); // false while one is running
    void cancel() { m_cancel = true; }
    bool isRunning() const { return m_watcher.isRunning(); }
    const ImportReport &report() const { return m_report; }
    QString failure() const { return m_failure; } // a LibraryError that stopped the import
    QStringList paths() const { return m_paths; }

signals:
    void progress(int done, int total);
    void waiting(); // another connection holds the write lock; the import is tried again
    void finished();

private:
    QString m_dbPath;
    QStringList m_paths;
    std::atomic_bool m_cancel{false};
    QFutureWatcher<void> m_watcher;
    ImportReport m_report;
    QString m_failure;
};

} // namespace paperlab::gui
