#pragma once
// The facet tree's counts, off the GUI thread: a worker thread with its own Library connection
// counts what FacetPanel::request() describes and hands the counts back by signal, so a
// keystroke never waits for them. Every request carries a generation number: a newer one
// makes the worker skip or stop an older one (between facets), and an older result that
// still arrives is dropped.

#include "facetpanel.h"

#include <QObject>

#include <atomic>
#include <memory>

class QThread;

namespace paperlab::gui {

class FacetCounter : public QObject {
    Q_OBJECT
public:
    explicit FacetCounter(const QString &dbPath, QObject *parent = nullptr);
    ~FacetCounter() override;

    void request(const FacetRequest &request);

signals:
    // The counts of the newest request. `invalidSearch`: its search text could not be run, so
    // these are the counts without it (what a tree that has none yet can show).
    void countsReady(const QHash<int, paperlab::FacetCounts> &counts, const paperlab::gui::FacetRequest &request,
                     bool invalidSearch);
    void failed(const QString &message); // the index could not be read (busy, damaged)

private:
    struct Worker;
    QThread *m_thread = nullptr;
    QObject *m_context = nullptr; // lives on m_thread; runs the requests there
    std::shared_ptr<Worker> m_worker;
    std::shared_ptr<std::atomic_int> m_latest = std::make_shared<std::atomic_int>(0);
};

} // namespace paperlab::gui
