#include "firstpagefiller.h"

#include "library.h"
#include "wideprefixes.h"
#include "workerlibrary.h"

#include <QElapsedTimer>
#include <QThread>

#ifdef Q_OS_LINUX
#include <sys/resource.h>
#endif

namespace paperlab::gui {
namespace {
constexpr int kStartDelayMs = 300;
// A prefix whose page took this long to compute would cost a keystroke more than a frame:
// its page is handed over at once rather than with the whole fill.
constexpr qint64 kHandOverMs = 16;
} // namespace

struct FirstPageFiller::Fill {
    explicit Fill(const QString &dbPath)
        : library(dbPath)
    {}
    void interrupt()
    {
        stop.store(true);
        library.interrupt();
    }
    std::atomic_bool stop{false};
    WorkerLibrary library; // opened and closed on the fill's thread
};

FirstPageFiller::FirstPageFiller(QString dbPath, int pageSize)
    : m_dbPath(std::move(dbPath))
    , m_pageSize(pageSize)
{}

FirstPageFiller::~FirstPageFiller()
{
    stop();
}

void FirstPageFiller::stop()
{
    if (!m_thread)
        return;
    m_fill->interrupt();
    m_thread->wait();
    m_thread.reset();
}

void FirstPageFiller::start(qint64 version, QObject *receiver, Done done)
{
    stop();
    // A flag of each fill's own: a stopped fill must not see the next one's flag cleared.
    m_fill = std::make_shared<Fill>(m_dbPath);
    auto fill = m_fill;
    const std::atomic_bool *stopFlag = &fill->stop;
    const int pageSize = m_pageSize;
    // `receiver` owns this filler, which joins the thread before it goes: it outlives the fill.
    m_thread.reset(QThread::create([=] {
#ifdef Q_OS_LINUX
        // Behind the keystrokes: on 2 cores a fill at the same weight as the search thread
        // doubled the first query's keystrokes. (Qt's thread priorities do nothing under Linux's
        // default policy; a nice value is per thread there.)
        setpriority(PRIO_PROCESS, 0, 10);
#endif
        // The first paint and the first searches come first: start-up reads the same pages.
        for (int waited = 0; waited < kStartDelayMs; waited += 20) {
            if (stopFlag->load())
                return;
            QThread::msleep(20);
        }
        try {
            auto handOver = [=](const Pages &pages) {
                QMetaObject::invokeMethod(
                    receiver,
                    [=] {
                        if (!fill->stop.load())
                            done(version, pages);
                    },
                    Qt::QueuedConnection);
            };
            QElapsedTimer sincePrevious;
            sincePrevious.start();
            // A stop() before the connection opened interrupts it as it opens.
            const Pages pages = firstPagesOfWidePrefixes(fill->library.get(), pageSize, stopFlag, kWidePrefixMinTerms,
                                                         [&](const Pages &soFar) {
                                                             if (sincePrevious.restart() >= kHandOverMs)
                                                                 handOver(soFar);
                                                         });
            fill->library.close();
            if (stopFlag->load())
                return;
            handOver(pages);
        } catch (const std::exception &) {
            // Nothing computed ahead (a damaged or vanished index is reported by the searches,
            // or stopped: interrupted).
            fill->library.close();
        }
    }));
    m_thread->setObjectName(QStringLiteral("first pages"));
    m_thread->start();
}

} // namespace paperlab::gui
