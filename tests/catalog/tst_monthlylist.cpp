// parseMonthlyList on the real monthly reading list (seed 001) and on broken items.

#include "seedfiles.h"

#include <QTest>

using namespace paperlab;
using namespace paperlab::testing;

Q_DECLARE_METATYPE(std::optional<paperlab::ReadingStatus>)

class TestMonthlyList : public QObject {
    Q_OBJECT

private:
    ImportBatch m_seed;

private slots:
    void initTestCase()
    {
        const QString text = seedText(QStringLiteral("001"));
        QVERIFY2(!text.isEmpty(), "seed 001 not found in PAPERLAB_SEEDS_DIR");
        m_seed = parseMonthlyList(text, QStringLiteral("001.txt"));
    }

    void seedCounts()
    {
        QCOMPARE(m_seed.papers.size(), 17);
        QVERIFY2(m_seed.diagnostics.isEmpty(), qPrintable(describe(m_seed)));
        for (const PaperRecord &r : m_seed.papers) {
            QCOMPARE(r.source.format, QStringLiteral("monthly-list"));
            QCOMPARE(r.authors.size(), 1); // "First Author et.al."
            QVERIFY(!r.title.contains(QLatin1String("**")));
            QVERIFY(!r.paperUrl.isEmpty());
        }
    }

    void seedPapers_data()
    {
        QTest::addColumn<QString>("titleStart");
        QTest::addColumn<int>("line");
        QTest::addColumn<QString>("abbr");
        QTest::addColumn<QString>("author");
        QTest::addColumn<QString>("venueRaw");
        QTest::addColumn<QString>("venue");
        QTest::addColumn<int>("year");
        QTest::addColumn<QString>("arxivId");
        QTest::addColumn<bool>("noteWritten");
        QTest::addColumn<bool>("slidesMade");
        QTest::addColumn<QString>("month");

        QTest::newRow("APE wraps, poster, open review")
            << "APE: Faster and Longer Context-Augmented Generation via Adaptive Parallel Encoding" << 22 << "APE"
            << "Xinyu Yang"
            << "ICLR Poster"
            << "ICLR" << 2025 << "2502.05431" << true << true << "2025-03";
        QTest::newRow("venue year beats preprint year")
            << "Fast On-device LLM Inference with NPUs" << 11 << ""
            << "Daliang Xu"
            << "ASPLOS25"
            << "ASPLOS" << 2025 << "2407.05858" << true << true << "2025-03";
        QTest::newRow("arxiv lower case") << "LLM in a flash" << 15 << ""
                                          << "Keivan Alizadeh"
                                          << "arxiv"
                                          << "arXiv" << 2023 << "2312.11514" << true << false << "2025-03";
        QTest::newRow("slide checkbox") << "Mooncake: Trading More Storage" << 18 << "Mooncake"
                                        << "Ruoyu Qin"
                                        << "FAST"
                                        << "FAST" << 2025 << "" << true << true << "2025-03";
        QTest::newRow("unchecked note") << "KVLink" << 27 << "KVLink"
                                        << "Jingbo Yang"
                                        << "arxiv"
                                        << "arXiv" << 2025 << "2502.16002" << false << false << "2025-03";
        QTest::newRow("no year field") << "IMPRESS" << 37 << "IMPRESS"
                                       << "Weijian Chen"
                                       << "FAST25"
                                       << "FAST" << 2025 << "" << false << true << "2025-03";
        QTest::newRow("sosp24") << "LoongServe" << 45 << "LoongServe"
                                << "Bingyang Wu"
                                << "sosp24"
                                << "SOSP" << 2024 << "2404.09526" << false << true << "2025-03";
        QTest::newRow("ppopp24 with a date") << "Liger" << 51 << "Liger"
                                             << "Du Jiangsu"
                                             << "ppopp24"
                                             << "PPoPP" << 2024 << "" << false << true << "2025-03";
        QTest::newRow("SC24, boxes without space")
            << "Fire-Flyer AI-HPC: A Cost-Effective Software-Hardware Co-Design for Deep Learning" << 56 << ""
            << "Wei An"
            << "SC24"
            << "SC" << 2024 << "2408.14158" << false << false << "2025-04";
    }

