#include "firstpagefiller.h"

#include "library.h"
#include "sqlitedb.h"
#include "wideprefixes.h"

#include <QThread>

#include <mutex>

#ifdef Q_OS_LINUX
#include <sys/resource.h>
#endif

namespace paperlab::gui {
namespace {
constexpr int kStartDelayMs = 300;
}

struct FirstPageFiller::Fill {
    std::atomic_bool stop{false};
    std::mutex mutex; // guards `library` against the fill's end while stop() interrupts it
    Library *library = nullptr;

    void interrupt()
    {
        stop.store(true);
        const std::lock_guard<std::mutex> lock(mutex);
        if (library)
            library->database().interrupt();
    }
    void attach(Library *l)
    {
        const std::lock_guard<std::mutex> lock(mutex);
        library = l;
    }
    // Attached for its lifetime: detached before the connection closes, also when the fill
    // throws (interrupted).
    struct Attached {
        Attached(Fill &f, Library &l)
            : fill(f)
        {
            fill.attach(&l);
        }
        ~Attached() { fill.attach(nullptr); }
        Attached(const Attached &) = delete;
        Attached &operator=(const Attached &) = delete;
        Fill &fill;
    };
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
    m_fill = std::make_shared<Fill>();
    auto fill = m_fill;
    const std::atomic_bool *stopFlag = &fill->stop;
    const QString dbPath = m_dbPath;
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
            Library library(dbPath);
            const Fill::Attached attached(*fill, library);
            // A stop() that came before attach() found no connection to interrupt: it is seen here.
            const Pages pages = firstPagesOfWidePrefixes(library, pageSize, stopFlag);
            if (stopFlag->load())
                return;
            QMetaObject::invokeMethod(
                receiver,
                [=] {
                    if (!fill->stop.load())
                        done(version, pages);
                },
                Qt::QueuedConnection);
        } catch (const std::exception &) {
            // Nothing computed ahead (a damaged or vanished index is reported by the searches).
        }
    }));
    m_thread->setObjectName(QStringLiteral("first pages"));
    m_thread->start();
}

} // namespace paperlab::gui
