#include "facetcounter.h"

#include <QThread>

namespace paperlab::gui {

// What the search thread owns: its connection, opened there on first use (a connection
// belongs to one thread).
struct FacetCounter::Worker {
    QString dbPath;
    std::unique_ptr<Library> library;
};

FacetCounter::FacetCounter(const QString &dbPath, QObject *parent)
    : QObject(parent)
    , m_worker(std::make_shared<Worker>())
{
    m_worker->dbPath = dbPath;
    m_thread = new QThread(this);
    m_thread->setObjectName(QStringLiteral("facet counts"));
    m_context = new QObject;
    m_context->moveToThread(m_thread);
    connect(m_thread, &QThread::finished, m_context, &QObject::deleteLater);
    m_thread->start();
}

FacetCounter::~FacetCounter()
{
    m_latest->store(-1);
    auto worker = m_worker;
    QMetaObject::invokeMethod(
        m_context, [worker] { worker->library.reset(); }, Qt::BlockingQueuedConnection);
    m_thread->quit();
    m_thread->wait();
}

void FacetCounter::request(const FacetRequest &request)
{
    const int generation = m_latest->fetch_add(1) + 1;
    auto worker = m_worker;
    auto latest = m_latest;
    // The destructor waits for the job in hand, and a result posted to a deleted counter is dropped.
    FacetCounter *self = this;
    QMetaObject::invokeMethod(
        m_context,
        [worker, latest, generation, request, self] {
            auto stale = [&] { return latest->load() != generation; };
            if (stale())
                return; // a newer request is queued behind this one
            QHash<int, FacetCounts> counts;
            bool invalid = false;
            QString failure;
            try {
                if (!worker->library)
                    worker->library = std::make_unique<Library>(worker->dbPath);
                try {
                    counts = FacetPanel::countFacets(*worker->library, request, stale);
                } catch (const LibraryError &) {
                    // The search's own fault (the search bar says why): the counts without it.
                    FacetRequest plain = request;
                    plain.searchText.clear();
                    plain.idsInHand.reset();
                    counts = FacetPanel::countFacets(*worker->library, plain, stale);
                    invalid = true;
                }
            } catch (const std::exception &e) {
                failure = QString::fromUtf8(e.what());
            }
            if (stale())
                return;
            QMetaObject::invokeMethod(
                self,
                [self, latest, generation, counts, request, invalid, failure] {
                    if (latest->load() != generation)
                        return; // a newer request was made since
                    if (!failure.isEmpty())
                        emit self->failed(failure);
                    else
                        emit self->countsReady(counts, request, invalid);
                },
                Qt::QueuedConnection);
        },
        Qt::QueuedConnection);
}

} // namespace paperlab::gui