    void seedPapers()
    {
        QFETCH(QString, titleStart);
        QFETCH(int, line);
        QFETCH(QString, abbr);
        QFETCH(QString, author);
        QFETCH(QString, venueRaw);
        QFETCH(QString, venue);
        QFETCH(int, year);
        QFETCH(QString, arxivId);
        QFETCH(bool, noteWritten);
        QFETCH(bool, slidesMade);
        QFETCH(QString, month);

        const PaperRecord *r = findByTitle(m_seed, titleStart);
        QVERIFY2(r, qPrintable(titleStart));
        QCOMPARE(r->source.line, line);
        QCOMPARE(r->abbr, abbr);
        QCOMPARE(r->authors, QStringList{author});
        QCOMPARE(r->venueRaw, venueRaw);
        QCOMPARE(r->venue, venue);
        QCOMPARE(r->year, year);
        QCOMPARE(r->arxivId, arxivId);
        QCOMPARE(r->noteWritten, noteWritten);
        QCOMPARE(r->slidesMade, slidesMade);
        QVERIFY(r->highlights.contains(QStringLiteral("Reading list: ") + month));
        // Any ticked box means the paper was read; no box says nothing about it.
        if (noteWritten || slidesMade)
            QCOMPARE(r->status, std::optional(ReadingStatus::Read));
        else
            QVERIFY(!r->status.has_value());
    }

    void seedLinksAndMarks()
    {
        const PaperRecord *ape = findByTitle(m_seed, QStringLiteral("APE:"));
        QVERIFY(ape);
        QCOMPARE(ape->paperUrl, QStringLiteral("http://arxiv.org/abs/2502.05431v2"));
        QCOMPARE(ape->openReviewUrl, QStringLiteral("https://openreview.net/forum?id=yUC8pU508S"));
        QVERIFY(ape->highlights.contains(QString::fromUtf8("并行编码，training-free，kv-cache相似")));
        QVERIFY(ape->noteMarkdown.contains(QString::fromUtf8("并行编码")));

        const PaperRecord *liger = findByTitle(m_seed, QStringLiteral("Liger"));
        QVERIFY(liger);
        QCOMPARE(liger->doi, QStringLiteral("10.1145/3627535.3638466"));
        QCOMPARE(liger->paperUrl, QStringLiteral("https://doi.org/10.1145/3627535.3638466"));

        const PaperRecord *vatt = findByTitle(m_seed, QStringLiteral("vAttention"));
        QVERIFY(vatt);
        QCOMPARE(vatt->title,
                 QStringLiteral("vAttention: Dynamic Memory Management for Serving LLMs without PagedAttention"));
    }

    void malformedItems_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<int>("papers");
        QTest::addColumn<int>("diagLine");
        QTest::addColumn<bool>("isError");

        const QString good1 = QStringLiteral(">2025-05\n" // 1
                                             "- **Good One: first**. Ann Lee et.al. **ICML**, **2024**, "
                                             "([link](http://arxiv.org/abs/2401.00001v1)).\n" // 2
                                             "  - [x] ppt\n");                                // 3
        const QString good2 =
            QStringLiteral("- **Good Two: wrapped\n"
                           "  title**. Bo Li et.al. **arxiv**, **2025**, ([link](http://arxiv.org/abs/2502.00002)).\n"
                           "  - <mark>mark</mark>\n");
        QTest::newRow("unclosed bold title")
            << good1 + "- **Broken title. Someone et.al. ([link](http://x)).\n" + good2 << 2 << 4 << true;
        QTest::newRow("item without bold title") << good1 + "- just a remark, not a paper\n" + good2 << 2 << 4 << false;
        QTest::newRow("item without link")
            << good1 + "- **No Link**. Al Bo et.al. **ACL**, **2024**.\n" + good2 << 3 << 4 << false;
    }

    void malformedItems()
    {
        QFETCH(QString, text);
        QFETCH(int, papers);
        QFETCH(int, diagLine);
        QFETCH(bool, isError);

        const ImportBatch b = parseMonthlyList(text, QStringLiteral("bad.md"));
        QCOMPARE(b.papers.size(), papers);
        QCOMPARE(b.diagnostics.size(), 1);
        QCOMPARE(b.diagnostics.first().line, diagLine);
        QCOMPARE(b.diagnostics.first().file, QStringLiteral("bad.md"));
        QCOMPARE(b.diagnostics.first().severity == Diagnostic::Severity::Error, isError);

        const PaperRecord *g1 = findByTitle(b, QStringLiteral("Good One"));
        QVERIFY(g1);
        QCOMPARE(g1->source.line, 2);
        QVERIFY(g1->slidesMade);
        const PaperRecord *g2 = findByTitle(b, QStringLiteral("Good Two"));
        QVERIFY(g2);
        QCOMPARE(g2->title, QStringLiteral("Good Two: wrapped title"));
        QCOMPARE(g2->source.line, 5);
        QCOMPARE(g2->highlights.first(), QStringLiteral("mark"));
        QCOMPARE(g2->venue, QStringLiteral("arXiv"));
    }
};

QTEST_GUILESS_MAIN(TestMonthlyList)
#include "tst_monthlylist.moc"
