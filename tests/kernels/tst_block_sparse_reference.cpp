// Block-sparse attention on the CPU: a dense mask equals dense attention, a masked row
// equals a direct formula, MoBA's top-k count and causality, XAttention's threshold
// monotonicity.
#include "core/random_fill.h"
#include "core/registry.h"
#include "sparse/block_sparse_reference.h"
#include "sparse/sparse_kernels.h"

#include <QtTest>

#include <cmath>

using namespace paperlab::kernels;

namespace {

struct Inputs {
    std::vector<std::uint16_t> q, k, v;
    AttentionInputs in;
};

Inputs makeInputs(const AttentionShape &s, std::uint64_t seed)
{
    Inputs x;
    x.q = randomNormalBits(s.qElements(), DType::F16, seed);
    x.k = randomNormalBits(s.kvElements(), DType::F16, seed + 1);
    x.v = randomNormalBits(s.kvElements(), DType::F16, seed + 2);
    x.in = AttentionInputs{DType::F16, x.q.data(), x.k.data(), x.v.data()};
    return x;
}

std::vector<RowId> allRows(const AttentionShape &s)
{
    std::vector<RowId> rows;
    for (int b = 0; b < s.batch; ++b)
        for (int h = 0; h < s.qHeads; ++h)
            for (int i = 0; i < s.seqQ; ++i)
                rows.push_back({b, h, i});
    return rows;
}

} // namespace

class TestBlockSparseReference : public QObject {
    Q_OBJECT

private slots:
    void denseMaskEqualsDenseAttention_data()
    {
        QTest::addColumn<bool>("causal");
        QTest::newRow("full") << false;
        QTest::newRow("causal") << true;
    }

    void denseMaskEqualsDenseAttention()
    {
        QFETCH(bool, causal);
        AttentionShape s{1, 4, 2, 256, 256, 64, causal, 0};
        const Inputs x = makeInputs(s, 3);
        SparseConfig c;
        c.selector = BlockSelector::Dense;
        const BlockMask m = selectBlocks(s, x.in, c);
        QCOMPARE(maskDensity(m, causal), 1.0);
        const auto rows = allRows(s);
        const auto sparse = blockSparseReferenceRows(s, x.in, m, rows);
        const auto dense = attentionReferenceRows(s, x.in, rows);
        double worst = 0;
        for (size_t e = 0; e < dense.size(); ++e)
            worst = std::max(worst, std::abs(sparse[e] - dense[e]));
        QVERIFY2(worst < 1e-12, qPrintable(QString("max abs diff %1").arg(worst)));
    }

    void maskedRowMatchesDirectFormula()
    {
        AttentionShape s{1, 1, 1, 256, 256, 64, false, 0};
        const Inputs x = makeInputs(s, 9);
        BlockMask m;
        m.heads = 1;
        m.qBlocks = m.kBlocks = 4;
        m.blockSize = 64;
        m.keep.assign(16, 0);
        m.keep[1 * 4 + 0] = m.keep[1 * 4 + 2] = 1; // query block 1 sees key blocks 0 and 2
        const int i = 100;
        const auto got = blockSparseReferenceRows(s, x.in, m, {{0, 0, i}});
        std::vector<double> out(64, 0.0), w;
        double total = 0;
        std::vector<int> keys;
        for (int j = 0; j < 256; ++j)
            if (j / 64 == 0 || j / 64 == 2)
                keys.push_back(j);
        for (int j : keys) {
            double dot = 0;
            for (int c = 0; c < 64; ++c)
                dot += f16ToFloat(x.q[size_t(i) * 64 + c]) * f16ToFloat(x.k[size_t(j) * 64 + c]);
            w.push_back(std::exp(dot / 8.0));
            total += w.back();
        }
        for (size_t e = 0; e < keys.size(); ++e)
            for (int c = 0; c < 64; ++c)
                out[c] += w[e] / total * f16ToFloat(x.v[size_t(keys[e]) * 64 + c]);
        for (int c = 0; c < 64; ++c)
            QVERIFY(std::abs(out[c] - got[c]) < 1e-12);
    }

    void mobaKeepsTopKCausally_data()
    {
        QTest::addColumn<bool>("causal");
        QTest::addColumn<int>("topK");
        QTest::newRow("causal k3") << true << 3;
        QTest::newRow("causal k1") << true << 1;
        QTest::newRow("full k4") << false << 4;
    }

