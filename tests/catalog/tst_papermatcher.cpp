// Which stored paper an incoming record is: the strong identities (arXiv id, DOI, URL)
// decide; a key, short name or title alone never merges two papers they tell apart.

#include "papermatcher.h"

#include <QTest>

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
            << record("DeepSeek-V3.2-Exp: Boosting Long-Context Efficiency with DeepSeek Sparse Attention", "DSA", "DSA",
                      "https://github.com/deepseek-ai/DeepSeek-V3.2-Exp/blob/main/DeepSeek_V3_2.pdf")
            << false;
        QTest::newRow("same key, different arXiv ids: two papers")
            << dsa2022 << record("", "DSA", "DSA", "https://arxiv.org/abs/2502.11089") << false;
        QTest::newRow("same key, same paper re-read")
            << dsa2022 << record("Transformer Acceleration with Dynamic Sparse Attention", "DSA", "DSA", "") << true;
        QTest::newRow("same arXiv id, other version and title spelling")
            << dsa2022 << record("Transformer acceleration with dynamic sparse attention.", "", "", "https://arxiv.org/pdf/2110.11299v2")
            << true;
        QTest::newRow("short name alone names its paper")
            << record("SageAttention: Accurate 8-Bit Attention for Plug-and-play Inference Acceleration", "SageAttention",
                      "SageAttention", "https://arxiv.org/abs/2410.02367")
            << record("SageAttention", "", "", "") << true;
        QTest::newRow("short name, but the arXiv id says another paper")
            << record("SageAttention: Accurate 8-Bit Attention for Plug-and-play Inference Acceleration", "SageAttention",
                      "SageAttention", "https://arxiv.org/abs/2410.02367")
            << record("SageAttention", "", "", "https://arxiv.org/abs/2411.10958") << false;
        QTest::newRow("truncated title is the same paper")
            << record("MInference 1.0: Accelerating Pre-filling for Long-Context LLMs via Dynamic Sparse Attention", "", "", "")
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
};

Q_DECLARE_METATYPE(paperlab::PaperRecord)

QTEST_GUILESS_MAIN(TestPaperMatcher)
#include "tst_papermatcher.moc"
