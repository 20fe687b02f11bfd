#include "searchcontroller.h"

#include "firstpagefiller.h"
#include "searchquery.h"
#include "sqlitedb.h"
#include "wideprefixes.h"
#include "workerlibrary.h"

#include <QHash>
#include <QThread>

#include <algorithm>
#include <optional>

namespace paperlab::gui {

// Lives on the search thread; opens its Library there (a connection belongs to one thread).
class SearchWorker : public QObject {
    Q_OBJECT
public:
    SearchWorker(const QString &dbPath, std::shared_ptr<std::atomic_int> latest)
        : m_dbPath(dbPath)
        , m_latest(std::move(latest))
        , m_connection(dbPath)
    {}

    void run(int generation, const QString &text, const SearchOptions &options)
    {
        if (generation != m_latest->load())
            return; // a newer request is queued behind us
        QList<qint64> ids;
        QString error;
        const QString effective = withoutOneLetterWords(text);
        const QString cacheKey = cacheKeyOf(effective, options);
        const bool paged = options.limit < 0 && !options.recentOnly;
        bool firstShown = false;
        // The first page and the complete list from one snapshot: the rows filled in behind
        // the first screen are the ones that belong with it, even while an import commits.
        std::optional<ReadTransaction> snapshot;
        try {
            m_library = &m_connection.get();
            snapshot.emplace(m_library->database());
            noticeChanges();
            if (auto hit = m_cache.constFind(cacheKey); hit != m_cache.constEnd()) {
                emit finished(generation, *hit, text, QString(), true);
                return;
            }
            if (const QList<qint64> *page = paged ? computedFirstPage(effective, options) : nullptr) {
                const bool complete = page->size() < SearchController::kFirstPage;
                emit finished(generation, *page, text, QString(), complete);
                if (complete || generation != m_latest->load())
                    return;
                firstShown = true;
            }
            // The first screen, shown as soon as it is read, then the complete list (findIds
            // reads both in this snapshot and stops after the first if the user typed on). A
            // keystroke that comes while either is read stops it: the next request waits for
            // nothing (the complete list at 100,000 papers takes up to 0.4 s).
            const CancelWhen typedOn(m_library->database(),
                                     [this, generation] { return generation != m_latest->load(); });
            bool stale = false;
            ids = m_library->findIds(effective, options, paged && !firstShown ? SearchController::kFirstPage : 0,
                                     [&](const QList<qint64> &first) {
                                         emit finished(generation, first, text, QString(), false);
                                         firstShown = true;
                                         stale = generation != m_latest->load();
                                         return !stale;
                                     });
            if (stale)
                return;                     // the user typed on: the rest of this list is not wanted
        } catch (const std::exception &e) { // LibraryError (bad query) or an SQL failure
            if (firstShown)
                return; // interrupted (quitting) after a valid first page: keep what was shown
            error = QString::fromUtf8(e.what());
        }
        emit finished(generation, ids, text, error, true);
        if (error.isEmpty())
            remember(cacheKey, ids);
    }

    // Any thread: stops the statement under way and those to come (quitting does not wait for
    // a complete list); close() then stops the first pages' fill the same way.
    void interrupt() { m_connection.interrupt(); }

    void close()
    {
        m_filler.stop();
        m_library = nullptr;
        m_connection.close();
    }
    void forget() { m_cache.clear(); }

signals:
    void finished(int generation, const QList<qint64> &ids, const QString &query, const QString &error, bool complete);

private:
    // Called inside the snapshot: when anyone committed since the last look (this app's writer,
    // another process), every result held is stale and the wide prefixes' first screens are
    // computed again for this version.
    void noticeChanges()
    {
        const qint64 version = m_library->database().dataVersion();
        if (version == m_version)
            return;
        m_version = version;
        m_cache.clear();
        m_pages.clear();
        m_pagesVersion = -1;
        m_filler.start(version, this, [this](qint64 v, const FirstPageFiller::Pages &pages) {
            // Adopted only when nothing was committed since the fill was asked for: its
            // snapshot is then the state this connection reads.
            try {
                if (m_library && v == m_version && m_library->database().dataVersion() == v) {
                    m_pages = pages;
                    m_pagesVersion = v;
                }
            } catch (const std::exception &) {
            }
        });
    }

