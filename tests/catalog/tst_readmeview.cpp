// parseReadmeView on the real EfficientPaper README view (seed 004) and on broken tables.

#include "seedfiles.h"

#include <QSet>
#include <QTest>

using namespace paperlab;
using namespace paperlab::testing;

class TestReadmeView : public QObject {
    Q_OBJECT

private:
    ImportBatch m_seed;

    const PaperRecord *byKey(const QString &key, int year = 0) const
    {
        for (const PaperRecord &r : m_seed.papers)
            if (r.key == key && (year == 0 || r.year == year))
                return &r;
        return nullptr;
    }

private slots:
    void initTestCase()
    {
        const QString text = seedText(QStringLiteral("004"));
        QVERIFY2(!text.isEmpty(), "seed 004 not found in PAPERLAB_SEEDS_DIR");
        m_seed = parseReadmeView(text, QStringLiteral("004.txt"));
    }

    void seedHasOneRecordPerMetaFile()
    {
        // 569 table rows, 295 meta files; Sparse-IFT has a 2023 and a 2024 meta file.
        QCOMPARE(m_seed.papers.size(), 295);
        QSet<QString> keys;
        for (const PaperRecord &r : m_seed.papers)
            keys.insert(r.key);
        QCOMPARE(keys.size(), 294);
        QVERIFY(byKey(QStringLiteral("Sparse-IFT"), 2023));
        QVERIFY(byKey(QStringLiteral("Sparse-IFT"), 2024));
        for (const PaperRecord &r : m_seed.papers) {
            QCOMPARE(r.source.format, QStringLiteral("readme-view"));
            QVERIFY2(!r.title.isEmpty(), qPrintable(r.key));
            QVERIFY2(!r.institutions.isEmpty(), qPrintable(r.key));
            QVERIFY2(r.year > 0, qPrintable(r.key));
        }
    }

    void seedDiagnosticsNameTheBrokenRows()
    {
        // Only the two MIRAGE rows are broken: nested badge, cells shifted one column left.
        QCOMPARE(m_seed.errorCount(), 0);
        QCOMPARE(m_seed.warningCount(), 4);
        for (const Diagnostic &d : m_seed.diagnostics) {
            QVERIFY2(d.line == 1789 || d.line == 1790, qPrintable(d.toString()));
            QCOMPARE(d.file, QStringLiteral("004.txt"));
        }
    }

    void seedPapers_data()
    {
        QTest::addColumn<QString>("key");
        QTest::addColumn<int>("year");
        QTest::addColumn<QString>("abbr");
        QTest::addColumn<QString>("titleStart");
        QTest::addColumn<QString>("venue");
        QTest::addColumn<QString>("arxivId");
        QTest::addColumn<QString>("codeUrl");
        QTest::addColumn<QStringList>("institutions");
        QTest::addColumn<int>("line");

        QTest::newRow("CacheBlend") << "CacheBlend" << 2025 << "CacheBlend"
                                    << "CacheBlend: Fast Large Language Model Serving"
                                    << "EuroSys"
                                    << "2405.16444"
                                    << "https://github.com/LMCache/LMCache" << QStringList{"inst1", "inst2"} << 2374;
        QTest::newRow("MXFP4Train in two institutions")
            << "MXFP4Train" << 2025 << "MXFP4Train"
            << "Training LLMs with MXFP4"
            << "AISTATS"
            << "2502.20586"
            << "https://github.com/amazon-science/mxfp4-llm" << QStringList{"AWS AI", "Cornell University"} << 13;
        QTest::newRow("placeholder abbr m")
            << "WDCO13S6" << 2023 << ""
            << "Structural Pruning of Large Language Models"
            << "AutoML Workshop"
            << ""
            << "https://github.com/awslabs/syne-tune" << QStringList{"AWS AI Labs"} << 22;
        QTest::newRow("generated key is no abbr")
            << "07NWF4VE" << 2025 << ""
            << "Accelerating LLM Inference Throughput"
            << "arXiv"
            << "2504.06319"
            << "" << QStringList{"Alibaba Cloud", "Central South University"} << 43;
        QTest::newRow("link text differs from key") << "flash_llm" << 2024 << "Flash-LLM"
                                                    << "Flash-LLM: Enabling"
                                                    << "VLDB"
                                                    << "2309.10285"
                                                    << "https://github.com/AlibabaResearch/flash-llm"
                                                    << QStringList{"Alibaba Group", "Univeristy of Sydney"} << 53;
        QTest::newRow("non-arXiv url") << "FlashDecoding" << 2023 << "Flash-Decoding"
                                       << "Flash-Decoding for long-context inference"
                                       << "arXiv"
                                       << ""
                                       << "" << QStringList{"Stanford University", "inst2"} << 1617;
        QTest::newRow("Coling badge") << "SDS" << 2025 << "SDS"
                                      << "Enhancing One-shot Pruned"
                                      << "COLING"
                                      << "2408.10473"
                                      << "" << QStringList{"Advanced Micro Devices"} << 32;
        QTest::newRow("code link without badge")
            << "CHESS" << 2024 << "CHESS"
            << "Optimizing LLM Inference via Channel-Wise"
            << "arXiv"
            << "2409.01366"
            << "https://anonymous.4open.science/r/CHESS-BA40/README.md"
            << QStringList{"City University of Hong Kong", "MBZUAI", "Wuhan University"} << 218;
        QTest::newRow("malformed MIRAGE row")
            << "MIRAGE" << 2025 << "MIRAGE"
            << "MIRAGE: KV Cache Optimization"
            << "arXiv"
            << "2507.11507"
            << "" << QStringList{"Fairleigh Dickinson University", "The University of Texas at Austin"} << 381;
        QTest::newRow("non-ASCII key") << QString::fromUtf8("Týr-the-Pruner") << 2025
                                       << QString::fromUtf8("Týr-the-Pruner")
                                       << QString::fromUtf8("Týr-the-Pruner: Unlocking") << "arXiv"
                                       << "2503.09657"
                                       << "" << QStringList{"Advanced Micro Devices"} << 34;
    }

