// EfficientPaper prototxt files through protobuf's real TextFormat parser: their files load
// unchanged, unknown words and fields are warnings, syntax errors name file:line:column and
// skip only that file, and PaperLab's writer round-trips.

#include "exporters/efficientpaperwriter.h"
#include "importers/importers.h"
#include "library.h"
#include "testfiles.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace paperlab;
using paperlab::testing::writeText;

namespace {

// As EfficientPaper writes them (their meta/2023/FlashDecoding.prototxt has this shape).
const QByteArray kEfficientPaperFile = "paper {\n"
                                       "  title: \"Flash-Decoding for long-context inference\"\n"
                                       "  abbr: \"Flash-Decoding\"\n"
                                       "  url: \"https://crfm.stanford.edu/2023/10/12/flashdecoding.html\"\n"
                                       "  authors: \"Tri Dao\"\n"
                                       "  authors: \"Daniel Haziza\"\n"
                                       "  institutions: \"Stanford University\"\n"
                                       "}\n"
                                       "pub {\n"
                                       "  year: 2023\n"
                                       "}\n"
                                       "note {\n"
                                       "  url: \"note.md\"\n"
                                       "}\n"
                                       "keyword {\n"
                                       "  words: attention_sparsity\n"
                                       "  words: kv_cache\n"
                                       "}\n"
                                       "cover {\n"
                                       "  url: \"fig1.png\"\n"
                                       "}\n";

} // namespace

class TestPrototxt : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_tmp;

    // `text` as FOLDER/<current data tag>.prototxt, read back.
    ImportBatch parseWritten(const QString &folder, const QByteArray &text)
    {
        const QString path =
            m_tmp.filePath(QStringLiteral("%1/%2.prototxt").arg(folder, QLatin1String(QTest::currentDataTag())));
        writeText(path, text);
        return parsePrototxtFile(path);
    }

