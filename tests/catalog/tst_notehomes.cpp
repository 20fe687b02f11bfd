// Every note has a home: a paper imported from an EfficientPaper folder gets its new note in
// that folder (notes/YEAR/KEY/note.md), each folder remembered per source; a paper from a
// BibTeX file keeps its note in the index; the default index's first run works on a copy
// of the bundled library; another index, even an empty one, is never filled with it.
// The real CLI imports into real SQLite files.

#include "clirunner.h"
#include "library.h"
#include "testfiles.h"

#include <QCryptographicHash>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace paperlab;
using paperlab::testing::readAll;
using paperlab::testing::writeText;

namespace {

// One hash over every file's name and bytes: "the folder did not change".
QByteArray folderHash(const QString &dir)
{
    QStringList files;
    QDirIterator it(dir, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext())
        files << it.next();
    files.sort();
    QCryptographicHash h(QCryptographicHash::Sha1);
    for (const QString &f : files) {
        h.addData(f.toUtf8());
        h.addData(readAll(f));
    }
    return h.result().toHex();
}

void copyFolder(const QString &from, const QString &to)
{
    QDirIterator it(from, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString f = it.next();
        const QString target = QDir(to).filePath(QDir(from).relativeFilePath(f));
        QDir().mkpath(QFileInfo(target).absolutePath());
        QVERIFY(QFile::copy(f, target));
    }
}

QByteArray metaFile(const char *title, int year)
{
    return QByteArray("paper {\n  title: \"") + title + "\"\n}\npub {\n  year: " + QByteArray::number(year) + "\n}\n";
}

} // namespace

class TestNoteHomes : public QObject {
    Q_OBJECT

    QTemporaryDir m_tmp;

    int cli(const QStringList &args, const QString &db, const QString &defaultDb = {}, QByteArray *out = nullptr)
    {
        QProcessEnvironment env = testing::cliEnvironment();
        if (defaultDb.isEmpty())
            env.remove(QStringLiteral("PAPERLAB_DB"));
        else
            env.insert(QStringLiteral("PAPERLAB_DB"), defaultDb);
        // The user's data folder of this test, never the real one.
        env.insert(QStringLiteral("XDG_DATA_HOME"), m_tmp.filePath(QStringLiteral("xdg")));
        const testing::CliRun r = testing::runCli(db, args, testing::CliOptions{env});
        if (out)
            *out = r.out;
        return r.crashed ? -2 : r.code;
    }

private slots:
    void importedFolderNoteGetsAHome()
    {
        // Two EfficientPaper folders, imported by the CLI: each paper's note goes home.
        const QString a = m_tmp.filePath(QStringLiteral("home-a"));
        const QString b = m_tmp.filePath(QStringLiteral("home-b"));
        writeText(QDir(a).filePath(QStringLiteral("meta/2024/AlphaCache.prototxt")), metaFile("Alpha Cache", 2024));
        writeText(QDir(b).filePath(QStringLiteral("meta/2025/BetaCache.prototxt")), metaFile("Beta Cache", 2025));
        const QString db = m_tmp.filePath(QStringLiteral("homes.sqlite"));
        QCOMPARE(cli({QStringLiteral("import"), a}, db), 0);
        QCOMPARE(cli({QStringLiteral("import"), b}, db), 0);

        Library lib(db);
        QVERIFY(lib.libraryFolder().isEmpty()); // no index-wide folder: the sources tell
        const auto alpha = lib.paperByKey(QStringLiteral("AlphaCache"));
        const auto beta = lib.paperByKey(QStringLiteral("BetaCache"));
        QVERIFY(alpha && beta);
        QVERIFY(alpha->notePath.isEmpty());
        const QString fileA = lib.setNote(alpha->id, QStringLiteral("alpha typed"));
        const QString fileB = lib.setNote(beta->id, QStringLiteral("beta typed"));
        QCOMPARE(fileA,
                 QDir(QFileInfo(a).canonicalFilePath()).filePath(QStringLiteral("notes/2024/AlphaCache/note.md")));
        QCOMPARE(fileB,
                 QDir(QFileInfo(b).canonicalFilePath()).filePath(QStringLiteral("notes/2025/BetaCache/note.md")));
        QCOMPARE(readAll(fileA), QByteArray("alpha typed"));
        QCOMPARE(readAll(fileB), QByteArray("beta typed"));

        // Imported again, the folder reads the new note back as the paper's.
        QCOMPARE(cli({QStringLiteral("import"), a}, db), 0);
        QCOMPARE(lib.paper(alpha->id)->note, QStringLiteral("alpha typed"));
    }

    void bibtexPaperKeepsNoteInIndex()
    {
        const QString bib = m_tmp.filePath(QStringLiteral("refs.bib"));
        writeText(
            bib,
            "@inproceedings{dao2022flash,\n  title = {FlashAttention: Fast and Memory-Efficient Exact Attention},\n"
            "  author = {Dao, Tri},\n  booktitle = {NeurIPS},\n  year = {2022}\n}\n");
        const QString db = m_tmp.filePath(QStringLiteral("bib.sqlite"));
        QCOMPARE(cli({QStringLiteral("import"), bib}, db), 0);
        Library lib(db);
        QCOMPARE(lib.paperCount(), 1);
        const Paper p = lib.allPapers().first();
        QVERIFY(p.libraryFolder.isEmpty());
        const QString file = lib.setNote(p.id, QStringLiteral("tiling keeps it in SRAM"));
        QVERIFY(file.isEmpty());                                                    // no file anywhere …
        QCOMPARE(lib.paper(p.id)->note, QStringLiteral("tiling keeps it in SRAM")); // … and nothing lost
        QVERIFY(lib.paper(p.id)->noteEdited);
        QCOMPARE(lib.findIds(QStringLiteral("sram")).size(), 1);
    }

