// A current EfficientPaper library (tests/catalog/fixtures/efficientpaper, in the shape of
// hustzxd/EfficientPaper): read with its own proto/, every field it holds kept, no warning
// for anything it legitimately holds, and written back unchanged by the exporter. Its
// neighbour fixtures/efficientpaper-split holds what that library does once each: one
// paper filed under two years (Sparse-IFT, meta/2023 and meta/2024), a code url written
// with a leading space, spellings a text-format printer would not write, a note's picture
// and one all notes share (notes/blank.jpg).

#include "../claimfixtures.h"
#include "claim.h"
#include "exporters/efficientpaperwriter.h"
#include "importers/importers.h"
#include "library.h"
#include "librarycopy.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>

using namespace paperlab;

namespace {

QString fixtureLibrary()
{
    return QFINDTESTDATA("fixtures/efficientpaper");
}

QString splitLibrary()
{
    return QFINDTESTDATA("fixtures/efficientpaper-split");
}

const PaperRecord *recordFor(const ImportBatch &b, const QString &relativeFile)
{
    for (const PaperRecord &r : b.papers)
        if (r.source.file.endsWith(relativeFile))
            return &r;
    return nullptr;
}

QString diagnosticsText(const QList<Diagnostic> &diagnostics)
{
    QStringList lines;
    for (const Diagnostic &d : diagnostics)
        lines.append(d.toString());
    return lines.join(QLatin1Char('\n'));
}

QString readText(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QString();
}

// A meta/YEAR/KEY.prototxt as its fields, "paper.title: \"...\"", one a line as the
// library writes them, grouped by field in file order: two files compare field by field
// whatever order their blocks come in, while a list's order still counts.
QStringList fieldsOf(const QString &text)
{
    QStringList path, out;
    for (const QString &line : text.split(QLatin1Char('\n'))) {
        const QString t = line.trimmed();
        if (t.isEmpty() || t.startsWith(QLatin1Char('#')))
            continue;
        if (t.endsWith(QLatin1Char('{'))) {
            path.append(t.chopped(1).remove(QLatin1Char(':')).trimmed());
        } else if (t == u"}") {
            if (!path.isEmpty())
                path.removeLast();
        } else {
            const qsizetype colon = t.indexOf(QLatin1Char(':'));
            out.append((path + QStringList{t.left(colon).trimmed()}).join(QLatin1Char('.')) + QLatin1String(": ") +
                       t.mid(colon + 1).trimmed());
        }
    }
    std::stable_sort(out.begin(), out.end(), [](const QString &a, const QString &b) {
        return a.section(QLatin1Char(':'), 0, 0) < b.section(QLatin1Char(':'), 0, 0);
    });
    return out;
}

QStringList filesBelow(const QString &root)
{
    QStringList out;
    QDirIterator it(root, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext())
        out.append(QDir(root).relativeFilePath(it.next()));
    out.sort();
    return out;
}

} // namespace

class TestEfficientPaperLibrary : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_tmp;

