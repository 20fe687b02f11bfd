// `paperlab-cli rebuild` replaces "move the index aside": the index is rebuilt from the
// library files, and the user's status, ratings, tags, personal notes, edited notes, saved
// searches and playground runs, which live only in the index, survive it.

#include "clirunner.h"
#include "library.h"
#include "librarycopy.h"
#include "sqlitedb.h"

#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

using namespace paperlab;
using namespace paperlab::testing;

class TestRebuild : public QObject {
    Q_OBJECT

private slots:
    void rebuildKeepsUserState()
    {
        QTemporaryDir tmp;
        const QString db = tmp.filePath(QStringLiteral("index.sqlite"));
        const QString library = bundledLibraryCopy(tmp.path());
        QVERIFY(!library.isEmpty());
        QCOMPARE(runCli(db, {QStringLiteral("import"), library}).code, 0);
        int papers = 0;
        qint64 noteless = 0;
        {
            Library lib(db);
            papers = lib.paperCount();
            lib.setLibraryFolder(library);
            const qint64 skvq = lib.paperByKey(QStringLiteral("SKVQ"))->id;
            lib.setStatus(skvq, ReadingStatus::Read);
            lib.setRating(skvq, 4);
            lib.addTag(skvq, QStringLiteral("group-2026"));
            lib.addTag(skvq, QStringLiteral("kv"));
            lib.setPersonalNote(skvq, QStringLiteral("ask about the 2-bit keys"));
            lib.setFlags(skvq, true, true);
            lib.setNote(skvq, QStringLiteral("# SKVQ\n\nMy own words.\n"));
            // A paper typed in by hand has no file: it survives through its provenance record.
            PaperRecord typed;
            typed.title = QStringLiteral("A Paper Typed In By Hand");
            typed.year = 2026;
            noteless = lib.addPaper(typed);
            lib.setStatus(noteless, ReadingStatus::Reading);
            lib.saveSearch(QStringLiteral("kv reading"), QStringLiteral("topic:kv_cache status:reading"));
            lib.database().exec("INSERT INTO runs(paper_id, kernel, name, created_at) "
                                "SELECT id, 'decode', 'my run', 1700000000 FROM papers WHERE key = 'SKVQ'");
            lib.database().exec(
                "INSERT INTO run_points(run_id, variant, x, metrics) VALUES (last_insert_rowid(), 'fp16', 128, '{}')");
        }

        const CliRun r = runCli(db, {QStringLiteral("rebuild")});
        QVERIFY2(r.code == 0, r.err.constData());
        QVERIFY2(r.out.contains("rebuilt"), r.out.constData());
        QVERIFY(!QDir(tmp.path()).entryList({QStringLiteral("index.sqlite.before-rebuild-*")}, QDir::Files).isEmpty());

        Library lib(db);
        QCOMPARE(lib.paperCount(), papers + 1);
        const auto p = lib.paperByKey(QStringLiteral("SKVQ"));
        QVERIFY(p);
        QCOMPARE(p->status, ReadingStatus::Read);
        QCOMPARE(p->rating, 4);
        QCOMPARE(p->tags, (QStringList{QStringLiteral("group-2026"), QStringLiteral("kv")}));
        QCOMPARE(p->personalNote, QStringLiteral("ask about the 2-bit keys"));
        QVERIFY(p->noteWritten && p->slidesMade && p->noteEdited);
        QCOMPARE(p->note, QStringLiteral("# SKVQ\n\nMy own words.\n"));
        const QList<qint64> typed = lib.findIds(QStringLiteral("\"Typed In By Hand\""));
        QCOMPARE(typed.size(), 1);
        QCOMPARE(lib.paper(typed.first())->status, ReadingStatus::Reading);
        QCOMPARE(lib.savedSearches().size(), 1);
        QCOMPARE(lib.libraryFolder(), QDir(library).absolutePath());
        auto runs =
            lib.database().prepare("SELECT r.name, p.key, (SELECT count(*) FROM run_points WHERE run_id = r.id) "
                                   "FROM runs r JOIN papers p ON p.id = r.paper_id");
        QVERIFY(runs.step());
        QCOMPARE(runs.text(0), QStringLiteral("my run"));
        QCOMPARE(runs.text(1), QStringLiteral("SKVQ"));
        QCOMPARE(runs.integer(2), 1);
    }

    void foreignFileIsNotRebuilt()
    {
        QTemporaryDir tmp;
        const QString path = tmp.filePath(QStringLiteral("other.sqlite"));
        {
            Database db(path);
            db.exec("CREATE TABLE things (x)");
        }
        const CliRun r = runCli(path, {QStringLiteral("rebuild")});
        QCOMPARE(r.code, 9);
        QVERIFY(QFileInfo::exists(path));
        QVERIFY(QDir(tmp.path()).entryList({QStringLiteral("*before-rebuild*")}).isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestRebuild)
#include "tst_rebuild.moc"
