// Library::findIds with its first rows streamed (search as you type): one statement gives the
// first screen as soon as it is read and then the complete list, both exactly what the plain
// findIds gives (limited and not), in every order search offers; a caller that no longer
// wants the rest stops the statement there; an interrupted connection (quitting) reads no
// further. Real SQLite file.

#include "library.h"
#include "searchquery.h"
#include "sqlitedb.h"

#include <QTemporaryDir>
#include <QTest>

#include <sqlite3.h>

using namespace paperlab;

namespace {
constexpr int kFirst = 50;
}

class TestStreamedSearch : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    std::unique_ptr<Library> m_lib;

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_lib = std::make_unique<Library>(m_dir.filePath(QStringLiteral("index.sqlite")));
        // 2,600 "lynx" papers: past findIds's 2,000-match bound, so a search for them is ordered
        // newest first; "lynx" with "ocelot" matches 520, ranked by bm25. The 60 oldest are from
        // 1990, so none of the 2,001 newest matches passes year:1990. Written in one
        // statement and indexed as the bulk import does (2,600 addPaper calls take 15 s).
        Transaction t(m_lib->database());
        m_lib->database().exec(
            "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 2599) "
            "INSERT INTO papers(key, title, year, venue, added_at, updated_at) "
            "SELECT 'p' || i, CASE WHEN i % 5 = 0 THEN 'Ocelot lynx ' || i || ' lynx' ELSE 'Lynx paper ' || i END, "
            "CASE WHEN i < 60 THEN 1990 ELSE 2000 + i % 25 END, CASE WHEN i % 3 THEN 'ICML' ELSE 'NeurIPS' END, 0, 0 "
            "FROM n");
        m_lib->database().exec("INSERT INTO paper_fts(paper_fts) VALUES ('rebuild')");
        t.commit();
    }

    void sameIdsAsFindIds_data()
    {
        QTest::addColumn<QString>("query");
        QTest::addColumn<int>("sort");
        QTest::addColumn<bool>("descending");
        QTest::addColumn<bool>("facet");
        QTest::newRow("newest first (wide)") << QStringLiteral("lynx") << int(SortKey::Relevance) << false << false;
        QTest::newRow("bm25") << QStringLiteral("ocelot lynx") << int(SortKey::Relevance) << false << false;
        QTest::newRow("by year") << QStringLiteral("lynx") << int(SortKey::Year) << true << false;
        QTest::newRow("by title") << QStringLiteral("ocelot") << int(SortKey::Title) << false << false;
        QTest::newRow("facet") << QStringLiteral("lynx") << int(SortKey::Relevance) << false << true;
        // Newest first with filters: the first screen is filtered from the newest matches in
        // hand, unless fewer than a screen of them pass (NeurIPS in 2003: 1 in 75).
        QTest::newRow("prefix, venue") << QStringLiteral("venue:ICML lyn") << int(SortKey::Relevance) << false << false;
        QTest::newRow("prefix, year, facet")
            << QStringLiteral("year:2003 lyn") << int(SortKey::Relevance) << false << true;
        QTest::newRow("year range, facet")
            << QStringLiteral("year:2010..2020 lynx") << int(SortKey::Relevance) << false << true;
        // None of the newest matches passes: the match statement reads on past them, to a
        // screen of passing rows, or to its end when fewer than a screen pass (20 NeurIPS).
        QTest::newRow("all that pass are old")
            << QStringLiteral("year:1990 lyn") << int(SortKey::Relevance) << false << false;
        QTest::newRow("fewer than a screen pass, all old")
            << QStringLiteral("year:1990 lyn") << int(SortKey::Relevance) << false << true;
        QTest::newRow("no words") << QString() << int(SortKey::Relevance) << false << false;
        QTest::newRow("fewer than a screen")
            << QStringLiteral("\"ocelot lynx 5\"") << int(SortKey::Relevance) << false << false;
    }
    void sameIdsAsFindIds()
    {
        QFETCH(QString, query);
        QFETCH(int, sort);
        QFETCH(bool, descending);
        QFETCH(bool, facet);
        SearchOptions options;
        options.sort = SortKey(sort);
        options.descending = descending;
        if (facet)
            options.facets = {FacetFilter{Facet::Venue, {QStringLiteral("NeurIPS")}}};
        const QList<qint64> all = m_lib->findIds(query, options);
        SearchOptions limited = options;
        limited.limit = kFirst;
        const QList<qint64> firstScreen = m_lib->findIds(query, limited);
        QCOMPARE(firstScreen, all.mid(0, kFirst));

        int calls = 0;
        QList<qint64> streamedFirst;
        const QList<qint64> streamed = m_lib->findIds(query, options, kFirst, [&](const QList<qint64> &first) {
            ++calls;
            streamedFirst = first;
            return true;
        });
        QCOMPARE(streamed, all);
        if (all.size() < kFirst) {
            QCOMPARE(calls, 0); // the complete list is the only answer
        } else {
            QCOMPARE(calls, 1);
            QCOMPARE(streamedFirst, firstScreen);
        }
    }

    // While only the words change (typing), the set of papers that pass the filters is read
    // once and kept; a change to the library is seen at the next search, whether another
    // connection made it or this one.
    void passingSetFollowsChanges()
    {
        SearchOptions limited;
        limited.limit = kFirst;
        const QString query = QStringLiteral("year:1990 lyn");
        const QList<qint64> before = m_lib->findIds(query, limited);
        QCOMPARE(before.size(), kFirst);
        QCOMPARE(m_lib->findIds(QStringLiteral("year:1990 lynx"), limited), before);
        const qint64 newest = m_lib->findIds(QStringLiteral("lynx")).constFirst();
        QVERIFY(!before.contains(newest));
        {
            Library other(m_dir.filePath(QStringLiteral("index.sqlite")));
            auto st = other.database().prepare("UPDATE papers SET year = 1990 WHERE id = ?");
            st.bind(1, newest);
            st.step();
        }
        const QList<qint64> moved = m_lib->findIds(query, limited);
        QCOMPARE(moved.constFirst(), newest);
        QCOMPARE(moved, m_lib->findIds(query).mid(0, kFirst));
        auto st = m_lib->database().prepare("UPDATE papers SET year = 2024 WHERE id = ?");
        st.bind(1, newest);
        st.step();
        QCOMPARE(m_lib->findIds(query, limited), before);
    }

    // Bare words, two or more of them long enough that FTS5 merges the terms they begin: their
    // matches come from sets kept between keystrokes, intersected, the short words matched by
    // the statement. The answer is the plain FTS5 match's: every match, and newest first the
    // same first screen ("Lynx paper N" titles: 2,080 papers; N's digits are a short word).
    void longWordsMatchAsFts5Does_data()
    {
        QTest::addColumn<QString>("query");
        QTest::addColumn<int>("year"); // 0: no year filter
        QTest::newRow("two long words") << QStringLiteral("lynx paper") << 0;
        QTest::newRow("two long words and a short one") << QStringLiteral("lynx paper 25") << 0;
        QTest::newRow("short one first") << QStringLiteral("25 papers lynx") << 0;
        // "ly" matches every paper, "paper" 4 in 5: the short word's rows are not all answers.
        QTest::newRow("a short word matching more") << QStringLiteral("ly paper lynx") << 0;
        QTest::newRow("with a year") << QStringLiteral("year:2003 lynx paper") << 2003;
        QTest::newRow("with a year past the newest") << QStringLiteral("year:1990 lynx paper") << 1990;
        QTest::newRow("no paper has all three") << QStringLiteral("lynx paper ocelot") << 0;
    }
    void longWordsMatchAsFts5Does()
    {
        QFETCH(QString, query);
        QFETCH(int, year);
        const QString fts = parseSearchQuery(query).query.fts;
        auto plain = [&](const char *order) {
            QByteArray sql =
                "SELECT p.id FROM paper_fts JOIN papers p ON p.id = paper_fts.rowid WHERE paper_fts MATCH ?";
            if (year)
                sql += " AND p.year = ?";
            sql += order;
            auto st = m_lib->database().prepare(sql.constData());
            st.bind(1, fts);
            if (year)
                st.bind(2, year);
            QList<qint64> ids;
            while (st.step())
                ids.append(st.int64(0));
            return ids;
        };
        const QList<qint64> newestFirst = plain(" ORDER BY paper_fts.rowid DESC");
        QList<qint64> all = m_lib->findIds(query);
        QList<qint64> sortedAll = all;
        std::sort(sortedAll.begin(), sortedAll.end(), std::greater<>());
        QCOMPARE(sortedAll, newestFirst);
        SearchOptions limited;
        limited.limit = kFirst;
        const QList<qint64> firstScreen = m_lib->findIds(query, limited);
        QCOMPARE(firstScreen, all.mid(0, kFirst));
        // Past 2,000 matches the order is newest first (below it bm25, which the SQL above lacks).
        auto st = m_lib->database().prepare("SELECT count(*) FROM paper_fts WHERE paper_fts MATCH ?");
        st.bind(1, fts);
        QVERIFY(st.step());
        if (st.int64(0) > 2000)
            QCOMPARE(firstScreen, newestFirst.mid(0, kFirst));
    }

    // The kept words' matches are those of the library as it is: a paper added since is found.
    void longWordsSeeANewPaper()
    {
        SearchOptions limited;
        limited.limit = kFirst;
        const QList<qint64> before = m_lib->findIds(QStringLiteral("lynx paper"), limited);
        QCOMPARE(before.size(), kFirst);
        PaperRecord r;
        r.title = QStringLiteral("Lynx paper added later");
        r.year = 2024;
        const qint64 id = m_lib->addPaper(r);
        QVERIFY(id > 0);
        const QList<qint64> after = m_lib->findIds(QStringLiteral("lynx paper"), limited);
        QCOMPARE(after.constFirst(), id);
        QCOMPARE(after.mid(1), before.mid(0, kFirst - 1));
    }

    void stopsWhenNotWanted()
    {
        const QList<qint64> all = m_lib->findIds(QStringLiteral("lynx"));
        QVERIFY(all.size() > 2000);
        const QList<qint64> stopped = m_lib->findIds(QStringLiteral("lynx"), SearchOptions(), kFirst,
                                                     [](const QList<qint64> &) { return false; });
        QCOMPARE(stopped, all.mid(0, kFirst));
    }

    // Quitting: the search thread's connection is interrupted while findIds is between its
    // first-screen statement and the complete list. sqlite3_interrupt alone does nothing while
    // no statement runs, so the complete list used to be read to its end (0.4 s at 100,000
    // papers) before the thread could stop.
    void interruptedBetweenTheStatements()
    {
        Library lib(m_dir.filePath(QStringLiteral("index.sqlite"))); // a connection to give up
        ReadTransaction snapshot(lib.database());                    // as the search thread reads
        int calls = 0;
        try {
            lib.findIds(QStringLiteral("lynx"), SearchOptions(), kFirst, [&](const QList<qint64> &) {
                ++calls;
                lib.database().interrupt();
                return true; // still wanted: only the interrupt stops the second statement
            });
            QFAIL("the complete list was read after the interrupt");
        } catch (const SqlError &e) {
            QCOMPARE(e.primaryCode(), SQLITE_INTERRUPT);
        }
        QCOMPARE(calls, 1);
    }

    // A statement prepared before the interrupt and stepped after it (the instant between a
    // check and the step) is stopped too, within its first thousand VM steps.
    void interruptReachesAStatementThatStartsLater()
    {
        Database db(m_dir.filePath(QStringLiteral("index.sqlite")));
        auto st = db.prepare("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000000) "
                             "SELECT count(*) FROM n");
        db.interrupt();
        try {
            st.step();
            QFAIL("a million rows counted after the interrupt");
        } catch (const SqlError &e) {
            QCOMPARE(e.primaryCode(), SQLITE_INTERRUPT);
        }
        QVERIFY_THROWS_EXCEPTION(SqlError, db.prepare("SELECT 1"));
    }

    // A search typed past (CancelWhen) stops where it is, and the connection reads on after it.
    void aCancelCheckStopsTheCompleteList()
    {
        bool typedOn = false;
        {
            const CancelWhen cancel(m_lib->database(), [&] { return typedOn; });
            try {
                m_lib->findIds(QStringLiteral("lynx"), SearchOptions(), kFirst, [&](const QList<qint64> &) {
                    typedOn = true;
                    return true;
                });
                QFAIL("the complete list was read after the search was no longer wanted");
            } catch (const SqlError &e) {
                QCOMPARE(e.primaryCode(), SQLITE_INTERRUPT);
            }
        }
        QVERIFY(m_lib->findIds(QStringLiteral("lynx")).size() > 2000);
    }

    void badQueryStillThrows()
    {
        bool called = false;
        QVERIFY_THROWS_EXCEPTION(LibraryError, m_lib->findIds(QStringLiteral("\"lynx"), SearchOptions(), kFirst,
                                                              [&](const QList<qint64> &) { return called = true; }));
        QVERIFY(!called);
    }
};

QTEST_MAIN(TestStreamedSearch)
#include "tst_streamedsearch.moc"
