// The mask -> kept-block list conversion the Hopper pipeline walks (sparse/block_list.h):
// ascending lists, causal rows cut at the diagonal and never empty, non-causal empty rows
// counted, full rows, and masks chosen by the real selectors. The CUDA path compares its GPU
// compaction with this same function.
#include "core/random_fill.h"
#include "sparse/block_list.h"

#include <QtTest>

using namespace paperlab::kernels;

namespace {

// "101/011/111": rows of one head separated by '/', heads by ';'.
BlockMask maskOf(const QString &text)
{
    BlockMask m;
    const QStringList heads = text.split(QLatin1Char(';'));
    m.heads = int(heads.size());
    m.blockSize = 128;
    for (const QString &head : heads) {
        const QStringList rows = head.split(QLatin1Char('/'));
        m.qBlocks = int(rows.size());
        m.kBlocks = int(rows.first().size());
        for (const QString &row : rows)
            for (QChar ch : row)
                m.keep.push_back(ch == QLatin1Char('1') ? 1 : 0);
    }
    return m;
}

// The same layout for lists: "0|1|0,2", rows by '|', heads by ';'.
QString listsOf(const CompactBlockList &c)
{
    QStringList heads;
    for (int h = 0; h < c.heads; ++h) {
        QStringList rows;
        for (int i = 0; i < c.qBlocks; ++i) {
            QStringList kept;
            for (int e = 0; e < c.count[std::size_t(h) * c.qBlocks + i]; ++e)
                kept << QString::number(c.row(h, i)[e]);
            rows << kept.join(QLatin1Char(','));
        }
        heads << rows.join(QLatin1Char('|'));
    }
    return heads.join(QLatin1Char(';'));
}

} // namespace

class TestBlockList : public QObject {
    Q_OBJECT

private slots:
    void compactsRows_data()
    {
        QTest::addColumn<QString>("mask");
        QTest::addColumn<bool>("causal");
        QTest::addColumn<QString>("lists");
        QTest::addColumn<int>("emptyRows");
        QTest::newRow("causal diagonal only") << "100/010/001" << true << "0|1|2" << 0;
        QTest::newRow("causal full rows") << "1000/1100/1110/1111" << true << "0|0,1|0,1,2|0,1,2,3" << 0;
        // Both selectors keep the diagonal; the list keeps it even when a mask does not, so the
        // pipeline always has a tile to start a causal row with.
        QTest::newRow("causal empty row gets its diagonal") << "000/000/100" << true << "0|1|0,2" << 0;
        QTest::newRow("causal drops blocks after the diagonal") << "011/001/111" << true << "0|1|0,1,2" << 0;
        QTest::newRow("non-causal full rows") << "111/111/111" << false << "0,1,2|0,1,2|0,1,2" << 0;
        QTest::newRow("non-causal scattered, ascending")
            << "10101/01010/00001/10000/11011" << false << "0,2,4|1,3|4|0|0,1,3,4" << 0;
        QTest::newRow("non-causal empty rows counted") << "010/000/000" << false << "1||" << 2;
        QTest::newRow("two heads") << "10/11;11/01" << true << "0|0,1;0|1" << 0;
    }

    void compactsRows()
    {
        QFETCH(QString, mask);
        QFETCH(bool, causal);
        QFETCH(QString, lists);
        QFETCH(int, emptyRows);
        const BlockMask m = maskOf(mask);
        const CompactBlockList c = compactBlockMask(m, causal);
        QCOMPARE(c.heads, m.heads);
        QCOMPARE(c.qBlocks, m.qBlocks);
        QCOMPARE(c.maxKept, m.kBlocks); // a row can keep every block
        QCOMPARE(listsOf(c), lists);
        QCOMPARE(c.emptyRows, emptyRows);
    }

    // Masks the selectors choose: the list holds exactly the kept visible blocks, ascending,
    // and no causal row is empty.
    void selectedMasks_data()
    {
        QTest::addColumn<int>("selector");
        QTest::addColumn<bool>("causal");
        QTest::newRow("moba causal") << int(BlockSelector::Moba) << true;
        QTest::newRow("moba") << int(BlockSelector::Moba) << false;
        QTest::newRow("xattention causal") << int(BlockSelector::XAttention) << true;
        QTest::newRow("xattention") << int(BlockSelector::XAttention) << false;
    }

    void selectedMasks()
    {
        QFETCH(int, selector);
        QFETCH(bool, causal);
        AttentionShape s;
        s.batch = 1;
        s.qHeads = 4;
        s.kvHeads = 1;
        s.seqQ = s.seqK = 1024;
        s.headDim = 64;
        s.causal = causal;
        const auto q = randomNormalBits(s.qElements(), DType::F16, 11);
        const auto k = randomNormalBits(s.kvElements(), DType::F16, 12);
        const auto v = randomNormalBits(s.kvElements(), DType::F16, 13);
        const AttentionInputs in{DType::F16, q.data(), k.data(), v.data()};
        SparseConfig c;
        c.selector = BlockSelector(selector);
        c.blockSize = 128;
        c.topK = 3;
        c.threshold = 0.5;
        c.stride = 16;
        const BlockMask m = selectBlocks(s, in, c);
        const CompactBlockList list = compactBlockMask(m, causal);
        QCOMPARE(list.emptyRows, 0);
        for (int h = 0; h < m.heads; ++h)
            for (int i = 0; i < m.qBlocks; ++i) {
                const int n = list.count[std::size_t(h) * m.qBlocks + i];
                int kept = 0;
                for (int j = 0; j < m.kBlocks; ++j)
                    kept += m.at(h, i, j) && (!causal || j <= i) ? 1 : 0;
                QCOMPARE(n, kept);
                QVERIFY(n >= 1);
                for (int e = 0; e < n; ++e) {
                    const int j = list.row(h, i)[e];
                    QVERIFY(m.at(h, i, j));
                    QVERIFY(!causal || j <= i);
                    QVERIFY(e == 0 || list.row(h, i)[e - 1] < j);
                }
            }
    }

    void differenceNamesTheRow()
    {
        const CompactBlockList a = compactBlockMask(maskOf("10/11;11/01"), true);
        QVERIFY(firstCompactListDifference(a, a).empty());
        CompactBlockList b = a;
        b.list[(std::size_t(1) * b.qBlocks + 1) * b.maxKept] = 0; // head 1, query block 1: 1 -> 0
        QCOMPARE(QString::fromStdString(firstCompactListDifference(a, b)), QStringLiteral("head 1, query block 1"));
        b = a;
        b.count[0] = 2; // head 0, query block 0 claims two blocks
        QCOMPARE(QString::fromStdString(firstCompactListDifference(a, b)), QStringLiteral("head 0, query block 0"));
        b = a;
        b.list[1] = 7; // an unused slot of head 0, query block 0: not compared
        QVERIFY(firstCompactListDifference(a, b).empty());
    }
};

QTEST_APPLESS_MAIN(TestBlockList)
#include "tst_block_list.moc"
