// The search's default order read off an index (schema version 8, papers_default_order): a
// library of version 7 is migrated with its papers and user state kept; a search with no words
// to rank gives the same papers in the same order as the sort without the index, on its first
// screen and in its complete list, ties in year and title (letter case, accents) included; and
// the first screen's plan walks the index, without a sort, where it is meant to (not for ranked words).

#include "library.h"
#include "schema.h"
#include "sqlitedb.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

#include <sqlite3.h>

using namespace paperlab;

Q_DECLARE_METATYPE(QList<paperlab::FacetFilter>)

namespace {

constexpr int kTieYear = 2030; // after every bundled paper: the ties come first in the default order

// Papers tied in year and in title as COLLATE NOCASE compares it (ASCII letter case only: "É"
// and "é" differ), in venues of two letter cases, inserted out of their order.
void addTies(Database &db)
{
    const struct {
        const char *title;
        const char *venue;
    } ties[] = {{"TIED TITLE", "ICML"}, {"Zeta", "icml"},      {"tied title", "NeurIPS"}, {"éclair", "ICML"},
                {"Tied Title", "icml"}, {"Éclair", "NeurIPS"}, {"alpha", "ICML"},         {"Tied Title", "ICML"}};
    db.exec("INSERT INTO topics(key, name) VALUES ('tie_topic', 'Tie Topic')");
    auto paper =
        db.prepare("INSERT INTO papers(key, title, venue, year, added_at, updated_at) VALUES (?, ?, ?, ?, 0, 0)");
    int n = 0;
    for (const auto &t : ties) {
        paper.bind(1, QStringLiteral("tie%1").arg(++n)).bind(2, QString::fromUtf8(t.title));
        paper.bind(3, QString::fromLatin1(t.venue)).bind(4, kTieYear);
        paper.step();
        paper.reset();
    }
    // The topic on the ties and on a third of the bundled papers, of every year.
    db.exec("INSERT INTO paper_topics(paper_id, topic_id) SELECT p.id, t.id FROM papers p, topics t "
            "WHERE t.key = 'tie_topic' AND (p.key LIKE 'tie%' OR p.id % 3 = 0)");
}

// The ids in the default order as SQLite sorts them without any index on papers.
QList<qint64> sortedWithoutIndex(Database &db, const QList<qint64> &ids)
{
    QJsonArray array;
    for (qint64 id : ids)
        array.append(id);
    auto st = db.prepare("SELECT id FROM papers NOT INDEXED WHERE id IN (SELECT value FROM json_each(?)) "
                         "ORDER BY year DESC, title COLLATE NOCASE, id");
    st.bind(1, QString::fromUtf8(QJsonDocument(array).toJson(QJsonDocument::Compact)));
    QList<qint64> out;
    while (st.step())
        out.append(st.int64(0));
    return out;
}

// Each statement SQLite runs on the connection, as prepared (parameters unexpanded).
int collectStatement(unsigned, void *context, void *, void *sql)
{
    static_cast<QStringList *>(context)->append(QString::fromUtf8(static_cast<const char *>(sql)));
    return 0;
}

QString queryPlan(Database &db, const QString &sql)
{
    auto st = db.prepare(QByteArray("EXPLAIN QUERY PLAN " + sql.toUtf8()).constData());
    QStringList details;
    while (st.step())
        details << st.text(3);
    return details.join(QLatin1Char('\n'));
}

bool hasIndex(Database &db)
{
    auto st = db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'index' AND name = 'papers_default_order'");
    return st.step();
}

} // namespace

class TestDefaultOrderIndex : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    QString m_path;