private slots:
    void initTestCase() { QVERIFY2(!fixtureLibrary().isEmpty(), "fixtures/efficientpaper is missing"); }

    // Settings under meta/search/ are not papers, and nothing the library holds warns.
    void importsWithoutWarnings()
    {
        const ImportBatch b = parseEfficientPaperFolder(fixtureLibrary());
        QVERIFY2(b.diagnostics.isEmpty(), qPrintable(diagnosticsText(b.diagnostics)));
        QCOMPARE(b.papers.size(), 5);
        for (const PaperRecord &r : b.papers) {
            QVERIFY2(!r.title.isEmpty(), qPrintable(r.source.file));
            QVERIFY2(!r.source.file.contains(QLatin1String("/meta/search/")), qPrintable(r.source.file));
        }
    }

    void fieldsKept_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QStringList>("baseline");
        QTest::addColumn<int>("rating");
        QTest::addColumn<qint64>("updateTime");
        QTest::addColumn<QStringList>("topics");
        QTest::addColumn<QString>("extra");
        QTest::addColumn<QString>("noteEnd"); // where the note resolves; empty: no note
        QTest::addColumn<QString>("coverEnd");

        QTest::newRow("baseline None is no baseline, cover beside the note")
            << "meta/2022/FlashAttention.prototxt" << QStringList() << 5 << qint64(1767953224)
            << QStringList{"Attention Sparsity", "Fusion"} << QString() << "notes/2022/FlashAttention/note.md"
            << "notes/2022/FlashAttention/fig1.png";
        QTest::newRow("baseline, rating, the library's own word and field")
            << "meta/2024/FlashAttention-2.prototxt" << QStringList{"2022/FlashAttention"} << 4 << qint64(1773369038)
            << QStringList{"Fusion", "Long Context"}
            << "paper {\n  venue_url: \"https://openreview.net/forum?id=mZn2Xyh9Ec\"\n}\n"
               R"(project_page: "https://tridao.me/publications/flash2/flash2.pdf")"
            << "notes/2024/FlashAttention-2/note.md"
            << "notes/2024/FlashAttention-2/cover.png";
        QTest::newRow("note and cover relative to notes/YEAR/")
            << "meta/2023/CacheGen.prototxt" << QStringList() << 3 << qint64(1773369038)
            << QStringList{"KV Cache Quantization", "KV Cache Management"} << QString() << "notes/2023/cachegen/note.md"
            << "notes/2023/cachegen/cover.png";
        QTest::newRow("a field inside pub {} only the library's proto/ knows, the default note")
            << "meta/2022/DSA.prototxt" << QStringList() << 0 << qint64(1770619439)
            << QStringList{"Sparse Pruning", "Attention Sparsity"} << "pub {\n  month: 10\n}"
            << "notes/2022/DSA/note.md" << QString();
        QTest::newRow("empty note url: no note")
            << "meta/2025/DSA.prototxt" << QStringList{"2022/DSA", "2024/FlashAttention-2"} << 0 << qint64(1767953224)
            << QStringList{"Sparse Pruning", "Attention Sparsity", "KV Cache Sparsity", "Structure Design"} << QString()
            << QString() << QString();
    }

    void fieldsKept()
    {
        QFETCH(QString, file);
        QFETCH(QStringList, baseline);
        QFETCH(int, rating);
        QFETCH(qint64, updateTime);
        QFETCH(QStringList, topics);
        QFETCH(QString, extra);
        QFETCH(QString, noteEnd);
        QFETCH(QString, coverEnd);
        const ImportBatch b = parseEfficientPaperFolder(fixtureLibrary());
        const PaperRecord *r = recordFor(b, file);
        QVERIFY2(r, qPrintable(file));
        QCOMPARE(r->baselineMethods, baseline);
        QCOMPARE(r->rating, rating);
        QCOMPARE(r->updateTime, updateTime);
        QCOMPARE(r->topics, topics);
        QCOMPARE(r->extraFields, extra);
        if (noteEnd.isEmpty()) {
            QVERIFY(r->notePath.isEmpty());
            QVERIFY(r->noteMarkdown.isEmpty());
        } else {
            QVERIFY2(r->notePath.endsWith(noteEnd), qPrintable(r->notePath));
            QVERIFY(!r->noteMarkdown.isEmpty());
        }
        if (coverEnd.isEmpty())
            QVERIFY(r->coverPath.isEmpty());
        else
            QVERIFY2(r->coverPath.endsWith(coverEnd), qPrintable(r->coverPath));
    }

    // Without the library's proto/ the same file still loads: the word it alone defines is
    // kept as a topic (with a warning), its unknown field kept as written.
    void withoutItsProtoNothingIsLost()
    {
        const QString file = QDir(fixtureLibrary()).filePath(QStringLiteral("meta/2024/FlashAttention-2.prototxt"));
        const ImportBatch b = parsePrototxtFile(file);
        QCOMPARE(b.errorCount(), 0);
        QCOMPARE(b.papers.size(), 1);
        QVERIFY(b.papers.first().topics.contains(QStringLiteral("Long Context")));
        QVERIFY(b.papers.first().extraFields.contains(QLatin1String("\nproject_page:")));
        QVERIFY(b.papers.first().extraFields.startsWith(QLatin1String("paper {\n  venue_url:")));
        QCOMPARE(b.papers.first().rating, 4);
        // The word is reported at its line; a lone file also has no notes/ to find its note in.
        QVERIFY2(
            diagnosticsText(b.diagnostics).contains(QLatin1String(".prototxt:23: warning: keyword 'long_context'")),
            qPrintable(diagnosticsText(b.diagnostics)));
    }

    // The two papers keyed DSA (2022 and 2025) are different papers: both stay.
    void sameKeyDifferentPapersStayTwo()
    {
        Library lib(m_tmp.filePath(QStringLiteral("dsa.sqlite")));
        const ImportReport rep = lib.importPaths({fixtureLibrary()});
        QCOMPARE(rep.added, 5);
        QCOMPARE(rep.merged, 0);
        QStringList dsaTitles;
        for (const Paper &p : lib.allPapers())
            if (p.abbr == u"DSA")
                dsaTitles.append(p.title);
        dsaTitles.sort();
        QCOMPARE(dsaTitles,
                 (QStringList{"DeepSeek-V3.2-Exp: Boosting Long-Context Efficiency with DeepSeek Sparse Attention",
                              "Transformer Acceleration with Dynamic Sparse Attention"}));
        // Re-importing finds each again by its own identity.
        const ImportReport again = lib.importPaths({fixtureLibrary()});
        QCOMPARE(again.added, 0);
        QCOMPARE(again.unchanged, 5);
    }

    // Import, export, read the export: every field the library held is there again.
    void exportRoundTrip_data()
    {
        QTest::addColumn<QString>("key");
        QTest::newRow("FlashAttention") << "FlashAttention";
        QTest::newRow("FlashAttention-2") << "FlashAttention-2";
        QTest::newRow("CacheGen") << "CacheGen";
    }

    void exportRoundTrip()
    {
        QFETCH(QString, key);
        Library lib(m_tmp.filePath(QStringLiteral("roundtrip-%1.sqlite").arg(key)));
        lib.importPaths({fixtureLibrary()});
        const auto paper = lib.paperByKey(key);
        QVERIFY(paper);
        const QString out = m_tmp.filePath(QStringLiteral("export-%1").arg(key));
        const WriteReport w = writeEfficientPaperFolder({*paper}, out);
        QVERIFY2(w.errors.isEmpty(), qPrintable(w.errors.join(QLatin1Char('\n'))));

        const ImportBatch original = parseEfficientPaperFolder(fixtureLibrary());
        const PaperRecord *before = nullptr;
        for (const PaperRecord &r : original.papers)
            if (r.key == key)
                before = &r;
        QVERIFY(before);
        const QString folder = QFileInfo(before->source.file).dir().dirName();
        const ImportBatch back =
            parsePrototxtFile(QDir(out).filePath(QStringLiteral("meta/%1/%2.prototxt").arg(folder, key)), out);
        QCOMPARE(back.papers.size(), 1);
        const PaperRecord &after = back.papers.first();
        QCOMPARE(after.title, before->title);
        QCOMPARE(after.baselineMethods, before->baselineMethods);
        QCOMPARE(after.rating, before->rating);
        QCOMPARE(after.updateTime, before->updateTime);
        QCOMPARE(after.extraFields, before->extraFields);
        QCOMPARE(after.codeUrl, before->codeUrl);
        QCOMPARE(after.noteMarkdown, before->noteMarkdown);
        // The keywords come back as they were: the parent topic PaperLab adds above
        // "KV Cache Quantization" (KV Cache) is not written into the library's file.
        QStringList want = before->topics, got = after.topics;
        want.sort();
        got.sort();
        QCOMPARE(got, want);
    }

    // The whole library, imported and exported: every file the library holds is there
    // again, byte for byte: each paper's fields as the library wrote them (abbr: "",
    // code.type, note and cover urls, methods: "None", fields inside paper {} and pub {}
    // only its proto/ knows, a url's leading space) in its spelling (a blank line, a space
    // after a value, blocks in its order, no last newline), both files of a paper filed
    // under two years, its proto/ and meta/search/ files, every note and the pictures beside
    // it, the pictures right under notes/ that notes share.
    void exportWritesEveryFileBackAsItWas_data()
    {
        QTest::addColumn<QString>("library");
        QTest::addColumn<int>("settingsFiles");
        QTest::newRow("current library") << fixtureLibrary() << 4;
        QTest::newRow("a paper in two years, a spaced url") << splitLibrary() << 1;
    }

    void exportWritesEveryFileBackAsItWas()
    {
        QFETCH(QString, library);
        QFETCH(int, settingsFiles);
        const QString name = QFileInfo(library).fileName();
        Library lib(m_tmp.filePath(QStringLiteral("whole-%1.sqlite").arg(name)));
        const ImportReport rep = lib.importPaths({library});
        QVERIFY2(rep.diagnostics.isEmpty(), qPrintable(diagnosticsText(rep.diagnostics)));
        const QString out = m_tmp.filePath(QStringLiteral("whole-export-%1").arg(name));
        const WriteReport w = writeEfficientPaperFolder(lib.allPapers(), out);
        QVERIFY2(w.errors.isEmpty(), qPrintable(w.errors.join(QLatin1Char('\n'))));
        QCOMPARE(w.settingsFiles, settingsFiles);
        QCOMPARE(w.papers, int(lib.allPapers().size()));

        QStringList inputFiles = filesBelow(library);
        inputFiles.removeAll(QStringLiteral("README.md"));
        QCOMPARE(filesBelow(out), inputFiles);
        for (const QString &rel : std::as_const(inputFiles)) {
            const QString before = readText(QDir(library).filePath(rel));
            const QString after = readText(QDir(out).filePath(rel));
            if (rel.startsWith(QLatin1String("meta/2")))
                QCOMPARE(fieldsOf(after), fieldsOf(before));
            // Byte for byte: a paper nobody changed goes back in its file's own spelling.
            QVERIFY2(after == before, qPrintable(rel));
        }
        // And it reads back without a word of warning.
        QVERIFY2(parseEfficientPaperFolder(out).diagnostics.isEmpty(),
                 qPrintable(diagnosticsText(parseEfficientPaperFolder(out).diagnostics)));
    }

    // Sparse-IFT's two files are one paper in the index, and so is the export read again.
    void paperInTwoYearsStaysOnePaper()
    {
        Library lib(m_tmp.filePath(QStringLiteral("split.sqlite")));
        const ImportReport rep = lib.importPaths({splitLibrary()});
        QCOMPARE(rep.added, 2);
        QCOMPARE(rep.merged, 1);
        const QString out = m_tmp.filePath(QStringLiteral("split-export"));
        QVERIFY(writeEfficientPaperFolder(lib.allPapers(), out).errors.isEmpty());

        Library again(m_tmp.filePath(QStringLiteral("split-again.sqlite")));
        const ImportReport back = again.importPaths({out});
        QVERIFY2(back.diagnostics.isEmpty(), qPrintable(diagnosticsText(back.diagnostics)));
        QCOMPARE(back.added, 2);
        QCOMPARE(back.merged, 1);
        const auto paper = again.paperByKey(QStringLiteral("Sparse-IFT"));
        QVERIFY(paper);
        QCOMPARE(paper->title,
                 QStringLiteral("Sparse-IFT: Sparse Iso-FLOP Transformations for Maximizing Training Efficiency"));
        QCOMPARE(paper->venue, QStringLiteral("ICML"));
        QCOMPARE(paper->note, readText(QDir(splitLibrary()).filePath(QStringLiteral("notes/2024/Sparse-IFT/note.md"))));
    }

    // The claim editor writes into both files of a paper filed under two years, so that the
    // next import finds the new claims in each (not the old ones of a file left untouched);
    // the rest of each file stays as it was.
    void claimsGoIntoEveryFileOfThePaper()
    {
        const QString copy = m_tmp.filePath(QStringLiteral("split-claims"));
        QVERIFY(testing::copyTree(splitLibrary(), copy));
        const QStringList files{QDir(copy).filePath(QStringLiteral("meta/2023/Sparse-IFT.prototxt")),
                                QDir(copy).filePath(QStringLiteral("meta/2024/Sparse-IFT.prototxt"))};
        QStringList before;
        for (const QString &f : files)
            before.append(readText(f));
        const Claim claim = testing::sageAttentionClaim(); // any claim: the files are what is tested
        {
            Library lib(m_tmp.filePath(QStringLiteral("split-claims.sqlite")));
            lib.importPaths({copy});
            const auto paper = lib.paperByKey(QStringLiteral("Sparse-IFT"));
            QVERIFY(paper);
            lib.setClaims(paper->id, {claim});
        }
        for (int i = 0; i < files.size(); ++i) {
            const QString text = readText(files[i]);
            QVERIFY2(text.contains(claim.quote), qPrintable(files[i]));
            // Only the claims block is new: every line the file had is still there.
            for (const QString &line : before[i].split(QLatin1Char('\n'), Qt::SkipEmptyParts))
                QVERIFY2(text.contains(line), qPrintable(files[i] + QStringLiteral(": lost ") + line));
        }
        Library again(m_tmp.filePath(QStringLiteral("split-claims-again.sqlite")));
        again.importPaths({copy});
        const auto paper = again.paperByKey(QStringLiteral("Sparse-IFT"));
        QVERIFY(paper);
        const QList<Claim> claims = again.claims(paper->id);
        QCOMPARE(claims.size(), 1);
        QCOMPARE(claims.first(), claim);
    }

    // The library's own files copied on export (proto/, notes/ shared pictures) are only
    // those really inside it: a link in a shared library to a file elsewhere is not copied.
    void exportCopiesNoLinkOutOfTheLibrary()
    {
        const QString copy = m_tmp.filePath(QStringLiteral("split-links"));
        QVERIFY(testing::copyTree(splitLibrary(), copy));
        QTemporaryDir outside;
        const QString secret = outside.filePath(QStringLiteral("secret.txt"));
        QFile f(secret);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("not the library's");
        f.close();
        QVERIFY(QDir(copy).mkpath(QStringLiteral("proto")));
        QVERIFY(QFile::link(secret, QDir(copy).filePath(QStringLiteral("notes/secret.jpg"))));
        QVERIFY(QFile::link(secret, QDir(copy).filePath(QStringLiteral("proto/secret.proto"))));
        Library lib(m_tmp.filePath(QStringLiteral("split-links.sqlite")));
        lib.importPaths({copy});
        const QString out = m_tmp.filePath(QStringLiteral("split-links-export"));
        writeEfficientPaperFolder(lib.allPapers(), out);
        QVERIFY(QFileInfo::exists(QDir(out).filePath(QStringLiteral("notes/blank.jpg"))));
        QVERIFY(!QFileInfo::exists(QDir(out).filePath(QStringLiteral("notes/secret.jpg"))));
        QVERIFY(!QFileInfo::exists(QDir(out).filePath(QStringLiteral("proto/secret.proto"))));
    }

    // What the user sets in PaperLab goes into both files of the paper; the rest of each
    // file stays as it was. The edited note goes to the one note file there is (2024's):
    // the 2023 file keeps saying it has none.
    void editsGoIntoEveryFileOfThePaper()
    {
        const QString copy = m_tmp.filePath(QStringLiteral("split-copy"));
        QVERIFY(testing::copyTree(splitLibrary(), copy));
        Library lib(m_tmp.filePath(QStringLiteral("split-edited.sqlite")));
        lib.importPaths({copy});
        const auto paper = lib.paperByKey(QStringLiteral("Sparse-IFT"));
        QVERIFY(paper);
        lib.setRating(paper->id, 5);
        lib.setStatus(paper->id, ReadingStatus::Read);
        lib.setNote(paper->id, QStringLiteral("# Sparse-IFT\n\nRead it twice.\n"));
        const QString out = m_tmp.filePath(QStringLiteral("split-edited-export"));
        const WriteReport w = writeEfficientPaperFolder(lib.allPapers(), out);
        QVERIFY2(w.errors.isEmpty(), qPrintable(w.errors.join(QLatin1Char('\n'))));

        const QStringList edits{QStringLiteral("rating: 5"), QStringLiteral("reading.status: \"read\""),
                                QStringLiteral("reading.note_written: true")};
        for (const QString &year : {QStringLiteral("2023"), QStringLiteral("2024")}) {
            const QString rel = QStringLiteral("meta/%1/Sparse-IFT.prototxt").arg(year);
            QStringList fields = fieldsOf(readText(QDir(out).filePath(rel)));
            for (const QString &edit : edits) {
                QVERIFY2(fields.contains(edit), qPrintable(rel + u'\n' + fields.join(QLatin1Char('\n'))));
                fields.removeAll(edit);
            }
            QCOMPARE(fields, fieldsOf(readText(QDir(splitLibrary()).filePath(rel))));
        }
        QCOMPARE(readText(QDir(out).filePath(QStringLiteral("notes/2024/Sparse-IFT/note.md"))),
                 QStringLiteral("# Sparse-IFT\n\nRead it twice.\n"));
        QVERIFY(!QFileInfo::exists(QDir(out).filePath(QStringLiteral("notes/2023"))));
    }

    // A url the library wrote with a leading space goes back with it while the paper's url
    // is unchanged; a changed url is written as it now is.
    void spellingKeptWhileTheValueIsUnchanged_data()
    {
        QTest::addColumn<QString>("codeUrl");
        QTest::addColumn<QString>("written");
        QTest::newRow("unchanged") << "https://github.com/ZO-Bench/ZO-LLM"
                                   << "code.url: \" https://github.com/ZO-Bench/ZO-LLM\"";
        QTest::newRow("changed") << "https://github.com/ZO-Bench/ZO-LLM-v2"
                                 << "code.url: \"https://github.com/ZO-Bench/ZO-LLM-v2\"";
    }

    void spellingKeptWhileTheValueIsUnchanged()
    {
        QFETCH(QString, codeUrl);
        QFETCH(QString, written);
        Library lib(m_tmp.filePath(QStringLiteral("spelling-%1.sqlite").arg(QTest::currentDataTag())));
        lib.importPaths({splitLibrary()});
        auto paper = lib.paperByKey(QStringLiteral("ZOBench"));
        QVERIFY(paper);
        QCOMPARE(paper->codeUrl, QStringLiteral("https://github.com/ZO-Bench/ZO-LLM")); // read trimmed
        paper->codeUrl = codeUrl;
        const QStringList fields = fieldsOf(paperInfoText(*paper));
        QVERIFY2(fields.contains(written), qPrintable(fields.join(QLatin1Char('\n'))));
    }

    // Changed in PaperLab, a paper still keeps what only its library knows, in its block.
    void editedPaperKeepsNestedFields()
    {
        Library lib(m_tmp.filePath(QStringLiteral("edited.sqlite")));
        lib.importPaths({fixtureLibrary()});
        auto paper = lib.paperByKey(QStringLiteral("FlashAttention-2"));
        QVERIFY(paper);
        lib.setRating(paper->id, 2);
        paper = lib.paperByKey(QStringLiteral("FlashAttention-2"));
        paper->topicList.append(QStringLiteral("Quantization"));
        const QStringList fields = fieldsOf(paperInfoText(*paper));
        QVERIFY2(fields.contains(QStringLiteral("paper.venue_url: \"https://openreview.net/forum?id=mZn2Xyh9Ec\"")),
                 qPrintable(fields.join(QLatin1Char('\n'))));
        QVERIFY(fields.contains(QStringLiteral("rating: 2")));
        QVERIFY(fields.contains(QStringLiteral("keyword.words: long_context")));
        QVERIFY(fields.contains(QStringLiteral("keyword.words: quantization")));
        QVERIFY(fields.contains(QStringLiteral("code.type: \"Pytorch\"")));
        QCOMPARE(fields.count(QStringLiteral("rating: 2")), 1);
    }
};

QTEST_GUILESS_MAIN(TestEfficientPaperLibrary)
#include "tst_efficientpaperlibrary.moc"