    // The first screen computed ahead for a one-word query that is a wide prefix, with the
    // options it was computed for (relevance, no facets); null when there is none.
    const QList<qint64> *computedFirstPage(const QString &effective, const SearchOptions &options) const
    {
        if (m_pagesVersion != m_version || options.sort != SortKey::Relevance || options.descending ||
            !std::all_of(options.facets.begin(), options.facets.end(),
                         [](const FacetFilter &f) { return f.values.isEmpty(); }))
            return nullptr;
        const QString key = widePrefixKey(effective);
        if (key.isEmpty())
            return nullptr;
        auto it = m_pages.constFind(key);
        return it == m_pages.constEnd() ? nullptr : &*it;
    }

    // The last few complete results (backspace, clearing the box, toggling a facet back),
    // dropped whenever the library changes (SearchController::refresh).
    static QString cacheKeyOf(const QString &text, const SearchOptions &o)
    {
        QString key = text + QChar(1) + QString::number(int(o.sort)) + QString::number(o.descending) +
                      QString::number(o.recentOnly) + QString::number(o.limit);
        for (const FacetFilter &f : o.facets)
            key += QChar(2) + QString::number(int(f.facet)) + f.values.join(QChar(3));
        return key;
    }
    void remember(const QString &key, const QList<qint64> &ids)
    {
        if (m_cache.size() >= 16)
            m_cache.clear();
        m_cache.insert(key, ids);
    }

    QHash<QString, QList<qint64>> m_cache;
    QString m_dbPath;
    FirstPageFiller m_filler{m_dbPath, SearchController::kFirstPage};
    FirstPageFiller::Pages m_pages;
    qint64 m_version = -1;      // data_version of the last look
    qint64 m_pagesVersion = -1; // the version m_pages belong to
    std::shared_ptr<std::atomic_int> m_latest;
    WorkerLibrary m_connection;   // opened and closed on the search thread
    Library *m_library = nullptr; // m_connection's, once opened
};

SearchController::SearchController(const QString &dbPath, QObject *parent)
    : QObject(parent)
{
    m_thread = new QThread(this);
    m_thread->setObjectName(QStringLiteral("search"));
    m_worker = new SearchWorker(dbPath, m_latest);
    m_worker->moveToThread(m_thread);
    connect(m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    connect(m_worker, &SearchWorker::finished, this, &SearchController::onWorkerResult, Qt::QueuedConnection);
    m_thread->start();

    m_debounce.setSingleShot(true);
    m_debounce.setInterval(120);
    connect(&m_debounce, &QTimer::timeout, this, &SearchController::dispatch);
}

SearchController::~SearchController()
{
    m_latest->store(-1);
    // A complete id list at 100,000 papers takes ~0.4 s: stop it rather than wait for it.
    m_worker->interrupt();
    QMetaObject::invokeMethod(m_worker, &SearchWorker::close, Qt::BlockingQueuedConnection);
    m_thread->quit();
    m_thread->wait();
}

void SearchController::setQueryText(const QString &text)
{
    if (text == m_text && !m_debounce.isActive())
        return;
    m_text = text;
    if (m_debounce.interval() <= 0)
        dispatch();
    else
        m_debounce.start();
}

void SearchController::setFacets(const QList<FacetFilter> &facets, bool recentOnly)
{
    m_options.facets = facets;
    m_options.recentOnly = recentOnly;
    dispatch();
}

void SearchController::setSort(SortKey key, bool descending)
{
    m_options.sort = key;
    m_options.descending = descending;
    dispatch();
}

void SearchController::invalidate()
{
    QMetaObject::invokeMethod(m_worker, &SearchWorker::forget, Qt::QueuedConnection);
}

void SearchController::refresh()
{
    // The library changed (an edit, an import): cached results may be wrong now.
    QMetaObject::invokeMethod(m_worker, &SearchWorker::forget, Qt::QueuedConnection);
    dispatch();
}

void SearchController::dispatch()
{
    m_debounce.stop();
    const int generation = m_latest->fetch_add(1) + 1;
    const QString text = m_text;
    const SearchOptions options = m_options;
    SearchWorker *worker = m_worker;
    QMetaObject::invokeMethod(
        m_worker, [worker, generation, text, options] { worker->run(generation, text, options); },
        Qt::QueuedConnection);
}

void SearchController::onWorkerResult(int generation, const QList<qint64> &ids, const QString &query,
                                      const QString &error, bool complete)
{
    if (generation != m_latest->load())
        return; // stale: the user typed on
    if (!error.isEmpty()) {
        emit queryError(error);
        return;
    }
    if (m_shownGeneration == generation) {
        // The rest of a result whose first page is already shown.
        emit resultsCompleted(ids);
        return;
    }
    m_shownGeneration = generation;
    emit queryOk();
    emit resultsReady(ids, query);
    if (complete)
        emit resultsCompleted(ids);
}

} // namespace paperlab::gui

#include "searchcontroller.moc"