private slots:
    void initTestCase()
    {
        m_path = m_dir.filePath(QStringLiteral("library.sqlite"));
        Library lib(m_path);
        QVERIFY(lib.importPaths({QStringLiteral(PAPERLAB_LIBRARY_DIR)}).added > 100);
        addTies(lib.database());
        const QList<qint64> tagged = lib.findIds(QStringLiteral("attention"));
        for (qsizetype i = 0; i < tagged.size(); i += 2)
            lib.addTag(tagged[i], QStringLiteral("mine"));
    }

    void sameOrderAsWithoutIndex_data()
    {
        QTest::addColumn<QString>("query");
        QTest::addColumn<QList<FacetFilter>>("facets");
        QTest::addColumn<int>("atLeast"); // papers it matches: the ties among them where it can
        const QList<FacetFilter> none;
        const QString year = QString::number(kTieYear);
        QTest::newRow("every paper") << QString() << none << 100;
        QTest::newRow("topic") << QStringLiteral("topic:tie_topic") << none << 20;
        QTest::newRow("topic matching nothing") << QStringLiteral("topic:tie_topi") << none << 0;
        QTest::newRow("year of the ties") << QStringLiteral("year:%1").arg(year) << none << 8;
        QTest::newRow("year range") << QStringLiteral("year:2020..%1").arg(year) << none << 20;
        QTest::newRow("venue, other case") << QStringLiteral("venue:icml") << none << 4;
        QTest::newRow("topic, venue and year")
            << QStringLiteral("topic:tie_topic venue:ICML year:%1").arg(year) << none << 4;
        QTest::newRow("venue and year facets") << QString()
                                               << QList<FacetFilter>{{Facet::Venue, {QStringLiteral("icml")}},
                                                                     {Facet::Year, {year, QStringLiteral("2023")}}}
                                               << 4;
        QTest::newRow("topic and tag facets")
            << QString()
            << QList<FacetFilter>{{Facet::Topic, {QStringLiteral("tie_topic")}}, {Facet::Tag, {QStringLiteral("mine")}}}
            << 1;
        QTest::newRow("author filter (sorted)") << QStringLiteral("author:a") << none << 10;
        QTest::newRow("status facet (sorted)")
            << QString() << QList<FacetFilter>{{Facet::Status, {QStringLiteral("unread")}}} << 100;
    }

    void sameOrderAsWithoutIndex()
    {
        QFETCH(QString, query);
        QFETCH(QList<FacetFilter>, facets);
        QFETCH(int, atLeast);
        Library lib(m_path);
        QVERIFY(hasIndex(lib.database()));
        SearchOptions options;
        options.facets = facets;
        const QList<qint64> all = lib.findIds(query, options);
        QVERIFY2(all.size() >= atLeast, qPrintable(QString::number(all.size())));
        const QList<qint64> expected = sortedWithoutIndex(lib.database(), all);
        QCOMPARE(all, expected);
        for (int count : {1, 3, 9, 50}) {
            QList<qint64> first;
            const QList<qint64> complete = lib.findIds(query, options, count, [&](const QList<qint64> &ids) {
                first = ids;
                return true;
            });
            QCOMPARE(complete, expected);
            if (expected.size() > count)
                QCOMPARE(first, expected.mid(0, count));
            SearchOptions limited = options;
            limited.limit = count;
            QCOMPARE(lib.findIds(query, limited), expected.mid(0, count));
        }
    }

    void firstScreenPlan_data()
    {
        QTest::addColumn<QString>("query");
        QTest::addColumn<bool>("walksIndex");
        QTest::newRow("topic") << QStringLiteral("topic:tie_topic") << true;
        QTest::newRow("venue") << QStringLiteral("venue:ICML") << true;
        QTest::newRow("year") << QStringLiteral("year:2024") << true;
        QTest::newRow("topic and year range") << QStringLiteral("topic:tie_topic year:2020..2024") << true;
        QTest::newRow("words: ranked") << QStringLiteral("attention") << false;
    }

    void firstScreenPlan()
    {
        QFETCH(QString, query);
        QFETCH(bool, walksIndex);
        Library lib(m_path);
        QStringList statements;
        sqlite3_trace_v2(lib.database().handle(), SQLITE_TRACE_STMT, collectStatement, &statements);
        lib.findIds(query, SearchOptions{}, 3, [](const QList<qint64> &) { return false; });
        sqlite3_trace_v2(lib.database().handle(), 0, nullptr, nullptr);
        QStringList firstScreens;
        for (const QString &sql : statements)
            if (sql.startsWith(QLatin1String("SELECT p.id")) && sql.endsWith(QLatin1String(" LIMIT 3")))
                firstScreens << sql;
        QCOMPARE(firstScreens.size(), 1);
        const QString plan = queryPlan(lib.database(), firstScreens.first());
        QCOMPARE(plan.contains(QLatin1String("papers_default_order")), walksIndex);
        if (walksIndex)
            QVERIFY2(!plan.contains(QLatin1String("TEMP B-TREE")), qPrintable(plan)); // no sort
    }

    void migrationKeepsPapersAndState()
    {
        const QString path = m_dir.filePath(QStringLiteral("v7.sqlite"));
        QVERIFY(QFile::copy(m_path, path));
        QList<qint64> before;
        qint64 rated = 0;
        int papers = 0;
        {
            Library lib(path);
            rated = lib.findIds(QStringLiteral("topic:tie_topic")).value(0);
            QVERIFY(rated);
            lib.setRating(rated, 4);
            lib.setPersonalNote(rated, QStringLiteral("mine"));
            lib.addTag(rated, QStringLiteral("kept"));
            papers = lib.paperCount();
            // The papers' indexes as schema version 7 defined them.
            lib.database().exec("DROP INDEX papers_default_order; PRAGMA user_version = 7;");
            before = lib.findIds(QStringLiteral("topic:tie_topic"));
        }
        Library lib(path);
        QCOMPARE(lib.database().userVersion(), kSchemaVersion);
        QVERIFY(QFile::exists(lib.migrationBackup()));
        QVERIFY(hasIndex(lib.database()));
        QCOMPARE(lib.paperCount(), papers);
        const std::optional<Paper> paper = lib.paper(rated);
        QVERIFY(paper);
        QCOMPARE(paper->rating, 4);
        QCOMPARE(paper->personalNote, QStringLiteral("mine"));
        QVERIFY(paper->tags.contains(QStringLiteral("kept")));
        QCOMPARE(lib.findIds(QStringLiteral("topic:tie_topic")), before);
    }
};

QTEST_GUILESS_MAIN(TestDefaultOrderIndex)
#include "tst_defaultorderindex.moc"
