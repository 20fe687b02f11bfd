// The Markdown list variants real files use (fixtures/lists/, modelled on kexinchu's
// key-point notes, autoLiterature monthly lists, awesome lists, EfficientPaper's weekly
// view and a topic list with URLs): each detected, every paper read, every skipped block
// reported at file:line and counted, so papers + skipped is what the file holds.

#include "importers/importers.h"
#include "library.h"

#include <QTemporaryDir>
#include <QTest>

using namespace paperlab;

namespace {

QString fixture(const QString &name)
{
    return QFINDTESTDATA(QStringLiteral("fixtures/lists/") + name);
}

const PaperRecord *byTitleStart(const ImportBatch &b, const QString &start)
{
    for (const PaperRecord &r : b.papers)
        if (r.title.startsWith(start))
            return &r;
    return nullptr;
}

QString diagnosticsText(const ImportBatch &b)
{
    QStringList out;
    for (const Diagnostic &d : b.diagnostics)
        out.append(d.toString());
    return out.join(QLatin1Char('\n'));
}

} // namespace

class TestListVariants : public QObject {
    Q_OBJECT

private slots:
    void countsAddUp_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<int>("format");
        QTest::addColumn<int>("papers");
        QTest::addColumn<QList<int>>("skippedLines"); // each reported at its line
        QTest::newRow("key-point notes") << "keypoint-variants.md" << int(SourceFormat::KeyPointNotes) << 5
                                         << QList<int>{39};
        QTest::newRow("monthly list") << "monthly-variants.md" << int(SourceFormat::MonthlyList) << 4 << QList<int>{18};
        QTest::newRow("awesome list") << "awesome-list.md" << int(SourceFormat::AwesomeList) << 6 << QList<int>{};
        QTest::newRow("weekly view") << "weekly-view.md" << int(SourceFormat::WeeklyList) << 2 << QList<int>{};
        QTest::newRow("topic list") << "topic-urls.md" << int(SourceFormat::TopicList) << 4 << QList<int>{8};
    }

    void countsAddUp()
    {
        QFETCH(QString, file);
        QFETCH(int, format);
        QFETCH(int, papers);
        QFETCH(QList<int>, skippedLines);
        const QString path = fixture(file);
        QVERIFY2(!path.isEmpty(), qPrintable(file));
        QCOMPARE(int(detectFormat(path)), format);
        const ImportBatch b = parseSource(path);
        QVERIFY2(b.papers.size() == papers, qPrintable(diagnosticsText(b)));
        QCOMPARE(b.skipped, int(skippedLines.size()));
        QList<int> reported;
        for (const Diagnostic &d : b.diagnostics)
            if (d.message.contains(QLatin1String("skipped")))
                reported.append(d.line);
        QCOMPARE(reported, skippedLines);
        for (const PaperRecord &r : b.papers) {
            QVERIFY2(r.source.line > 0, qPrintable(r.title));
            QVERIFY2(!r.title.contains(QLatin1String("://")), qPrintable(r.title));
        }
    }

    void fields_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("titleStart");
        QTest::addColumn<QString>("title"); // whole title; empty: not checked
        QTest::addColumn<QString>("arxivId");
        QTest::addColumn<QString>("venue");
        QTest::addColumn<QStringList>("topics");
        QTest::addColumn<QStringList>("institutions");
        QTest::addColumn<QString>("noteHas");
        QTest::addColumn<QString>("codeUrl");

        QTest::newRow("heading without Title, \"Paper List\" field")
            << "keypoint-variants.md"
            << "Inf-MLLM"
            << ""
            << "2409.09086"
            << "arXiv" << QStringList() << QStringList{"Shanghai Jiao Tong University"}
            << "efficient streaming inference"
            << "";
        QTest::newRow("full-width colons")
            << "keypoint-variants.md"
            << "UELLM"
            << "UELLM: A Unified and Efficient Approach for Large Language Model Inference Serving"
            << "2409.14961"
            << "ICSOC" << QStringList() << QStringList{"Tsinghua University"} << "predicted output length"
            << "";
        QTest::newRow("Title*:") << "keypoint-variants.md"
                                 << "Squeezed Attention"
                                 << ""
                                 << "2411.09688"
                                 << "arXiv" << QStringList() << QStringList{"UC Berkeley"} << ""
                                 << "";
        QTest::newRow("bare Title: line") << "keypoint-variants.md"
                                          << "Apparate"
                                          << ""
                                          << "2312.05385"
                                          << "arXiv" << QStringList() << QStringList{"Princeton"} << ""
                                          << "";
        QTest::newRow("nested - Title: item") << "keypoint-variants.md"
                                              << "Learning Transferable Visual Models"
                                              << ""
                                              << ""
                                              << "ICML" << QStringList() << QStringList{"Open AI"} << ""
                                              << "https://github.com/OpenAI/CLIP";

        QTest::newRow("tag before the title, leading space") << "monthly-variants.md"
                                                             << "Mooncake"
                                                             << "Mooncake: Trading More Storage for Less Computation"
                                                             << ""
                                                             << "FAST" << QStringList{"serving"} << QStringList() << ""
                                                             << "";
        QTest::newRow("backtick tag, wrapped title")
            << "monthly-variants.md"
            << "APE"
            << "APE: Faster and Longer Context-Augmented Generation via Adaptive Parallel Encoding"
            << "2502.05431"
            << "ICLR" << QStringList{"kv-cache"} << QStringList() << ""
            << "";
        QTest::newRow("arXiv link over a local pdf, prose is the note")
            << "monthly-variants.md"
            << "Efficient Memory Management"
            << ""
            << "2309.06180"
            << "arXiv" << QStringList() << QStringList() << "A second paragraph about copy-on-write sharing."
            << "";

        QTest::newRow("bullet with venue tag and code link")
            << "awesome-list.md"
            << "QuIP#"
            << "QuIP#: Even Better LLM Quantization with Hadamard Incoherence and Lattice Codebooks"
            << "2402.04396"
            << "ICML" << QStringList{"Quantization"} << QStringList() << ""
            << "https://github.com/Cornell-RelaxML/quip-sharp";
        QTest::newRow("numbered item, bold title, italic authors, venue after")
            << "awesome-list.md"
            << "H2O"
            << "H2O: Heavy-Hitter Oracle for Efficient Generative Inference of Large Language Models"
            << "2306.14048"
            << "NeurIPS" << QStringList{"KV Cache Compression", "Eviction"} << QStringList() << ""
            << "https://github.com/FMInference/H2O";
        QTest::newRow("table row, plain-text title with (@org)")
            << "awesome-list.md"
            << "Efficient Memory Management"
            << "Efficient Memory Management for Large Language Model Serving with PagedAttention"
            << "2309.06180"
            << "arXiv" << QStringList{"KV Cache Compression", "Serving"} << QStringList{"UC Berkeley"} << ""
            << "https://github.com/vllm-project/vllm";

        QTest::newRow("weekly view block")
            << "weekly-view.md"
            << "HybridKV"
            << ""
            << "2604.05887"
            << "arXiv" << QStringList() << QStringList() << "rapid growth of key-value (KV) caches"
            << "";

        QTest::newRow("URL after the title is its link")
            << "topic-urls.md"
            << "XAttention"
            << "XAttention: Block Sparse Attention with Antidiagonal Scoring"
            << "2503.16428"
            << "arXiv" << QStringList{"KV Cache"} << QStringList() << ""
            << "";
        QTest::newRow("parenthesised affiliations are institutions")
            << "topic-urls.md"
            << "KVzip"
            << "KVzip: Query-Agnostic KV Cache Compression with Context Reconstruction"
            << ""
            << "" << QStringList{"KV Cache"} << QStringList{"Seoul National University", "NAVER"} << ""
            << "";
    }

    void fields()
    {
        QFETCH(QString, file);
        QFETCH(QString, titleStart);
        QFETCH(QString, title);
        QFETCH(QString, arxivId);
        QFETCH(QString, venue);
        QFETCH(QStringList, topics);
        QFETCH(QStringList, institutions);
        QFETCH(QString, noteHas);
        QFETCH(QString, codeUrl);
        const ImportBatch b = parseSource(fixture(file));
        const PaperRecord *r = byTitleStart(b, titleStart);
        QVERIFY2(r, qPrintable(titleStart));
        if (!title.isEmpty())
            QCOMPARE(r->title, title);
        QCOMPARE(r->arxivId, arxivId);
        QCOMPARE(r->venue, venue);
        QCOMPARE(r->topics, topics);
        QCOMPARE(r->institutions, institutions);
        QVERIFY2(r->noteMarkdown.contains(noteHas), qPrintable(r->noteMarkdown));
        QCOMPARE(r->codeUrl, codeUrl);
    }

    // The import summary adds up to what the file holds, the second time too.
    void importSummaryAddsUp()
    {
        QTemporaryDir tmp;
        Library lib(tmp.filePath(QStringLiteral("index.sqlite")));
        const QString path = fixture(QStringLiteral("monthly-variants.md"));
        const ImportReport first = lib.importPaths({path});
        QCOMPARE(first.added + first.merged + first.unchanged, 4);
        QCOMPARE(first.skipped, 1);
        const ImportReport again = lib.importPaths({path});
        QCOMPARE(again.unchanged, 4);
        QCOMPARE(again.skipped, 1);
    }

    // A file that is no paper list is refused with the reason and a hint, never read line
    // by line as a topic list.
    void unrecognisedFileIsRefused()
    {
        const QString path = fixture(QStringLiteral("not-a-list.md"));
        QCOMPARE(detectFormat(path), SourceFormat::Unknown);
        const ImportBatch b = parseSource(path);
        QVERIFY(b.papers.isEmpty());
        QCOMPARE(b.errorCount(), 1);
        const QString message = b.diagnostics.first().toString();
        QVERIFY2(message.startsWith(path + QStringLiteral(": error: not a recognised paper list")),
                 qPrintable(message));
        QVERIFY2(message.contains(QLatin1String("(topic list)")), qPrintable(message));
    }
};

QTEST_GUILESS_MAIN(TestListVariants)
#include "tst_listvariants.moc"
