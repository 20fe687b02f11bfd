// parseKeyPointNotes on the real key-point notes (seed 003) and on broken blocks.

#include "seedfiles.h"

#include <QTest>

using namespace paperlab;
using namespace paperlab::testing;

class TestKeyPointNotes : public QObject {
    Q_OBJECT

private:
    ImportBatch m_seed;

private slots:
    void initTestCase()
    {
        const QString text = seedText(QStringLiteral("003"));
        QVERIFY2(!text.isEmpty(), "seed 003 not found in PAPERLAB_SEEDS_DIR");
        m_seed = parseKeyPointNotes(text, QStringLiteral("003.txt"));
    }

    void seedCounts()
    {
        QCOMPARE(m_seed.papers.size(), 5);
        QVERIFY2(m_seed.diagnostics.isEmpty(), qPrintable(describe(m_seed)));
        for (const PaperRecord &r : m_seed.papers) {
            QCOMPARE(r.source.format, QStringLiteral("keypoint-notes"));
            QVERIFY(!r.noteMarkdown.isEmpty());
            QVERIFY(!r.paperUrl.isEmpty());
            QVERIFY(r.year == 2024);
        }
    }

    void seedPapers_data()
    {
        QTest::addColumn<QString>("titleStart");
        QTest::addColumn<int>("line");
        QTest::addColumn<QString>("abbr");
        QTest::addColumn<QStringList>("institutions");
        QTest::addColumn<QString>("venueRaw");
        QTest::addColumn<QString>("venue");
        QTest::addColumn<QString>("arxivId");
        QTest::addColumn<QString>("codeUrl");
        QTest::addColumn<QString>("cover");

        QTest::newRow("SKVQ") << "SKVQ: Sliding-window Key and Value Cache Quantization for Large Language Models" << 1
                              << "SKVQ" << QStringList{"Shanghai AI Lab", "SJTU"} << "COLM 2024"
                              << "COLM"
                              << ""
                              << ""
                              << "pictures/SKQV.png";
        QTest::newRow("arXiv with a date")
            << "Model Tells You Where to Merge" << 15 << "" << QStringList{"Georgia Institution of Technology", "UIUC"}
            << "ArXiv Jul 21 2024"
            << "arXiv"
            << "2407.08454"
            << ""
            << "pictures/model-tells-where-to-merge-compare.png";
        QTest::newRow("fields out of order, trailing spaces")
            << "Post-Training Sparse Attention with Double Sparsity" << 38 << "" << QStringList{"UC Berkeley"}
            << "Arxiv Aug 11 2024"
            << "arXiv"
            << "2408.07092"
            << "https://github.com/andy-yang-1/DoubleSparse"
            << "pictures/Double-Sparsity.png";
        QTest::newRow("no key-point heading")
            << "Taming Throughput-Latency Tradeoff" << 51 << ""
            << QStringList{"Microsoft", "Georgia Institute of Technology"} << "OSDI 2024"
            << "OSDI"
            << ""
            << "https://github.com/microsoft/sarathi-serve"
            << "";
        QTest::newRow("Llumnix") << "Llumnix:" << 59 << "Llumnix" << QStringList{"Alibaba Group"} << "OSDI 2024"
                                 << "OSDI"
                                 << ""
                                 << "https://github.com/AlibabaPAI/llumnix"
                                 << "";
    }

    void seedPapers()
    {
        QFETCH(QString, titleStart);
        QFETCH(int, line);
        QFETCH(QString, abbr);
        QFETCH(QStringList, institutions);
        QFETCH(QString, venueRaw);
        QFETCH(QString, venue);
        QFETCH(QString, arxivId);
        QFETCH(QString, codeUrl);
        QFETCH(QString, cover);

        const PaperRecord *r = findByTitle(m_seed, titleStart);
        QVERIFY2(r, qPrintable(titleStart));
        QCOMPARE(r->source.line, line);
        QCOMPARE(r->abbr, abbr);
        QCOMPARE(r->institutions, institutions);
        QCOMPARE(r->venueRaw, venueRaw);
        QCOMPARE(r->venue, venue);
        QCOMPARE(r->year, 2024);
        QCOMPARE(r->arxivId, arxivId);
        QCOMPARE(r->codeUrl, codeUrl);
        QCOMPARE(r->coverPath, cover);
    }