    void emptyIndexIsNotFilled()
    {
        const QString db = m_tmp.filePath(QStringLiteral("empty.sqlite"));
        QByteArray out;
        QCOMPARE(cli({QStringLiteral("--json"), QStringLiteral("stats")}, db, {}, &out), 0);
        QCOMPARE(QJsonDocument::fromJson(out).object().value(QLatin1String("papers")).toInt(), 0);
        QCOMPARE(Library(db).paperCount(), 0);
    }

    void firstRunWorksOnACopy()
    {
        // The "installed" library: a copy, so a write into it would show.
        const QString installed = m_tmp.filePath(QStringLiteral("installed"));
        copyFolder(QStringLiteral(PAPERLAB_LIBRARY_DIR), installed);
        const QByteArray before = folderHash(installed);

        const QString dataDir = m_tmp.filePath(QStringLiteral("data"));
        QDir().mkpath(dataDir);
        const QString db = QDir(dataDir).filePath(QStringLiteral("library.sqlite"));
        QProcessEnvironment env = testing::cliEnvironment();
        env.insert(QStringLiteral("PAPERLAB_LIBRARY"), installed);
        env.insert(QStringLiteral("PAPERLAB_DB"), db);
        const testing::CliRun r = testing::runCli({}, {QStringLiteral("--json"), QStringLiteral("stats")},
                                                  testing::CliOptions{env}); // the default index
        QCOMPARE(r.code, 0);
        QCOMPARE(QJsonDocument::fromJson(r.out).object().value(QLatin1String("papers")).toInt(), 338);

        const QString copy = QDir(dataDir).filePath(QStringLiteral("library"));
        QVERIFY(QFileInfo::exists(QDir(copy).filePath(QStringLiteral("meta"))));
        Library lib(db);
        QCOMPARE(lib.libraryFolder(), copy);
        int edited = 0;
        for (const Paper &paper : lib.allPapers()) {
            if (paper.notePath.isEmpty())
                continue;
            QVERIFY2(paper.notePath.startsWith(copy), qPrintable(paper.notePath));
            QCOMPARE(lib.setNote(paper.id, QStringLiteral("edited in the copy")), paper.notePath);
            QCOMPARE(readAll(paper.notePath), QByteArray("edited in the copy"));
            ++edited;
            break;
        }
        const auto noNote = lib.findIds(QStringLiteral("skvq")).value(0);
        const QString created = lib.setNote(noNote, QStringLiteral("a new note"));
        QVERIFY2(created.startsWith(QFileInfo(copy).canonicalFilePath()), qPrintable(created));
        QCOMPARE(edited, 1);
        QCOMPARE(folderHash(installed), before); // the installed tree never changes
    }

    // A default index from before the copy: the first run pointed it at the installed tree.
    void oldDefaultIndexMovesOntoACopy()
    {
        const QString installed = m_tmp.filePath(QStringLiteral("installed-old"));
        copyFolder(QStringLiteral(PAPERLAB_LIBRARY_DIR), installed);
        const QString dataDir = m_tmp.filePath(QStringLiteral("data-old"));
        QDir().mkpath(dataDir);
        const QString db = QDir(dataDir).filePath(QStringLiteral("library.sqlite"));
        QString edited;
        {
            Library old(db); // as the first run used to: the installed folder itself
            old.setLibraryFolder(installed);
            old.importPaths({installed});
            for (const Paper &p : old.allPapers())
                if (!p.notePath.isEmpty()) {
                    edited = p.key;
                    break;
                }
            // An edit made back then, in the installed tree (it stays where it is).
            old.setNote(old.paperByKey(edited)->id, QStringLiteral("edited before the copy"));
        }
        const QByteArray before = folderHash(installed);

        QProcessEnvironment env = testing::cliEnvironment();
        env.insert(QStringLiteral("PAPERLAB_LIBRARY"), installed);
        env.insert(QStringLiteral("PAPERLAB_DB"), db);
        QCOMPARE(testing::runCli({}, {QStringLiteral("stats")}, testing::CliOptions{env}).code, 0);

        const QString copy = QDir(dataDir).filePath(QStringLiteral("library"));
        Library lib(db);
        QCOMPARE(lib.libraryFolder(), copy);
        const auto p = lib.paperByKey(edited);
        QVERIFY2(p->notePath.startsWith(copy), qPrintable(p->notePath));
        QCOMPARE(readAll(p->notePath), QByteArray("edited before the copy")); // the earlier edit came along
        QCOMPARE(lib.setNote(p->id, QStringLiteral("edited after")), p->notePath);
        QCOMPARE(lib.paperCount(), 338);
        QCOMPARE(folderHash(installed), before);
        // And the copy imports as the same papers: nothing doubled.
        QCOMPARE(testing::runCli({}, {QStringLiteral("import"), copy}, testing::CliOptions{env}).code, 0);
        QCOMPARE(lib.paperCount(), 338);
        QCOMPARE(lib.paper(p->id)->note, QStringLiteral("edited after"));
    }
};

QTEST_GUILESS_MAIN(TestNoteHomes)
#include "tst_notehomes.moc"
