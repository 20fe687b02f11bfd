#pragma once
// The one writer of the GUI: every edit (status, rating, tags, notes, flags, saved
// searches...) is a job queued to a worker thread with its own Library connection, run in
// order, and answered by a queued call on the GUI thread. The GUI thread never waits on
// SQLite's write lock, and no library error reaches the event loop:
//  - an edit made while an import (or another process) holds the write lock waits its turn,
//    retried until the lock is free, and the window shows it as pending ("waiting");
//  - an edit that fails otherwise becomes a message, and is kept to be retried.

#include "library.h"

#include <QObject>
#include <QPointer>

#include <atomic>
#include <functional>

class QThread;

namespace paperlab::gui {

class LibraryWriter : public QObject {
    Q_OBJECT
public:
    using Job = std::function<QString(Library &)>;       // runs on the writer thread
    using Done = std::function<void(const QString &)>;   // runs on the GUI thread, with Job's result
    using Failed = std::function<void(const QString &)>; // on the GUI thread, with the message

    explicit LibraryWriter(const QString &dbPath, QObject *parent = nullptr);
    // Lets the queued edits land (a busy index is tried once more), then closes the connection.
    ~LibraryWriter() override;

    // Queues `job`; `what` names the edit in messages ("status of SKVQ"). `done` runs after it
    // landed, `failed` when it did not (it is then kept for Retry), unless `context` is gone.
    // `what` also identifies the edit: once one lands, failed edits with the same `what` are
    // dropped, so Retry never replays an older value over a newer one.
    void submit(const QString &what, Job job, QObject *context = nullptr, Done done = {}, Failed failed = {});

    int pendingCount() const { return m_pending; }
    bool isWaiting() const { return m_waiting; } // the current edit waits for the write lock
    int failedCount() const { return int(m_failed.size()); }
    QString lastError() const { return m_lastError; }
    void retryFailed(); // queues the failed edits again, in order
    // Processes events until nothing is pending (tests, closing); false on timeout.
    bool waitForIdle(int timeoutMs = 30000);

signals:
    void stateChanged(); // pending, waiting or failed changed
    void editFailed(const QString &what, const QString &message);

private:
    struct Edit {
        QString what;
        Job job;
        QPointer<QObject> context;
        bool hasContext = false;
        Done done;
        Failed failed;
    };
    void enqueue(const Edit &edit);
    void run(const Edit &edit);                                      // writer thread
    void finished(const Edit &edit, bool ok, const QString &result); // GUI thread
    void setWaiting(bool waiting);

    QString m_dbPath;
    QThread *m_thread = nullptr;
    QObject *m_worker = nullptr;        // lives in m_thread; jobs are queued to it
    std::unique_ptr<Library> m_library; // opened and used on the writer thread only
    std::atomic_bool m_closing{false};
    int m_pending = 0;
    bool m_waiting = false;
    QList<Edit> m_failed;
    QString m_lastError;
};

} // namespace paperlab::gui
