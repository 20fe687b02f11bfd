#include "searchcontroller.h"

#include <QThread>

namespace paperlab::gui {

// Lives on the search thread; opens its Library there (a connection belongs to one thread).
class SearchWorker : public QObject {
    Q_OBJECT
public:
    SearchWorker(QString dbPath, std::shared_ptr<std::atomic_int> latest)
        : m_dbPath(std::move(dbPath)), m_latest(std::move(latest)) {}

    void run(int generation, const QString &text, const SearchOptions &options)
    {
        if (generation != m_latest->load()) return;   // a newer request is queued behind us
        QList<qint64> ids;
        QString error;
        try {
            if (!m_library) m_library = std::make_unique<Library>(m_dbPath);
            ids = m_library->findIds(text, options);
        } catch (const LibraryError &e) {
            error = e.message();
        }
        emit finished(generation, ids, text, error);
    }

    void close() { m_library.reset(); }

signals:
    void finished(int generation, const QList<qint64> &ids, const QString &query, const QString &error);

private:
    QString m_dbPath;
    std::shared_ptr<std::atomic_int> m_latest;
    std::unique_ptr<Library> m_library;
};

SearchController::SearchController(const QString &dbPath, QObject *parent) : QObject(parent)
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
    QMetaObject::invokeMethod(m_worker, &SearchWorker::close, Qt::BlockingQueuedConnection);
    m_thread->quit();
    m_thread->wait();
}

void SearchController::setQueryText(const QString &text)
{
    if (text == m_text && !m_debounce.isActive()) return;
    m_text = text;
    if (m_debounce.interval() <= 0) dispatch();
    else m_debounce.start();
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

void SearchController::refresh() { dispatch(); }

void SearchController::dispatch()
{
    m_debounce.stop();
    const int generation = m_latest->fetch_add(1) + 1;
    const QString text = m_text;
    const SearchOptions options = m_options;
    SearchWorker *worker = m_worker;
    QMetaObject::invokeMethod(m_worker, [worker, generation, text, options] { worker->run(generation, text, options); },
                              Qt::QueuedConnection);
}

void SearchController::onWorkerResult(int generation, const QList<qint64> &ids, const QString &query, const QString &error)
{
    if (generation != m_latest->load()) return;   // stale: the user typed on
    if (!error.isEmpty()) {
        emit queryError(error);
        return;
    }
    emit queryOk();
    emit resultsReady(ids, query);
}

} // namespace paperlab::gui

#include "searchcontroller.moc"
