// The full-text index's prefix indexes (schema version 7 dropped the one-letter one): a
// library of version 6 is migrated with its papers, user state and search results kept, and
// prefix queries of every length find what they found with the one-letter index.

#include "library.h"
#include "schema.h"
#include "sqlitedb.h"

#include <QTemporaryDir>
#include <QTest>

using namespace paperlab;

namespace {

// Queries of every prefix length, the one-letter ones among them (what a script or the
// command line can still ask for; the search box drops one-letter words).
const QStringList kQueries = {QStringLiteral("k"),     QStringLiteral("q*"),        QStringLiteral("s"),
                              QStringLiteral("kv"),    QStringLiteral("kv c"),      QStringLiteral("spe"),
                              QStringLiteral("quant"), QStringLiteral("attention"), QStringLiteral("a NOT s")};

QStringList results(Library &lib)
{
    QStringList out;
    for (const QString &q : kQueries) {
        QStringList ids;
        for (qint64 id : lib.findIds(q))
            ids << QString::number(id);
        out << q + QLatin1String(": ") + ids.join(QLatin1Char(','));
    }
    return out;
}

QString ftsDefinition(Database &db)
{
    auto st = db.prepare("SELECT sql FROM sqlite_schema WHERE name = 'paper_fts'");
    return st.step() ? st.text(0) : QString();
}

} // namespace

class TestFtsPrefixes : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;

private slots:
    void newIndexHasNoOneLetterPrefixIndex()
    {
        Library lib(m_dir.filePath(QStringLiteral("new.sqlite")));
        QCOMPARE(lib.database().userVersion(), kSchemaVersion);
        const QString sql = ftsDefinition(lib.database());
        QVERIFY2(sql.contains(QLatin1String("prefix='2 3'")), qPrintable(sql));
    }

    void migrationKeepsPapersStateAndResults()
    {
        const QString path = m_dir.filePath(QStringLiteral("v6.sqlite"));
        QStringList before;
        int papers = 0;
        qint64 rated = 0;
        {
            Library lib(path);
            QVERIFY(lib.importPaths({QStringLiteral(PAPERLAB_LIBRARY_DIR)}).added > 100);
            rated = lib.findIds(QStringLiteral("attention")).value(0);
            QVERIFY(rated);
            lib.setRating(rated, 4);
            lib.setPersonalNote(rated, QStringLiteral("mine"));
            papers = lib.paperCount();
            // The full-text index as schema version 6 defined it, built from the same papers.
            lib.database().exec("DROP TABLE paper_fts;"
                                "CREATE VIRTUAL TABLE paper_fts USING fts5("
                                " title, abbr, authors, institutions, venue, topics, note,"
                                " content='paper_search', content_rowid='id',"
                                " tokenize='unicode61 remove_diacritics 2', prefix='1 2 3');"
                                "INSERT INTO paper_fts(paper_fts) VALUES ('rebuild');"
                                "PRAGMA user_version = 6;");
            before = results(lib);
        }
        Library lib(path);
        QCOMPARE(lib.database().userVersion(), kSchemaVersion);
        QVERIFY(QFile::exists(lib.migrationBackup()));
        QVERIFY(!ftsDefinition(lib.database()).contains(QLatin1String("'1 2 3'")));
        lib.database().exec("INSERT INTO paper_fts(paper_fts) VALUES ('integrity-check')");
        QCOMPARE(lib.paperCount(), papers);
        const std::optional<Paper> paper = lib.paper(rated);
        QVERIFY(paper);
        QCOMPARE(paper->rating, 4);
        QCOMPARE(paper->personalNote, QStringLiteral("mine"));
        const QStringList after = results(lib);
        for (const QString &line : after)
            QVERIFY2(!line.endsWith(QLatin1String(": ")), qPrintable(line)); // each query finds papers
        QCOMPARE(after, before);
    }
};

QTEST_GUILESS_MAIN(TestFtsPrefixes)
#include "tst_ftsprefixes.moc"