    void mobaKeepsTopKCausally()
    {
        QFETCH(bool, causal);
        QFETCH(int, topK);
        AttentionShape s{2, 2, 1, 640, 640, 64, causal, 0};
        const Inputs x = makeInputs(s, 4);
        SparseConfig c;
        c.selector = BlockSelector::Moba;
        c.topK = topK;
        const BlockMask m = selectBlocks(s, x.in, c);
        for (int h = 0; h < m.heads; ++h)
            for (int i = 0; i < m.qBlocks; ++i) {
                int kept = 0;
                for (int j = 0; j < m.kBlocks; ++j) {
                    kept += m.at(h, i, j);
                    if (causal && j > i)
                        QVERIFY(!m.at(h, i, j));
                }
                if (causal) {
                    QVERIFY(m.at(h, i, i));
                    QCOMPARE(kept, std::min(topK, i + 1));
                } else {
                    QCOMPARE(kept, std::min(topK, m.kBlocks));
                }
            }
    }

    void xattentionThresholdIsMonotone()
    {
        AttentionShape s{1, 2, 2, 512, 512, 64, true, 0};
        const Inputs x = makeInputs(s, 5);
        SparseConfig c;
        c.selector = BlockSelector::XAttention;
        c.stride = 8;
        double lastDensity = 0;
        BlockMask last;
        for (double thr : {0.0, 0.3, 0.6, 0.9, 0.99, 1.0}) {
            c.threshold = thr;
            const BlockMask m = selectBlocks(s, x.in, c);
            for (int h = 0; h < m.heads; ++h)
                for (int i = 0; i < m.qBlocks; ++i) {
                    QVERIFY(m.at(h, i, i));
                    for (int j = i + 1; j < m.kBlocks; ++j)
                        QVERIFY(!m.at(h, i, j));
                }
            if (!last.keep.empty())
                for (size_t e = 0; e < m.keep.size(); ++e)
                    QVERIFY(!last.keep[e] || m.keep[e]); // a higher threshold keeps a superset
            const double density = maskDensity(m, true);
            QVERIFY(density >= lastDensity);
            lastDensity = density;
            last = m;
        }
        QVERIFY(lastDensity > 0.9);
    }

    void xattentionFavoursTheStrongBlock()
    {
        // Query block 3 attends strongly to key block 1 (keys there are the queries, scaled).
        AttentionShape s{1, 1, 1, 256, 256, 64, true, 0};
        Inputs x = makeInputs(s, 6);
        for (int j = 64; j < 128; ++j)
            for (int c = 0; c < 64; ++c)
                x.k[size_t(j) * 64 + c] = // mirrored within each stride group: the antidiagonal lines up
                    floatToF16(3.f * f16ToFloat(x.q[size_t(192 + (j - 64) / 4 * 4 + 3 - (j - 64) % 4) * 64 + c]));
        for (int j = 192; j < 256; ++j)
            for (int c = 0; c < 64; ++c) // keys of the own block: weak
                x.k[size_t(j) * 64 + c] = floatToF16(0.01f * f16ToFloat(x.k[size_t(j) * 64 + c]));
        SparseConfig c;
        c.selector = BlockSelector::XAttention;
        c.stride = 4;
        c.threshold = 0.5;
        const BlockMask m = selectBlocks(s, x.in, c);
        QVERIFY(m.at(0, 3, 1));
        QVERIFY(m.at(0, 3, 3));
        QVERIFY(!m.at(0, 3, 0));
    }

    void cpuVariantAndMaskImage()
    {
        const KernelSpec *k = findKernel("block_sparse_attention");
        QVERIFY(k);
        PointContext ctx;
        ctx.variant = "cpu";
        ctx.repetitions = 1;
        ctx.warmup = 0;
        for (const auto &p : k->params)
            ctx.params.set(p.name, p.defaultValue);
        ctx.params.set("seq_len", "512");
        ctx.params.set("q_heads", "2");
        const PointOutcome out = k->runPoint(ctx);
        QVERIFY2(!out.error, out.error ? out.error->message.c_str() : "");
        for (const auto &m : out.metrics) {
            if (m.id == "masked_rel_l2")
                QCOMPARE(m.value, 0.0);
            if (m.id == "density")
                QVERIFY(m.value > 0 && m.value < 1);
        }
        int qb = 0, kb = 0;
        const auto img = blockSparseMaskImage(ctx.params, 1, 1, qb, kb);
        QCOMPARE(qb, 8);
        QCOMPARE(kb, 8);
        QCOMPARE(img.size(), size_t(64));
        for (int i = 0; i < 8; ++i)
            QCOMPARE(int(img[i * 8 + i]), 1);
    }

    void seqMustBeAMultipleOfTheBlock()
    {
        const KernelSpec *k = findKernel("block_sparse_attention");
        ParamSet p;
        for (const auto &s : k->params)
            p.set(s.name, s.defaultValue);
        p.set("seq_len", "1000");
        const auto err = k->checkParams(p);
        QVERIFY(err);
        QCOMPARE(err->parameter, std::string("seq_len"));
    }
};

QTEST_GUILESS_MAIN(TestBlockSparseReference)
#include "tst_block_sparse_reference.moc"
