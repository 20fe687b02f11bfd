// FacetCounter: the facet tree's counts on their own thread and connection, by signal; the
// newest request wins; an invalid search still yields counts for a tree that has none;
// quitting stops the counts under way.

#include "apptestsupport.h"
#include "facetcounter.h"
#include "timingtest.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTest>
#include <QThread>

using namespace paperlab;
using namespace paperlab::gui;

namespace {

QStringList lines(const QHash<int, FacetCounts> &counts)
{
    QStringList out;
    for (auto it = counts.cbegin(); it != counts.cend(); ++it)
        for (const FacetValue &v : it->values)
            out << QStringLiteral("%1|%2|%3").arg(it.key()).arg(v.value).arg(v.count);
    out.sort();
    return out;
}

FacetRequest searchFor(const QString &text)
{
    FacetRequest r;
    r.searchText = text;
    return r;
}

} // namespace

class TestFacetCounter : public QObject {
    Q_OBJECT
    std::unique_ptr<testing::TestLibrary> m_lib;

private slots:
    void initTestCase()
    {
        testing::isolateSettings();
        m_lib = testing::makeTestLibrary();
    }

    // What arrives is what FacetPanel::countFacets counts on the caller's own connection.
    void countsArriveBySignal_data()
    {
        QTest::addColumn<QString>("search");
        QTest::newRow("every paper") << QString();
        QTest::newRow("a search") << QStringLiteral("attention");
        QTest::newRow("a search matching nothing") << QStringLiteral("zzyzxquokka");
    }
    void countsArriveBySignal()
    {
        QFETCH(QString, search);
        FacetCounter counter(m_lib->db);
        QSignalSpy ready(&counter, &FacetCounter::countsReady);
        const Qt::HANDLE caller = QThread::currentThreadId();
        counter.request(searchFor(search));
        QVERIFY(ready.isEmpty()); // never counted inside request()
        QVERIFY(ready.wait(30000));
        QCOMPARE(ready.size(), 1);
        QCOMPARE(QThread::currentThreadId(), caller);
        Library lib(m_lib->db);
        const auto counts = ready.first().at(0).value<QHash<int, FacetCounts>>();
        QCOMPARE(lines(counts), lines(FacetPanel::countFacets(lib, searchFor(search))));
        QVERIFY(!ready.first().at(2).toBool());
        QCOMPARE(ready.first().at(1).value<FacetRequest>().searchText, search);
    }

    // Requests made one after another: only the newest one's counts arrive.
    void newestRequestWins()
    {
        FacetCounter counter(m_lib->db);
        QSignalSpy ready(&counter, &FacetCounter::countsReady);
        counter.request(searchFor(QStringLiteral("attention")));
        counter.request(searchFor(QStringLiteral("quantization")));
        counter.request(searchFor(QStringLiteral("cache")));
        QVERIFY(ready.wait(30000));
        QTest::qWait(200); // anything older would have arrived by now
        QCOMPARE(ready.size(), 1);
        QCOMPARE(ready.first().at(1).value<FacetRequest>().searchText, QStringLiteral("cache"));
    }

    // A search FTS5 cannot run: the counts without it, said so.
    void invalidSearchFallsBackToAllPapers()
    {
        FacetCounter counter(m_lib->db);
        QSignalSpy ready(&counter, &FacetCounter::countsReady);
        counter.request(searchFor(QStringLiteral("\"unbalanced")));
        QVERIFY(ready.wait(30000));
        QVERIFY(ready.first().at(2).toBool());
        Library lib(m_lib->db);
        QCOMPARE(lines(ready.first().at(0).value<QHash<int, FacetCounts>>()),
                 lines(FacetPanel::countFacets(lib, FacetRequest())));
    }

    // Quitting while the first counts load the facet index (every paper's values; ~0.5 s at
    // 100,000 papers in the app): the counter's end interrupts its connection. Before, the
    // destructor waited for the load and the counts, and so did the app's exit.
    void quitInterruptsTheFirstCounts()
    {
        PAPERLAB_SKIP_TIMING_UNDER_ASAN();
        // 300,000 papers over 25 years and three venues.
        const testing::BigLibrary big(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 300000) "
            "INSERT INTO papers(key, title, year, venue, added_at, updated_at) "
            "SELECT 'p' || i, 'Paper', 2000 + i % 25, CASE i % 3 WHEN 0 THEN 'ICML' WHEN 1 THEN 'ICLR' ELSE "
            "'NeurIPS' END, 0, 0 FROM n");
        QElapsedTimer clock;
        clock.start();
        {
            Library lib(big.db);
            QVERIFY(!FacetPanel::countFacets(lib, FacetRequest()).isEmpty());
        }
        const qint64 counting = clock.elapsed();

        const bool held = testing::holdsInOneOfThree([&] {
            auto counter = std::make_unique<FacetCounter>(big.db);
            QSignalSpy ready(counter.get(), &FacetCounter::countsReady);
            counter->request(FacetRequest());
            QThread::msleep(counting / 3); // inside the load
            clock.restart();
            counter.reset();
            const qint64 quit = clock.elapsed();
            qInfo("the first counts: %lld ms; quitting during them: %lld ms", counting, quit);
            return ready.isEmpty() && quit * 4 < counting;
        });
        QVERIFY2(held, "quitting waited for the counts");
    }
};

QTEST_MAIN(TestFacetCounter)
#include "tst_facetcounter.moc"
