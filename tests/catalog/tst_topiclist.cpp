// parseTopicList on the real topic list (seed 000) and on broken lines.

#include "seedfiles.h"

#include <QTest>

using namespace paperlab;
using namespace paperlab::testing;

class TestTopicList : public QObject {
    Q_OBJECT

private:
    ImportBatch m_seed;

private slots:
    void initTestCase()
    {
        const QString text = seedText(QStringLiteral("000"));
        QVERIFY2(!text.isEmpty(), "seed 000 not found in PAPERLAB_SEEDS_DIR");
        m_seed = parseTopicList(text, QStringLiteral("000.txt"));
    }

    void seedCounts()
    {
        QCOMPARE(m_seed.papers.size(), 25);
        QVERIFY2(m_seed.diagnostics.isEmpty(), qPrintable(describe(m_seed)));
        QMap<QString, int> perTopic;
        for (const PaperRecord &r : m_seed.papers) {
            QCOMPARE(r.source.format, QStringLiteral("topic-list"));
            QCOMPARE(r.topics.size(), 1);
            ++perTopic[r.topics.first()];
            QVERIFY(!r.title.contains(QLatin1Char('_')));
        }
        QCOMPARE(perTopic.value(QStringLiteral("KV Cache")), 8);
        QCOMPARE(perTopic.value(QStringLiteral("MLLM")), 7);
        QCOMPARE(perTopic.value(QStringLiteral("Quantization")), 5);
        QCOMPARE(perTopic.value(QStringLiteral("Recommendation System")), 0); // an empty topic
        QCOMPARE(perTopic.value(QStringLiteral("Speculative Decoding")), 2);
        QCOMPARE(perTopic.value(QStringLiteral("System")), 2);
        QCOMPARE(perTopic.value(QStringLiteral("Technical Report")), 1);
    }

    void seedPapers_data()
    {
        QTest::addColumn<QString>("title");
        QTest::addColumn<int>("line");
        QTest::addColumn<QString>("abbr");
        QTest::addColumn<QString>("topic");
        QTest::addColumn<QString>("venue");
        QTest::addColumn<int>("year");

        QTest::newRow("squashed and truncated") << "MInference1.0-AcceleratingPre-fillingfor" << 8 << ""
                                                << "KV Cache"
                                                << "" << 0;
        QTest::newRow("name - title - venue")
            << "HashAttention: Semantic Sparsity for Faster Inference" << 10 << "HashAttention"
            << "KV Cache"
            << "ICML" << 2025;
        QTest::newRow("Eurosys'25")
            << "CacheBlend: Fast Large Language Model Serving for RAGwithCached Knowledge Fusion" << 13 << "CacheBlend"
            << "KV Cache"
            << "EuroSys" << 2025;
        QTest::newRow("underscore after name")
            << "VoCo-LLaMA: Towards Vision Compression with Large Language Models" << 19 << "VoCo-LLaMA"
            << "MLLM"
            << "" << 0;
        QTest::newRow("underscore for every space, trailing spaces")
            << "PEARL PARALLEL SPECULATIVE DECODING WITH ADAPTIVE DRAFT LENGTH" << 37 << ""
            << "Speculative Decoding"
            << "" << 0;
        QTest::newRow("MLsys'25") << "NEO: Saving GPU Memory Crisis with CPU Offloading for Online LLM Inference" << 41
                                  << "NEO"
                                  << "System"
                                  << "MLSys" << 2025;
        QTest::newRow("bare venue word") << "T-MAC" << 42 << "T-MAC"
                                         << "System"
                                         << "EuroSys" << 0;
        QTest::newRow("multi-word first part")
            << "Optimizing Large Language Model Training Using FP4 Quantization" << 31 << ""
            << "Quantization"
            << "ICML" << 2025;
        QTest::newRow("name only") << "SageAttention" << 29 << "SageAttention"
                                   << "Quantization"
                                   << "" << 0;
        QTest::newRow("MM'25") << "TimeChat-Online: 80% Visual Tokens are Naturally Redundant in Streaming Videos" << 24
                               << "TimeChat-Online"
                               << "MLLM"
                               << "MM" << 2025;
        QTest::newRow("Llama4") << "Llama4" << 46 << "Llama4"
                                << "Technical Report"
                                << "" << 0;
    }

    void seedPapers()
    {
        QFETCH(QString, title);
        QFETCH(int, line);
        QFETCH(QString, abbr);
        QFETCH(QString, topic);
        QFETCH(QString, venue);
        QFETCH(int, year);

        const PaperRecord *r = nullptr;
        for (const PaperRecord &p : m_seed.papers)
            if (p.title == title)
                r = &p;
        QVERIFY2(r, qPrintable(title));
        QCOMPARE(r->source.line, line);
        QCOMPARE(r->abbr, abbr);
        QCOMPARE(r->topics, QStringList{topic});
        QCOMPARE(r->venue, venue);
        QCOMPARE(r->year, year);
    }

    void malformedLines_data()
    {
        QTest::addColumn<QString>("badLine");
        QTest::addColumn<int>("papers");
        QTest::addColumn<bool>("isError");

        QTest::newRow("venue without title") << " - ICML'25" << 2 << true;
        QTest::newRow("table row") << "| a | b |" << 2 << false;
        QTest::newRow("punctuation only") << "?!?" << 2 << false;
    }

    void malformedLines()
    {
        QFETCH(QString, badLine);
        QFETCH(int, papers);
        QFETCH(bool, isError);

        const QString text = QStringLiteral("# My list\n"                               // 1
                                            "Some intro text - not a paper - ICML'25\n" // 2
                                            "## Kernels\n"                              // 3
                                            "GoodOne - First Title - FAST25\n")         // 4
                             + badLine +
                             QStringLiteral("\n"                          // 5
                                            "Good_Two and more words\n"); // 6
        const ImportBatch b = parseTopicList(text, QStringLiteral("bad.md"));
        QCOMPARE(b.papers.size(), papers);
        QCOMPARE(b.diagnostics.size(), 1);
        QCOMPARE(b.diagnostics.first().line, 5);
        QCOMPARE(b.diagnostics.first().severity == Diagnostic::Severity::Error, isError);

        const PaperRecord *g1 = findByTitle(b, QStringLiteral("GoodOne"));
        QVERIFY(g1);
        QCOMPARE(g1->title, QStringLiteral("GoodOne: First Title"));
        QCOMPARE(g1->venue, QStringLiteral("FAST"));
        QCOMPARE(g1->year, 2025);
        QCOMPARE(g1->topics, QStringList{QStringLiteral("Kernels")});
        const PaperRecord *g2 = findByTitle(b, QStringLiteral("Good"));
        QVERIFY(g2);
        QVERIFY(findByTitle(b, QStringLiteral("Good: Two and more words")));
    }

    void emptyHeadingWarns()
    {
        const ImportBatch b =
            parseTopicList(QStringLiteral("## \nLonely Paper Title\n## Next\nOther Paper\n"), QStringLiteral("h.md"));
        QCOMPARE(b.papers.size(), 2);
        QCOMPARE(b.warningCount(), 1);
        QCOMPARE(b.diagnostics.first().line, 1);
        QVERIFY(b.papers.first().topics.isEmpty());
        QCOMPARE(b.papers.last().topics, QStringList{QStringLiteral("Next")});
    }
};

QTEST_GUILESS_MAIN(TestTopicList)
#include "tst_topiclist.moc"