    void seedPapers()
    {
        QFETCH(QString, key);
        QFETCH(int, year);
        QFETCH(QString, abbr);
        QFETCH(QString, titleStart);
        QFETCH(QString, venue);
        QFETCH(QString, arxivId);
        QFETCH(QString, codeUrl);
        QFETCH(QStringList, institutions);
        QFETCH(int, line);

        const PaperRecord *r = byKey(key, year);
        QVERIFY2(r, qPrintable(key));
        QCOMPARE(r->abbr, abbr);
        QVERIFY2(r->title.startsWith(titleStart), qPrintable(r->title));
        QCOMPARE(r->venue, venue);
        QCOMPARE(r->year, year);
        QCOMPARE(r->arxivId, arxivId);
        QCOMPARE(r->codeUrl, codeUrl);
        QCOMPARE(r->institutions, institutions);
        QCOMPARE(r->source.line, line);
    }

    void seedPathsAndBadges()
    {
        const PaperRecord *cb = byKey(QStringLiteral("CacheBlend"));
        QVERIFY(cb);
        QCOMPARE(cb->venueRaw, QStringLiteral("2025-EuroSys"));
        QCOMPARE(cb->paperUrl, QStringLiteral("http://arxiv.org/abs/2405.16444v3"));
        // Without a baseDir, paths stay relative to the README's folder.
        QCOMPARE(cb->coverPath, QStringLiteral("notes/2025/CacheBlend/fig1.png"));
        QCOMPARE(cb->notePath, QStringLiteral("notes/2025/CacheBlend/note.md"));

        const PaperRecord *mirage = byKey(QStringLiteral("MIRAGE"));
        QVERIFY(mirage);
        QCOMPARE(mirage->notePath, QStringLiteral("notes/2025/MIRAGE/note.md")); // recovered from the Code column
        QVERIFY(mirage->coverPath.isEmpty());

        const PaperRecord *nas = byKey(QStringLiteral("WDCO13S6"));
        QVERIFY(nas);
        QCOMPARE(nas->openReviewUrl, QStringLiteral("https://openreview.net/forum?id=SHlZcInS6C"));
        QVERIFY(nas->notePath.isEmpty());
    }

    void baseDirMakesPathsAbsolute()
    {
        const ImportBatch b =
            parseReadmeView(seedText(QStringLiteral("004")), QStringLiteral("004.txt"), QStringLiteral("/lib/root"));
        const PaperRecord *r = findByTitle(b, QStringLiteral("Training LLMs with MXFP4"));
        QVERIFY(r);
        QCOMPARE(r->coverPath, QStringLiteral("/lib/root/notes/2025/MXFP4Train/fig1.png"));
        QCOMPARE(r->notePath, QStringLiteral("/lib/root/notes/2025/MXFP4Train/note.md"));
    }

    void malformedRows_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<int>("papers");
        QTest::addColumn<int>("errorLine");   // 0: no error expected
        QTest::addColumn<int>("warningLine"); // 0: no warning expected

