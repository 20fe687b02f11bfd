// The Library on real SQLite files: merging the five seeds, re-import, the user's state,
// notes written back to files, full-text search and its query language, migrations,
// and damaged files.

#include "library.h"
#include "schema.h"
#include "sqlitedb.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace paperlab;

namespace {

QStringList seedFiles()
{
    // The README view first: its EfficientPaper keys become the stable keys.
    const QDir dir(QStringLiteral(PAPERLAB_SEEDS_DIR));
    QStringList out;
    for (const char *prefix : {"004", "003", "001", "002", "000"})
        out << dir.filePath(dir.entryList({QStringLiteral("%1_*.txt").arg(QLatin1String(prefix))}).value(0));
    return out;
}

QStringList formatsOf(const Paper &p)
{
    QStringList out;
    for (const auto &e : p.provenance)
        out << e.format;
    out.sort();
    return out;
}

QStringList keysOf(Library &lib, const QList<qint64> &ids)
{
    QStringList out;
    for (const auto &s : lib.summaries(ids))
        out << s.key;
    return out;
}

} // namespace

class TestLibrary : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_tmp;
    QString m_seedDb; // all five seeds imported once; tests copy it

    QString freshCopy(const QString &name)
    {
        const QString path = m_tmp.filePath(name);
        QFile::remove(path);
        QFile::copy(m_seedDb, path);
        return path;
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_tmp.isValid());
        m_seedDb = m_tmp.filePath(QStringLiteral("seeds.sqlite"));
        Library lib(m_seedDb);
        const ImportReport r = lib.importPaths(seedFiles());
        QCOMPARE(r.errors(), 0);
        QCOMPARE(r.added + r.merged, 353); // every record of the five seeds was taken
        QVERIFY2(r.merged >= 15, "papers shared by several seeds must merge");
        QCOMPARE(lib.paperCount(), r.added);
        lib.database().exec("PRAGMA wal_checkpoint(TRUNCATE)");
    }

    void mergedAcrossSeeds_data()
    {
        QTest::addColumn<QString>("key");
        QTest::addColumn<QStringList>("formats");
        QTest::addColumn<QString>("venue");
        QTest::addColumn<int>("year");
        QTest::newRow("CacheBlend") << "CacheBlend" << QStringList{"readme-view", "topic-list"} << "EuroSys" << 2025;
        QTest::newRow("APE") << "APE" << QStringList{"monthly-list", "topic-list"} << "ICLR" << 2025;
        QTest::newRow("XAttention") << "XAttention" << QStringList{"readme-view", "topic-list"} << "ICML" << 2025;
        QTest::newRow("MInference squashed title")
            << "MInference" << QStringList{"readme-view", "topic-list"} << "NeurIPS" << 2024;
        QTest::newRow("SageAttention bare name")
            << "SageAttention" << QStringList{"readme-view", "topic-list"} << "arXiv" << 2024;
        QTest::newRow("FlashAttention by arXiv id")
            << "flashattention" << QStringList{"checkbox-list", "readme-view"} << "NeurIPS" << 2022;
    }

    void mergedAcrossSeeds()
    {
        QFETCH(QString, key);
        QFETCH(QStringList, formats);
        QFETCH(QString, venue);
        QFETCH(int, year);
        Library lib(freshCopy(QStringLiteral("merge.sqlite")));
        const auto p = lib.paperByKey(key);
        QVERIFY2(p, qPrintable(key));
        QCOMPARE(formatsOf(*p), formats);
        QCOMPARE(p->venue, venue);
        QCOMPARE(p->year, year);
        // Exactly one paper answers to the name.
        QCOMPARE(lib.findIds(QStringLiteral("abbr:%1").arg(p->abbr.isEmpty() ? key : p->abbr)).size() >= 1, true);
    }

    void reimportChangesNothing()
    {
        Library lib(freshCopy(QStringLiteral("reimport.sqlite")));
        const int before = lib.paperCount();
        const ImportReport r = lib.importPaths(seedFiles());
        QCOMPARE(r.added, 0);
        QCOMPARE(r.merged, 0);
        QCOMPARE(r.unchanged, 353);
        QCOMPARE(lib.paperCount(), before);
    }

    void userStateSurvivesReimport()
    {
        Library lib(freshCopy(QStringLiteral("state.sqlite")));
        lib.setLibraryFolder(m_tmp.filePath(QStringLiteral("lib")));
        const qint64 id = lib.paperByKey(QStringLiteral("APE"))->id;
        lib.setStatus(id, ReadingStatus::Reading); // the seed said "read"; the user says otherwise
        lib.setRating(id, 4);
        lib.addTag(id, QStringLiteral("reading-group-2026-11"));
        lib.setPersonalNote(id, QStringLiteral("ask about the attention temperature"));
        const QString file = lib.setNote(id, QStringLiteral("# My APE note\n\nParallel encoding, my words."));
        QVERIFY(QFile::exists(file));

        // The same sources again, and one that changed: the user's state stays.
        lib.importPaths(seedFiles());
        QTemporaryDir changed;
        QFile f(changed.filePath(QStringLiteral("list.md")));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("## KV Cache\n\nAPE - Faster and Longer Context-Augmented Generation via Adaptive Parallel Encoding - "
                "ICLR'25\n");
        f.close();
        const ImportReport r = lib.importPaths({f.fileName()});
        QCOMPARE(r.merged, 1);

        const auto p = lib.paper(id);
        QCOMPARE(p->status, ReadingStatus::Reading);
        QCOMPARE(p->rating, 4);
        QCOMPARE(p->tags, QStringList{QStringLiteral("reading-group-2026-11")});
        QCOMPARE(p->personalNote, QStringLiteral("ask about the attention temperature"));
        QVERIFY(p->note.startsWith(QLatin1String("# My APE note")));
        QVERIFY(p->noteEdited);
    }

    void noteEditWritesFileAndIndex()
    {
        Library lib(freshCopy(QStringLiteral("note.sqlite")));
        const QString folder = m_tmp.filePath(QStringLiteral("notes-lib"));
        lib.setLibraryFolder(folder);
        const auto p = lib.paperByKey(QStringLiteral("XAttention"));
        QVERIFY(p->notePath.isEmpty());
        const QString file = lib.setNote(p->id, QStringLiteral("antidiagonal zebrafish scoring"));
        QCOMPARE(file, QDir(folder).filePath(QStringLiteral("notes/2025/XAttention/note.md")));
        QFile f(file);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll(), QByteArray("antidiagonal zebrafish scoring"));
        // The full-text index follows the edit: the new word is found, the paper only once.
        QCOMPARE(keysOf(lib, lib.findIds(QStringLiteral("zebrafish"))), QStringList{QStringLiteral("XAttention")});
        lib.setNote(p->id, QStringLiteral("nothing fishy"));
        QVERIFY(lib.findIds(QStringLiteral("zebrafish")).isEmpty());
        QCOMPARE(lib.paper(p->id)->notePath, file);
    }

    void search_data()
    {
        QTest::addColumn<QString>("query");
        QTest::addColumn<QString>("mustContain");
        QTest::addColumn<int>("minCount");
        QTest::addColumn<int>("maxCount");
        QTest::newRow("word") << "cacheblend"
                              << "CacheBlend" << 1 << 1;
        QTest::newRow("prefix as you type") << "cachebl"
                                            << "CacheBlend" << 1 << 1;
        QTest::newRow("phrase") << "\"sliding-window key and value\""
                                << "SKVQ" << 1 << 1;
        QTest::newRow("venue field") << "venue:EuroSys cacheblend"
                                     << "CacheBlend" << 1 << 1;
        QTest::newRow("venue with year") << "venue:ICML'25 xattention"
                                         << "XAttention" << 1 << 1;
        QTest::newRow("year range") << "year:2024..2025 sageattention"
                                    << "SageAttention" << 2 << 3;
        QTest::newRow("year excludes") << "year:2020..2021 sageattention"
                                       << "" << 0 << 0;
        QTest::newRow("topic") << "topic:\"KV Cache\" cacheblend"
                               << "CacheBlend" << 1 << 1;
        QTest::newRow("status") << "status:read flashattention"
                                << "flashattention" << 1 << 1;
        QTest::newRow("author") << "author:\"Xinyu Yang\""
                                << "APE" << 1 << 3;
        QTest::newRow("institution") << "institution:SJTU skvq"
                                     << "SKVQ" << 1 << 1;
        QTest::newRow("note text") << "channel reorder"
                                   << "SKVQ" << 1 << 5;
        QTest::newRow("OR") << "cacheblend OR xattention"
                            << "XAttention" << 2 << 2;
        QTest::newRow("chinese note") << "并行编码"
                                      << "APE" << 1 << 3;
    }

    void search()
    {
        QFETCH(QString, query);
        QFETCH(QString, mustContain);
        QFETCH(int, minCount);
        QFETCH(int, maxCount);
        Library lib(m_seedDb);
        const QStringList keys = keysOf(lib, lib.findIds(query));
        QVERIFY2(keys.size() >= minCount && keys.size() <= maxCount, qPrintable(keys.join(QLatin1Char(','))));
        if (!mustContain.isEmpty())
            QVERIFY2(keys.contains(mustContain), qPrintable(keys.join(QLatin1Char(','))));
    }

    void invalidQueries_data()
    {
        QTest::addColumn<QString>("query");
        QTest::addColumn<QString>("message");
        QTest::newRow("bad year") << "year:20x5"
                                  << "year:";
        QTest::newRow("backwards") << "year:2025..2020"
                                   << "backwards";
        QTest::newRow("status") << "status:maybe"
                                << "status:";
        QTest::newRow("unclosed quote") << "\"flash attention"
                                        << "quote";
        QTest::newRow("dangling operator") << "flash AND"
                                           << "AND";
    }

    void invalidQueries()
    {
        QFETCH(QString, query);
        QFETCH(QString, message);
        Library lib(m_seedDb);
        try {
            lib.findIds(query);
            QFAIL("an invalid query must throw");
        } catch (const LibraryError &e) {
            QVERIFY2(e.message().contains(message), qPrintable(e.message()));
        }
    }

    void facetsAndFilters()
    {
        Library lib(m_seedDb);
        const auto institutions = lib.facet(Facet::Institution);
        QVERIFY(institutions.size() > 200);
        int total = 0;
        for (const auto &v : lib.facet(Facet::Status))
            total += v.count;
        QCOMPARE(total, lib.paperCount());
        const auto years = lib.facet(Facet::Year);
        const auto y2025 =
            std::find_if(years.begin(), years.end(), [](const FacetValue &v) { return v.value == u"2025"; });
        QVERIFY(y2025 != years.end());
        SearchOptions opts;
        opts.facets = {{Facet::Year, {QStringLiteral("2025")}}};
        QCOMPARE(lib.findIds(QString(), opts).size(), y2025->count);
        // Two facets narrow together.
        opts.facets.append({Facet::Venue, {QStringLiteral("ICML")}});
        const auto both = lib.summaries(lib.findIds(QString(), opts));
        QVERIFY(!both.isEmpty());
        for (const auto &s : both) {
            QCOMPARE(s.year, 2025);
            QCOMPARE(s.venue, QStringLiteral("ICML"));
        }
    }

    void highlightEscapes()
    {
        Library lib(m_seedDb);
        const qint64 id = lib.paperByKey(QStringLiteral("CacheBlend"))->id;
        const QString html = lib.highlightedTitle(id, QStringLiteral("cacheblend"));
        QVERIFY2(html.startsWith(QLatin1String("<b>CacheBlend</b>")), qPrintable(html));
    }

    void cancelledImportLeavesNothing()
    {
        Library lib(m_tmp.filePath(QStringLiteral("cancel.sqlite")));
        std::atomic_bool cancel{true};
        const ImportReport r = lib.importPaths(seedFiles(), {}, &cancel);
        QVERIFY(r.cancelled);
        QCOMPARE(lib.paperCount(), 0);
    }

    void migrationKeepsDataAndBacksUp()
    {
        const QString path = freshCopy(QStringLiteral("old.sqlite"));
        int papers = 0;
        {
            // Make it a version-1 file: the playground tables came in version 2.
            Database db(path);
            db.exec("DROP TABLE paper_authors; DROP TABLE authors; DROP TABLE paper_claims; DROP TABLE paper_folders; "
                    "DROP TABLE library_folders; DROP TABLE run_environments; DROP TABLE run_points; DROP TABLE runs; "
                    "PRAGMA user_version = 1;");
            auto st = db.prepare("SELECT count(*) FROM papers");
            st.step();
            papers = st.integer(0);
        }
        Library lib(path);
        QVERIFY(!lib.migrationBackup().isEmpty());
        QVERIFY(QFile::exists(lib.migrationBackup()));
        QCOMPARE(lib.paperCount(), papers);
        QCOMPARE(lib.database().userVersion(), kSchemaVersion);
        lib.database().exec("SELECT count(*) FROM runs");
        Database backup(lib.migrationBackup(), false);
        QCOMPARE(backup.userVersion(), 1);
    }

    void newerSchemaIsRefused()
    {
        const QString path = freshCopy(QStringLiteral("newer.sqlite"));
        {
            Database db(path);
            db.setUserVersion(99);
        }
        QVERIFY_THROWS_EXCEPTION(LibraryError, Library{path});
    }

    void corruptFileIsNamedAndKept()
    {
        const QString path = m_tmp.filePath(QStringLiteral("corrupt.sqlite"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        const QByteArray junk = QByteArray("this is not a database, it is a shopping list\n").repeated(200);
        f.write(junk);
        f.close();
        try {
            Library lib(path);
            QFAIL("opening a corrupt file must throw");
        } catch (const LibraryError &e) {
            QVERIFY2(e.message().contains(path), qPrintable(e.message()));
        }
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll(), junk); // untouched
    }

    void manualPaper()
    {
        Library lib(freshCopy(QStringLiteral("manual.sqlite")));
        PaperRecord r;
        r.title = QStringLiteral("A Paper Typed By Hand About Decoding");
        r.paperUrl = QStringLiteral("https://arxiv.org/abs/2511.01234");
        r.institutions = {QStringLiteral("PaperLab University")};
        const qint64 id = lib.addPaper(r);
        const auto p = lib.paper(id);
        QCOMPARE(p->arxivId, QStringLiteral("2511.01234"));
        QCOMPARE(p->year, 2025);
        QCOMPARE(p->venue, QStringLiteral("arXiv"));
        QVERIFY_THROWS_EXCEPTION(LibraryError, lib.addPaper(PaperRecord{}));
    }

    // Field filters match what was typed, literally: '%', '_' and '\\' are no LIKE wildcards.
    void fieldFiltersEscapeLikeWildcards_data()
    {
        QTest::addColumn<QString>("query");
        QTest::addColumn<QStringList>("keys");
        // Only the paper whose names hold the character itself, not every paper.
        QTest::newRow("author %") << "author:%" << QStringList{"WILD"};
        QTest::newRow("author _") << "author:_" << QStringList{"WILD"};
        QTest::newRow("author \\") << "author:\\" << QStringList{"WILD"};
        QTest::newRow("institution %") << "institution:%" << QStringList{"WILD"};
        QTest::newRow("institution _") << "institution:_" << QStringList{"WILD"};
        // Wildcards that would match something, taken literally match nothing.
        QTest::newRow("author %%") << "author:%%" << QStringList{};
        QTest::newRow("author a_n") << "author:a_n" << QStringList{};
        QTest::newRow("author 100%%") << "author:100%%" << QStringList{};
        QTest::newRow("institution %lab") << "institution:The%Lab" << QStringList{};
        QTest::newRow("literal percent") << "author:100%" << QStringList{"WILD"};
        QTest::newRow("literal underscore") << "author:o_k" << QStringList{"WILD"};
        QTest::newRow("literal backslash") << "author:a\\b" << QStringList{"WILD"};
        QTest::newRow("institution literal") << "institution:50%_lab" << QStringList{"WILD"};
        QTest::newRow("substring still matches") << "author:ann" << QStringList{"WILD"};
    }

    void fieldFiltersEscapeLikeWildcards()
    {
        QFETCH(QString, query);
        QFETCH(QStringList, keys);
        Library lib(freshCopy(QStringLiteral("like.sqlite")));
        PaperRecord r;
        r.key = QStringLiteral("WILD");
        r.title = QStringLiteral("Wildcards in names");
        r.authors = {QStringLiteral("Ann 100% o_k"), QStringLiteral("a\\b")};
        r.institutions = {QStringLiteral("The 50%_Lab")};
        lib.addPaper(r);
        QCOMPARE(keysOf(lib, lib.findIds(query)), keys);
    }
};

QTEST_GUILESS_MAIN(TestLibrary)
#include "tst_library.moc"
