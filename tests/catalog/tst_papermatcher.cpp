// Which stored paper an incoming record is: the strong identities (arXiv id, DOI, URL)
// decide; a key, short name or title alone never merges two papers they tell apart.

#include "exporters/citationkeys.h"
#include "library.h"
#include "papermatcher.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

// Declared before the test class uses it in QFETCH (clang rejects a later declaration).
Q_DECLARE_METATYPE(paperlab::PaperRecord)

using namespace paperlab;

namespace {

PaperRecord record(const QString &title, const QString &abbr, const QString &key, const QString &url)
{
    PaperRecord r;
    r.title = title;
    r.abbr = abbr;
    r.key = key;
    r.paperUrl = url;
    return r;
}

} // namespace

class TestPaperMatcher : public QObject {
    Q_OBJECT

private slots:
    void match_data()
    {
        QTest::addColumn<PaperRecord>("stored");
        QTest::addColumn<PaperRecord>("incoming");
        QTest::addColumn<bool>("same");

        const PaperRecord dsa2022 = record("Transformer Acceleration with Dynamic Sparse Attention", "DSA", "DSA",
                                           "http://arxiv.org/abs/2110.11299v1");
        QTest::newRow("same key, different titles and URLs: two papers")
            << dsa2022
            << record("DeepSeek-V3.2-Exp: Boosting Long-Context Efficiency with DeepSeek Sparse Attention", "DSA",
                      "DSA", "https://github.com/deepseek-ai/DeepSeek-V3.2-Exp/blob/main/DeepSeek_V3_2.pdf")
            << false;
        QTest::newRow("same key, different arXiv ids: two papers")
            << dsa2022 << record("", "DSA", "DSA", "https://arxiv.org/abs/2502.11089") << false;
        QTest::newRow("same key, same paper re-read")
            << dsa2022 << record("Transformer Acceleration with Dynamic Sparse Attention", "DSA", "DSA", "") << true;
        QTest::newRow("same arXiv id, other version and title spelling")
            << dsa2022
            << record("Transformer acceleration with dynamic sparse attention.", "", "",
                      "https://arxiv.org/pdf/2110.11299v2")
            << true;
        QTest::newRow("short name alone names its paper")
            << record("SageAttention: Accurate 8-Bit Attention for Plug-and-play Inference Acceleration",
                      "SageAttention", "SageAttention", "https://arxiv.org/abs/2410.02367")
            << record("SageAttention", "", "", "") << true;
        QTest::newRow("short name, but the arXiv id says another paper")
            << record("SageAttention: Accurate 8-Bit Attention for Plug-and-play Inference Acceleration",
                      "SageAttention", "SageAttention", "https://arxiv.org/abs/2410.02367")
            << record("SageAttention", "", "", "https://arxiv.org/abs/2411.10958") << false;
        QTest::newRow("truncated title is the same paper")
            << record("MInference 1.0: Accelerating Pre-filling for Long-Context LLMs via Dynamic Sparse Attention", "",
                      "", "")
            << record("MInference 1.0: Accelerating Pre-filling for", "", "", "") << true;
        QTest::newRow("same title, different arXiv ids: two papers")
            << record("Efficient Attention", "", "", "https://arxiv.org/abs/2401.00001")
            << record("Efficient Attention", "", "", "https://arxiv.org/abs/2402.00002") << false;
    }

    void match()
    {
        QFETCH(PaperRecord, stored);
        QFETCH(PaperRecord, incoming);
        QFETCH(bool, same);
        PaperMatcher m;
        m.add(7, PaperMatcher::entryFor(stored));
        QCOMPARE(m.match(incoming), same ? qint64(7) : qint64(0));
    }

    void compatibleIsSymmetric_data() { match_data(); }

    void compatibleIsSymmetric()
    {
        QFETCH(PaperRecord, stored);
        QFETCH(PaperRecord, incoming);
        const auto a = PaperMatcher::entryFor(stored), b = PaperMatcher::entryFor(incoming);
        QCOMPARE(PaperMatcher::compatible(a, b), PaperMatcher::compatible(b, a));
    }