    void seedNotes()
    {
        const PaperRecord *skvq = findByTitle(m_seed, QStringLiteral("SKVQ"));
        QVERIFY(skvq);
        QCOMPARE(skvq->openReviewUrl, QStringLiteral("https://openreview.net/pdf?id=nI6JyFSnyV"));
        QVERIFY(skvq->noteMarkdown.startsWith(QLatin1String("##### Key-Point\n- KV Cache quantization")));
        QVERIFY(skvq->noteMarkdown.contains(QLatin1String("    - per-token quantization"))); // nesting kept
        QVERIFY(skvq->noteMarkdown.endsWith(QLatin1String("<img src=\"./pictures/SKQV.png\" width=400>")));
        QVERIFY(!skvq->noteMarkdown.contains(QLatin1String("### Title")));

        const PaperRecord *sarathi = findByTitle(m_seed, QStringLiteral("Taming"));
        QVERIFY(sarathi);
        QCOMPARE(sarathi->noteMarkdown, QStringLiteral("[Personal-Understanding](./Sarathi-Serve-OSDI2024.md)"));
        QVERIFY(sarathi->notePath.isEmpty()); // that file is the user's; the library must not write to it
    }

    void baseDirMakesCoverAbsolute()
    {
        const ImportBatch b =
            parseKeyPointNotes(seedText(QStringLiteral("003")), QStringLiteral("003.txt"), QStringLiteral("/notes"));
        QCOMPARE(b.papers.first().coverPath, QStringLiteral("/notes/pictures/SKQV.png"));
    }

    void malformedBlocks_data()
    {
        QTest::addColumn<QString>("badBlock");
        QTest::addColumn<int>("papers");
        QTest::addColumn<bool>("isError");

        QTest::newRow("empty title") << "### Title:   \nInstitution: Nowhere\n\n##### Key-Point\n- lost\n" << 2 << true;
        QTest::newRow("unknown field")
            << "### Title: Odd One\nInstitutions: Lab X & Lab Y\nRating: 5/5\n\n##### Key-Point\n- kept\n"
            << 3 << false;
    }

    void malformedBlocks()
    {
        QFETCH(QString, badBlock);
        QFETCH(int, papers);
        QFETCH(bool, isError);

        const QString text = QStringLiteral("### Title: Good One: first\n"                          // 1
                                            "CONFERENCE: ICML'24\n"                                 // 2
                                            "paper link: [pdf](https://arxiv.org/abs/2401.00001)\n" // 3
                                            "\n")                                                   // 4
                             + badBlock                                                             // 5..
                             + QStringLiteral("### Title: Good Two\nInstitution: A & B\n\n##### Key-Point\n- two\n");
        const ImportBatch b = parseKeyPointNotes(text, QStringLiteral("bad.md"));
        QCOMPARE(b.papers.size(), papers);
        QCOMPARE(b.diagnostics.size(), 1);
        const Diagnostic &d = b.diagnostics.first();
        QCOMPARE(d.severity == Diagnostic::Severity::Error, isError);
        QCOMPARE(d.line, isError ? 5 : 7);
        QCOMPARE(d.file, QStringLiteral("bad.md"));

        const PaperRecord *g1 = findByTitle(b, QStringLiteral("Good One"));
        QVERIFY(g1);
        QCOMPARE(g1->venue, QStringLiteral("ICML"));
        QCOMPARE(g1->year, 2024);
        QCOMPARE(g1->arxivId, QStringLiteral("2401.00001"));
        QVERIFY(g1->noteMarkdown.isEmpty());
        const PaperRecord *g2 = findByTitle(b, QStringLiteral("Good Two"));
        QVERIFY(g2);
        QCOMPARE(g2->institutions, (QStringList{QStringLiteral("A"), QStringLiteral("B")}));
        QCOMPARE(g2->noteMarkdown, QStringLiteral("##### Key-Point\n- two"));
        if (!isError) {
            const PaperRecord *odd = findByTitle(b, QStringLiteral("Odd One"));
            QVERIFY(odd);
            QCOMPARE(odd->institutions.size(), 2);
            QVERIFY(odd->noteMarkdown.startsWith(QLatin1String("Rating: 5/5\n"))); // unknown field kept in the note
        }
    }
};

QTEST_GUILESS_MAIN(TestKeyPointNotes)
#include "tst_keypointnotes.moc"
