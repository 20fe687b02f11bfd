// parseCheckboxList on the real checkbox reading list (seed 002) and on broken items.

#include "seedfiles.h"

#include <QTest>

using namespace paperlab;
using namespace paperlab::testing;

class TestCheckboxList : public QObject {
    Q_OBJECT

private:
    ImportBatch m_seed;

private slots:
    void initTestCase()
    {
        const QString text = seedText(QStringLiteral("002"));
        QVERIFY2(!text.isEmpty(), "seed 002 not found in PAPERLAB_SEEDS_DIR");
        m_seed = parseCheckboxList(text, QStringLiteral("002.txt"));
    }

    void seedCounts()
    {
        QCOMPARE(m_seed.papers.size(), 11);
        QVERIFY2(m_seed.diagnostics.isEmpty(), qPrintable(describe(m_seed)));
        int read = 0;
        for (const PaperRecord &r : m_seed.papers) {
            QCOMPARE(r.source.format, QStringLiteral("checkbox-list"));
            QVERIFY(r.status.has_value());
            read += r.status == ReadingStatus::Read;
            QCOMPARE(r.topics.first(), QStringLiteral("MLSys"));
        }
        QCOMPARE(read, 3);
        // The preamble's source links are not papers.
        QVERIFY(!findByTitle(m_seed, QStringLiteral("ADSL Reading Group")));
        QVERIFY(!findByTitle(m_seed, QStringLiteral("The Hall of Fame")));
    }

    void seedPapers_data()
    {
        QTest::addColumn<QString>("titleStart");
        QTest::addColumn<int>("line");
        QTest::addColumn<bool>("read");
        QTest::addColumn<QStringList>("topics");
        QTest::addColumn<QString>("arxivId");
        QTest::addColumn<int>("year");
        QTest::addColumn<QString>("note");

        QTest::newRow("FlashAttention") << "FlashAttention: Fast and Memory-Efficient Exact Attention with IO-Awareness"
                                        << 16 << true << QStringList{"MLSys", "Kernel"} << "2205.14135" << 2022
                                        << "Flash Attention, [note](flashattention.md)";
        QTest::newRow("plain link, note link only")
            << "Attention Survey" << 14 << false << QStringList{"MLSys", "Kernel"} << "" << 0
            << "[note](./note/attention_survey.md)";
        QTest::newRow("note after a blank line")
            << "SARATHI:" << 25 << true << QStringList{"MLSys", "Prefill & Decoding"} << "2308.16369" << 2023
            << "Chunked Prefills, piggyback, [note](note/STRATHI_chunked_prefill.md)";
        QTest::newRow("Medusa") << "Medusa:" << 31 << true << QStringList{"MLSys", "Speculative Decoding"}
                                << "2401.10774" << 2024
                                << "medusa, multiple decoding head, tree-attention, [note](note/Medusa.md)";
        QTest::newRow("no note") << "EAGLE-3:" << 42 << false << QStringList{"MLSys", "Speculative Decoding"}
                                 << "2503.01840" << 2025 << "";
        QTest::newRow("unicode note")
            << "Break the Sequential Dependency" << 37 << false << QStringList{"MLSys", "Speculative Decoding"}
            << "2402.02057" << 2024
            << QString::fromUtf8(
                   "Lookahead Decoding，将自回归解码视为求解非线性系统，通过固定点迭代（fixed-point iteration），"
                   "生成轨迹 Jacobi trajectory 可以再利用，之前的推测放入 n-gram pool 中作为候选，重新利用。");
    }

    void seedPapers()
    {
        QFETCH(QString, titleStart);
        QFETCH(int, line);
        QFETCH(bool, read);
        QFETCH(QStringList, topics);
        QFETCH(QString, arxivId);
        QFETCH(int, year);
        QFETCH(QString, note);

        const PaperRecord *r = findByTitle(m_seed, titleStart);
        QVERIFY2(r, qPrintable(titleStart));
        QCOMPARE(r->source.line, line);
        QCOMPARE(r->status, std::optional(read ? ReadingStatus::Read : ReadingStatus::Unread));
        QCOMPARE(r->topics, topics);
        QCOMPARE(r->arxivId, arxivId);
        QCOMPARE(r->year, year);
        QCOMPARE(r->noteMarkdown, note);
        QVERIFY(!r->title.startsWith(QLatin1Char('[')));
        if (!arxivId.isEmpty()) {
            QCOMPARE(r->venue, QStringLiteral("arXiv"));
            QCOMPARE(r->paperUrl, QStringLiteral("https://arxiv.org/abs/") + arxivId);
        }
    }

    void malformedItems_data()
    {
        QTest::addColumn<QString>("badLine");
        QTest::addColumn<int>("papers");

        QTest::newRow("unclosed link text")
            << "- [X] [[2205.14135] Broken title(https://arxiv.org/abs/2205.14135)" << 2;
        QTest::newRow("unclosed url") << "- [ ] [Broken](https://example.org/x" << 2;
        QTest::newRow("empty item") << "- [X] " << 2;
    }

    void malformedItems()
    {
        QFETCH(QString, badLine);
        QFETCH(int, papers);

        const QString text = QStringLiteral("## Systems\n"                                                      // 1
                                            "### Serving\n"                                                     // 2
                                            "- [X] [[2401.00001] Good One](https://arxiv.org/abs/2401.00001)\n" // 3
                                            "  first note\n")                                                   // 4
                             + badLine +
                             QStringLiteral("\n"                                            // 5
                                            "  note of the broken item\n"                   // 6
                                            "- [ ] [Good Two](https://example.org/two)\n"); // 7
        const ImportBatch b = parseCheckboxList(text, QStringLiteral("bad.md"));
        QCOMPARE(b.papers.size(), papers);
        QCOMPARE(b.errorCount(), 1);
        QCOMPARE(b.diagnostics.first().line, 5);
        QCOMPARE(b.diagnostics.first().file, QStringLiteral("bad.md"));

        const PaperRecord *g1 = findByTitle(b, QStringLiteral("Good One"));
        QVERIFY(g1);
        QCOMPARE(g1->noteMarkdown, QStringLiteral("first note"));
        QCOMPARE(g1->topics, (QStringList{QStringLiteral("Systems"), QStringLiteral("Serving")}));
        const PaperRecord *g2 = findByTitle(b, QStringLiteral("Good Two"));
        QVERIFY(g2);
        QCOMPARE(g2->source.line, 7);
        QCOMPARE(g2->status, std::optional(ReadingStatus::Unread));
        QVERIFY(g2->noteMarkdown.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestCheckboxList)
#include "tst_checkboxlist.moc"