    void cleanestTitleWhateverTheOrder_data()
    {
        QTest::addColumn<QString>("a");
        QTest::addColumn<QString>("b");
        QTest::addColumn<QString>("shown");
        QTest::newRow("URL in one") << "XAttention: Block Sparse Attention https://arxiv.org/abs/2503.16428"
                                    << "XAttention: Block Sparse Attention"
                                    << "XAttention: Block Sparse Attention";
        QTest::newRow("affiliation in one") << "KVzip: Query-Agnostic KV Cache Compression (SNU & NAVER)"
                                            << "KVzip: Query-Agnostic KV Cache Compression"
                                            << "KVzip: Query-Agnostic KV Cache Compression";
        QTest::newRow("capitals and underscores") << "CAKE_CASCADING AND ADAPTIVE KV CACHE EVICTION"
                                                  << "CAKE: Cascading and Adaptive KV Cache Eviction"
                                                  << "CAKE: Cascading and Adaptive KV Cache Eviction";
        QTest::newRow("truncated one") << "MInference 1.0: Accelerating Pre-filling for"
                                       << "MInference 1.0: Accelerating Pre-filling for Long-Context LLMs"
                                       << "MInference 1.0: Accelerating Pre-filling for Long-Context LLMs";
    }

    void cleanestTitleWhateverTheOrder()
    {
        QFETCH(QString, a);
        QFETCH(QString, b);
        QFETCH(QString, shown);
        QCOMPARE(PaperMatcher::cleanerTitle(a, b), shown);
        QCOMPARE(PaperMatcher::cleanerTitle(b, a), shown);
    }

    // Through the library: the title shown does not depend on which list came first.
    void importOrderDoesNotChooseTheTitle()
    {
        QTemporaryDir tmp;
        const QString topics = tmp.filePath(QStringLiteral("topics.md"));
        const QString checkbox = tmp.filePath(QStringLiteral("checkbox.md"));
        QFile t(topics), c(checkbox);
        QVERIFY(t.open(QIODevice::WriteOnly) && c.open(QIODevice::WriteOnly));
        t.write("## KV Cache\n\nCAKE_CASCADING AND ADAPTIVE KV CACHE EVICTION https://arxiv.org/abs/2503.12491\n");
        c.write("## KV Cache\n\n- [x] [[2503.12491] CAKE: Cascading and Adaptive KV Cache "
                "Eviction](https://arxiv.org/abs/2503.12491)\n");
        t.close();
        c.close();
        QStringList shown;
        for (const QStringList &order : {QStringList{topics, checkbox}, QStringList{checkbox, topics}}) {
            Library lib(tmp.filePath(QStringLiteral("%1.sqlite").arg(shown.size())));
            for (const QString &file : order)
                lib.importPaths({file});
            const QList<Paper> papers = lib.allPapers();
            QCOMPARE(papers.size(), 1);
            shown.append(papers.first().title);
        }
        QCOMPARE(shown, (QStringList{"CAKE: Cascading and Adaptive KV Cache Eviction",
                                     "CAKE: Cascading and Adaptive KV Cache Eviction"}));
    }

    // A BibTeX source's citation key is the key an export cites the paper by.
    void bibtexKeyKeptForExport()
    {
        QTemporaryDir tmp;
        const QString bib = tmp.filePath(QStringLiteral("refs.bib"));
        QFile f(bib);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("@inproceedings{dao2022flash,\n  title = {FlashAttention: Fast and Memory-Efficient Exact Attention "
                "with IO-Awareness},\n"
                "  author = {Dao, Tri},\n  year = {2022},\n  booktitle = {NeurIPS}\n}\n");
        f.close();
        Library lib(tmp.filePath(QStringLiteral("bib.sqlite")));
        lib.importPaths({bib});
        const QList<Paper> papers = lib.allPapers();
        QCOMPARE(papers.size(), 1);
        QCOMPARE(papers.first().bibtexKey, QStringLiteral("dao2022flash"));
        QCOMPARE(CitationKeys(papers).keyOf(papers.first()), QStringLiteral("dao2022flash"));
    }
};

QTEST_GUILESS_MAIN(TestPaperMatcher)
#include "tst_papermatcher.moc"