private slots:
    void efficientPaperFileLoads()
    {
        const QString root = m_tmp.filePath(QStringLiteral("ep"));
        writeText(root + QStringLiteral("/meta/2023/FlashDecoding.prototxt"), kEfficientPaperFile);
        writeText(root + QStringLiteral("/notes/2023/FlashDecoding/note.md"), "# Flash-Decoding\n\n- split KV\n");
        const ImportBatch b = parseEfficientPaperFolder(root);
        QVERIFY(b.diagnostics.isEmpty());
        QCOMPARE(b.papers.size(), 1);
        const PaperRecord &r = b.papers.first();
        QCOMPARE(r.key, QStringLiteral("FlashDecoding"));
        QCOMPARE(r.abbr, QStringLiteral("Flash-Decoding"));
        QCOMPARE(r.authors, (QStringList{QStringLiteral("Tri Dao"), QStringLiteral("Daniel Haziza")}));
        QCOMPARE(r.venue, QStringLiteral("arXiv")); // pub.where's default
        QCOMPARE(r.year, 2023);
        QCOMPARE(r.topics, (QStringList{QStringLiteral("Attention Sparsity"), QStringLiteral("KV Cache")}));
        QCOMPARE(r.noteMarkdown, QStringLiteral("# Flash-Decoding\n\n- split KV\n"));
        QVERIFY(r.notePath.endsWith(QLatin1String("notes/2023/FlashDecoding/note.md")));
        QVERIFY(r.coverPath.endsWith(QLatin1String("notes/2023/FlashDecoding/fig1.png")));
    }

    void unknownWordsAndFieldsWarn_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<int>("warnLine");
        QTest::addColumn<QString>("warnText");
        QTest::addColumn<QStringList>("topics");
        QTest::newRow("unknown keyword")
            << QByteArray("paper { title: \"T\" }\nkeyword {\n  words: kv_cache\n  words: token_merging\n}\n") << 4
            << "token_merging" << QStringList{"KV Cache", "Token Merging"};
        QTest::newRow("unknown keyword in a list")
            << QByteArray("paper { title: \"T\" }\nkeyword { words: [quantization, moe_routing] }\n") << 2
            << "moe_routing" << QStringList{"Quantization", "Moe Routing"};
    }

    void unknownWordsAndFieldsWarn()
    {
        QFETCH(QByteArray, text);
        QFETCH(int, warnLine);
        QFETCH(QString, warnText);
        QFETCH(QStringList, topics);
        const ImportBatch b = parseWritten(QStringLiteral("w"), text);
        QCOMPARE(b.papers.size(), 1);
        QCOMPARE(b.errorCount(), 0);
        QCOMPARE(b.diagnostics.size(), 1);
        QCOMPARE(b.diagnostics.first().line, warnLine);
        QVERIFY2(b.diagnostics.first().toString().contains(warnText), qPrintable(b.diagnostics.first().toString()));
        QCOMPARE(b.papers.first().topics, topics);
    }

    // A field no schema knows, at any depth, is kept as written (inside its block), so
    // nothing is lost and nothing needs a warning; the writer puts it back in its block.
    void unknownFieldsKeptInTheirBlock_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QString>("kept");
        QTest::newRow("inside paper") << QByteArray("paper {\n  title: \"T\"\n  venue_rank: \"A*\"\n}\n")
                                      << "paper {\n  venue_rank: \"A*\"\n}";
        QTest::newRow("two inside pub, one top")
            << QByteArray("paper { title: \"T\" }\npub {\n  year: 2024\n  month: 5\n  day: 2\n}\nstars: 9\n")
            << "pub {\n  month: 5\n  day: 2\n}\nstars: 9";
        QTest::newRow("a block inside a block")
            << QByteArray("paper {\n  title: \"T\"\n  venue {\n    rank: \"A\"\n  }\n}\n")
            << "paper {\n  venue {\n    rank: \"A\"\n  }\n}";
    }

    void unknownFieldsKeptInTheirBlock()
    {
        QFETCH(QByteArray, text);
        QFETCH(QString, kept);
        const ImportBatch b = parseWritten(QStringLiteral("k"), text);
        QCOMPARE(b.papers.size(), 1);
        QVERIFY(b.diagnostics.isEmpty());
        QCOMPARE(b.papers.first().extraFields, kept);

        Paper p;
        p.key = QStringLiteral("k");
        p.title = QStringLiteral("T");
        p.year = 2024;
        p.extraFields = kept;
        const QString written = paperInfoText(p);
        const ImportBatch again = parseWritten(QStringLiteral("k-back"), written.toUtf8());
        QVERIFY2(again.diagnostics.isEmpty() && again.papers.size() == 1, qPrintable(written));
        QCOMPARE(again.papers.first().extraFields, kept);
        QCOMPARE(written.count(QLatin1String("paper {")), 1);
    }

    // A url spelled in another letter case than the file ("sparsevit/index.md" for
    // notes/2023/SparseViT/index.md, written on macOS) still finds its note, without a warning.
    void noteUrlInAnotherLetterCase()
    {
        const QString root = m_tmp.filePath(QStringLiteral("cased"));
        writeText(root + QStringLiteral("/meta/2023/SparseViT.prototxt"),
                  "paper { title: \"SparseViT\" }\nnote {\n  url: \"sparsevit/index.md\"\n}\n");
        writeText(root + QStringLiteral("/notes/2023/SparseViT/index.md"), "# SparseViT\n");
        const ImportBatch b = parsePrototxtFile(root + QStringLiteral("/meta/2023/SparseViT.prototxt"), root);
        QCOMPARE(b.papers.size(), 1);
        QVERIFY2(b.diagnostics.isEmpty(), qPrintable(b.diagnostics.value(0).toString()));
        QCOMPARE(b.papers.first().noteMarkdown, QStringLiteral("# SparseViT\n"));
    }

    void syntaxErrorNamesPlaceAndSkipsOnlyThatFile_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<int>("line");
        QTest::addColumn<int>("column");
        QTest::newRow("missing quote") << QByteArray("paper {\n  title: \"Broken\n}\n") << 2
                                       << 17; // protobuf points at the end of the line the string ran off
        QTest::newRow("unclosed message") << QByteArray("paper {\n  title: \"T\"\n") << 3 << 1;
        QTest::newRow("year not a number")
            << QByteArray("paper { title: \"T\" }\npub {\n  year: twenty\n}\n") << 3 << 9;
    }

    void syntaxErrorNamesPlaceAndSkipsOnlyThatFile()
    {
        QFETCH(QByteArray, text);
        QFETCH(int, line);
        QFETCH(int, column);
        const QString root = m_tmp.filePath(
            QStringLiteral("bad-%1").arg(QTest::currentDataTag()).replace(QLatin1Char(' '), QLatin1Char('_')));
        writeText(root + QStringLiteral("/meta/2024/Good.prototxt"), "paper { title: \"A Good Paper\" }\n");
        writeText(root + QStringLiteral("/meta/2024/Bad.prototxt"), text);
        Library lib(root + QStringLiteral("/index.sqlite"));
        writeText(root + QStringLiteral("/earlier/meta/2020/Earlier.prototxt"), "paper { title: \"Stored Before\" }\n");
        lib.importPaths({root + QStringLiteral("/earlier")});
        const ImportReport r = lib.importPaths({root});
        QCOMPARE(r.errors(), 1);
        const Diagnostic &d = r.diagnostics.first();
        QVERIFY(d.file.endsWith(QLatin1String("Bad.prototxt")));
        QCOMPARE(d.line, line);
        QCOMPARE(d.column, column);
        QCOMPARE(r.added, 1);          // Good.prototxt still came in
        QCOMPARE(lib.paperCount(), 2); // and nothing stored before was lost
        QVERIFY(lib.paperByKey(QStringLiteral("Earlier")));
    }

    void writerRoundTrips()
    {
        Library lib(m_tmp.filePath(QStringLiteral("rt.sqlite")));
        const QString root = m_tmp.filePath(QStringLiteral("rt"));
        writeText(root + QStringLiteral("/meta/2023/FlashDecoding.prototxt"), kEfficientPaperFile);
        writeText(root + QStringLiteral("/notes/2023/FlashDecoding/note.md"), "note text 注释\n");
        lib.importPaths({root});
        auto p = *lib.paperByKey(QStringLiteral("FlashDecoding"));
        p.openReviewUrl = QStringLiteral("https://openreview.net/forum?id=abc");
        p.topicList.append(QStringLiteral("Spec Decode"));
        const QString out = m_tmp.filePath(QStringLiteral("rt-out"));
        const WriteReport w = writeEfficientPaperFolder({p}, out);
        QCOMPARE(w.papers, 1);
        QCOMPARE(w.notes, 1);
        const ImportBatch b = parseEfficientPaperFolder(out);
        QVERIFY(b.diagnostics.isEmpty());
        const PaperRecord &r = b.papers.first();
        QCOMPARE(r.title, p.title);
        QCOMPARE(r.authors, p.authors);
        QCOMPARE(r.institutions, p.institutionList);
        QCOMPARE(r.year, 2023);
        QCOMPARE(r.openReviewUrl, p.openReviewUrl);
        // "Spec Decode" is EfficientPaper's speculative_decoding word now: written as the word.
        QCOMPARE(r.topics, (QStringList{QStringLiteral("Attention Sparsity"), QStringLiteral("KV Cache"),
                                        QStringLiteral("Speculative Decoding")}));
        QCOMPARE(r.noteMarkdown, QStringLiteral("note text 注释\n"));
    }

    // The in-memory entry point (what the fuzz target drives) reads exactly as the file one:
    // same record, same note found beside the named path, same diagnostics.
    void textEntryMatchesFileEntry()
    {
        const QString root = m_tmp.filePath(QStringLiteral("text"));
        const QString path = root + QStringLiteral("/meta/2023/FlashDecoding.prototxt");
        const QByteArray text = QByteArray(kEfficientPaperFile).replace("words: kv_cache", "words: not_a_schema_word");
        writeText(path, text);
        writeText(root + QStringLiteral("/notes/2023/FlashDecoding/note.md"), "note\n");
        const ImportBatch fromFile = parsePrototxtFile(path, root);
        const ImportBatch fromText = parsePrototxt(QString::fromUtf8(text), path, root);
        QCOMPARE(fromText.papers.size(), 1);
        QCOMPARE(fromText.papers.first().title, fromFile.papers.first().title);
        QCOMPARE(fromText.papers.first().topics, fromFile.papers.first().topics);
        QCOMPARE(fromText.papers.first().noteMarkdown, QStringLiteral("note\n"));
        QCOMPARE(fromText.warningCount(), 1);
        QCOMPARE(fromText.diagnostics.first().toString(), fromFile.diagnostics.first().toString());
    }

    void bundledLibraryLoads()
    {
        const ImportBatch b = parseEfficientPaperFolder(QStringLiteral(PAPERLAB_LIBRARY_DIR));
        QCOMPARE(b.errorCount(), 0);
        QCOMPARE(b.papers.size(), 338); // the five seeds merged, plus data/additions (KIVI)
    }
};

QTEST_GUILESS_MAIN(TestPrototxt)
#include "tst_prototxt.moc"
