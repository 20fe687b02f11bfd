#pragma once
// Computes the first screens of the wide prefixes (catalog/wideprefixes.h) on a thread and a
// connection of its own, so neither the GUI thread nor the search thread waits for them: at
// 100,000 papers a fill reads the term list (~0.5 s) and runs a dozen or more slow matches.

#include <QHash>
#include <QList>
#include <QObject>
#include <QString>

#include <atomic>
#include <functional>
#include <memory>

class QThread;

namespace paperlab::gui {

class FirstPageFiller {
public:
    using Pages = QHash<QString, QList<qint64>>;
    using Done = std::function<void(qint64 version, const Pages &pages)>;

    FirstPageFiller(QString dbPath, int pageSize);
    ~FirstPageFiller(); // stops a fill under way and waits for its thread
    FirstPageFiller(const FirstPageFiller &) = delete;
    FirstPageFiller &operator=(const FirstPageFiller &) = delete;

    // Starts a fill (stopping one under way); `done` runs in `receiver`'s thread with the
    // pages and the `version` it was started for, unless a later start or the end came first.
    // It runs more than once: with the pages so far after each slow prefix (the widest, which
    // come first: at 100,000 papers ~0.1 s each, 1.5 s for the whole fill), then with all.
    // `receiver` must outlive this filler.
    // A failed fill delivers nothing: every keystroke is still answered by a query.
    void start(qint64 version, QObject *receiver, Done done);
    void stop();

private:
    // One fill's stop flag and connection: stop() interrupts the statement the fill is in (a
    // wide prefix's match can take ~0.1 s at 100,000 papers) instead of waiting for it.
    struct Fill;

    QString m_dbPath;
    int m_pageSize;
    std::unique_ptr<QThread> m_thread;
    std::shared_ptr<Fill> m_fill;
};

} // namespace paperlab::gui
