// FirstPageFiller: stopping a fill (quitting, or a newer library version) interrupts the
// statement it is in instead of waiting for it. At 100,000 papers one wide prefix's match
// takes a good part of a second on the fill's own connection, which the search thread's
// interrupt does not reach. Real SQLite file and thread.

#include "apptestsupport.h"
#include "firstpagefiller.h"
#include "sqlitedb.h"
#include "timingtest.h"
#include "wideprefixes.h"

#include <QElapsedTimer>
#include <QTest>

using namespace paperlab;
using namespace paperlab::gui;

namespace {
constexpr int kPage = 50; // a screen of rows, as the search thread asks
}

class TestFirstPageFiller : public QObject {
    Q_OBJECT

private slots:
    // Stopped at three moments inside the widest prefix's match (timed beforehand on a
    // connection of the test's): each stop returns within a quarter of that match. Before,
    // stop() waited for the match to end: up to three quarters of it.
    void stopInterruptsTheMatchUnderWay()
    {
        PAPERLAB_SKIP_TIMING_UNDER_ASAN();
        // 1,000 papers, each titled with the same 2,000 distinct words under "lynx" (lynx0 …
        // lynx1999): a match on the prefix merges every word's positions in every paper
        // (~0.4 s), while listing the index's terms is quick.
        const testing::BigLibrary big("WITH RECURSIVE w(j) AS (SELECT 0 UNION ALL SELECT j + 1 FROM w WHERE j < 1999), "
                                      "words(t) AS (SELECT group_concat('lynx' || j, ' ') FROM w), "
                                      "n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 999) "
                                      "INSERT INTO papers(key, title, added_at, updated_at) "
                                      "SELECT 'p' || i, words.t, 0, 0 FROM n, words");
        Library lib(big.db);
        QElapsedTimer clock;
        clock.start();
        const QStringList wide = wideSearchPrefixes(lib);
        const qint64 listing = clock.elapsed();
        QCOMPARE(wide.first(), QStringLiteral("lynx"));
        clock.restart();
        SearchOptions firstScreen;
        firstScreen.limit = kPage;
        QCOMPARE(lib.findIds(QStringLiteral("lynx"), firstScreen).size(), kPage);
        const qint64 match = clock.elapsed();
        qInfo("prefix list %lld ms, the widest prefix's match %lld ms", listing, match);

        QObject receiver;
        FirstPageFiller filler(big.db, kPage);
        qint64 longest = 0;
        for (const double into : {0.25, 0.5, 0.75}) {
            filler.start(1, &receiver, [](qint64, const FirstPageFiller::Pages &) {});
            // The fill waits 300 ms, lists the prefixes, then matches the widest first.
            QThread::msleep(300 + listing + qint64(into * double(match)));
            clock.restart();
            filler.stop();
            longest = std::max(longest, clock.elapsed());
        }
        qInfo("longest stop: %lld ms", longest);
        QVERIFY2(longest * 4 < match, "stop() waited for the match under way");
    }
};

QTEST_MAIN(TestFirstPageFiller)
#include "tst_firstpagefiller.moc"