        const QString head =
            QStringLiteral("### institution\n"                                  // 1
                           "<details open><summary><b>Lab A</b></summary>\n"    // 2
                           "| Meta | Title | Cover | Publish | Code | Note |\n" // 3
                           "|:-----|:------|:------|:--------|:-----|:-----|\n" // 4
                           "| [Good1](./meta/2024/Good1.prototxt) | [Good One](http://arxiv.org/abs/2401.00001) |  | "
                           "![Publish](https://img.shields.io/badge/2024-ICML-FF8C00) |  |  |\n"); // 5
        const QString tail =
            QStringLiteral("| [Good2](./meta/2025/Good2.prototxt) | [Good Two](https://openreview.net/forum?id=x) |  | "
                           "![Publish](https://img.shields.io/badge/2025-ICLR-FF8C00) |  |  |\n"
                           "</details>\n");
        QTest::newRow("row without meta link")
            << head + "| Good3 | [No Meta](http://x) |  |  |  |  |\n" + tail << 2 << 6 << 0;
        QTest::newRow("publish without badge")
            << head + "| [B](./meta/2024/B.prototxt) | [Bad Badge](http://x) |  | ICML whenever |  |  |\n" + tail << 3
            << 0 << 6;
        QTest::newRow("unbalanced brackets")
            << head + "| [C](./meta/2024/C.prototxt | [Broken](http://x |\n" + tail << 2 << 6 << 6; // and too few cells
        QTest::newRow("note cell not a link")
            << head + "| [D](./meta/2024/D.prototxt) | [Dee](http://x) |  |  |  | see wiki |\n" + tail << 3 << 0 << 6;
        QTest::newRow("truncated file") << head + "| [E](./meta/2024/E.prototxt) | [Ee" << 2 << 0 << 6;
    }

    void malformedRows()
    {
        QFETCH(QString, text);
        QFETCH(int, papers);
        QFETCH(int, errorLine);
        QFETCH(int, warningLine);

        const ImportBatch b = parseReadmeView(text, QStringLiteral("bad.md"));
        QCOMPARE(b.papers.size(), papers);
        QCOMPARE(b.errorCount(), errorLine ? 1 : 0);
        QCOMPARE(b.warningCount(), warningLine ? 1 : 0);
        for (const Diagnostic &d : b.diagnostics) {
            QCOMPARE(d.file, QStringLiteral("bad.md"));
            QCOMPARE(d.line, d.severity == Diagnostic::Severity::Error ? errorLine : warningLine);
        }
        // The good rows around the broken one still come out whole.
        const PaperRecord *g1 = findByTitle(b, QStringLiteral("Good One"));
        QVERIFY(g1);
        QCOMPARE(g1->source.line, 5);
        QCOMPARE(g1->venue, QStringLiteral("ICML"));
        QCOMPARE(g1->institutions, QStringList{QStringLiteral("Lab A")});
        if (papers > 1 && !text.endsWith(QLatin1String("[Ee"))) {
            const PaperRecord *g2 = findByTitle(b, QStringLiteral("Good Two"));
            QVERIFY(g2);
            QCOMPARE(g2->year, 2025);
            QCOMPARE(g2->openReviewUrl, QStringLiteral("https://openreview.net/forum?id=x"));
        }
    }

    void keywordSectionsGiveTopics()
    {
        const QString text = QStringLiteral(
            "<details open><summary>\n\n### keyword\n</summary>\n<p>\n"
            "<details open><summary><b>kv_cache</b></summary>\n<p>\n\n"
            "| Meta | Title | Cover | Publish | Code | Note |\n|:-----|:------|:------|:--------|:-----|:-----|\n"
            "| [X](./meta/2025/X.prototxt) | [X: one](http://arxiv.org/abs/2501.00001) |  | "
            "![Publish](https://img.shields.io/badge/2025-arXiv-1E88E5) |  |  |\n"
            "</p>\n</details>\n"
            "<details open><summary><b>Quantization</b></summary>\n<p>\n\n"
            "| Meta | Title | Cover | Publish | Code | Note |\n|:-----|:------|:------|:--------|:-----|:-----|\n"
            "| [X](./meta/2025/X.prototxt) | [X: one](http://arxiv.org/abs/2501.00001) |  | "
            "![Publish](https://img.shields.io/badge/2025-arXiv-1E88E5) |  |  |\n"
            "</p>\n</details>\n</p>\n</details>\n");
        const ImportBatch b = parseReadmeView(text, QStringLiteral("kw.md"));
        QCOMPARE(b.papers.size(), 1);
        QCOMPARE(b.diagnostics.size(), 0);
        QCOMPARE(b.papers.first().topics, (QStringList{QStringLiteral("KV Cache"), QStringLiteral("Quantization")}));
        QVERIFY(b.papers.first().institutions.isEmpty());
        QCOMPARE(b.papers.first().source.line, 11);
    }
};

QTEST_GUILESS_MAIN(TestReadmeView)
#include "tst_readmeview.moc"
