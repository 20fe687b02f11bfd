#include "facetcounter.h"

#include "workerlibrary.h"

#include <QThread>

namespace paperlab::gui {

// What the facet thread owns: its connection, opened there on first use.
struct FacetCounter::Worker {
    explicit Worker(const QString &dbPath)
        : library(dbPath)
    {}
    WorkerLibrary library;
};

FacetCounter::FacetCounter(const QString &dbPath, QObject *parent)
    : QObject(parent)
    , m_worker(std::make_shared<Worker>(dbPath))
{
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
    // The first counts at 100,000 papers load the facet index (~0.5 s): stop it, not wait for it.
    m_worker->library.interrupt();
    auto worker = m_worker;
    QMetaObject::invokeMethod(
        m_context, [worker] { worker->library.close(); }, Qt::BlockingQueuedConnection);
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
                Library &library = worker->library.get();
                try {
                    counts = FacetPanel::countFacets(library, request, stale);
                } catch (const LibraryError &) {
                    // The search's own fault (the search bar says why): the counts without it.
                    FacetRequest plain = request;
                    plain.searchText.clear();
                    plain.idsInHand.reset();
                    counts = FacetPanel::countFacets(library, plain, stale);
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
