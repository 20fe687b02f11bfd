#pragma once
// Search as you type, off the GUI thread: the query text, facet narrowing and sort order are
// gathered here, debounced, and run by a worker thread that owns its own Library connection.
// Every request carries a generation number; results of anything but the newest are dropped,
// and the worker skips requests that are already stale when it gets to them.

#include "library.h"

#include <QObject>
#include <QTimer>

#include <atomic>
#include <memory>

class QThread;

namespace paperlab::gui {

class SearchWorker;

class SearchController : public QObject {
    Q_OBJECT
public:
    explicit SearchController(const QString &dbPath, QObject *parent = nullptr);
    ~SearchController() override;

    void setQueryText(const QString &text);                            // debounced
    void setFacets(const QList<FacetFilter> &facets, bool recentOnly); // immediate
    void setSort(SortKey key, bool descending);                        // immediate
    void refresh();    // forget cached results and re-run now (after imports)
    void invalidate(); // forget cached results (after an edit)
    void setDebounce(int ms) { m_debounce.setInterval(ms); }

    // One screen of rows (a full-height window shows about 40): ranking and reading fewer rows
    // before the first paint keeps a keystroke within a frame; the rest follows.
    static constexpr int kFirstPage = 50;

    QString queryText() const { return m_text; }
    SortKey sortKey() const { return m_options.sort; }
    bool descending() const { return m_options.descending; }

signals:
    // The newest results, in display order; `query` is the text they answer (for highlighting).
    // A large result comes in two steps: its first kFirstPage rows (fast, so the table updates
    // within a keystroke), then resultsCompleted with every id, beginning with those rows.
    void resultsReady(const QList<qint64> &ids, const QString &query);
    void resultsCompleted(const QList<qint64> &ids);
    void queryError(const QString &message);
    void queryOk();

private:
    void dispatch();
    void onWorkerResult(int generation, const QList<qint64> &ids, const QString &query, const QString &error,
                        bool complete);

    QThread *m_thread = nullptr;
    SearchWorker *m_worker = nullptr;
    std::shared_ptr<std::atomic_int> m_latest = std::make_shared<std::atomic_int>(0);
    QTimer m_debounce;
    QString m_text;
    SearchOptions m_options;
    int m_shownGeneration = -1;
};

} // namespace paperlab::gui
