// The float64 CPU reference against a tiny formula written out by hand here, so the two
// share no code; plus the fp16/bf16 bit conversions the reference depends on.
#include "core/accuracy.h"
#include "core/random_fill.h"
#include "reference/attention_reference.h"

#include <QtTest>

#include <cmath>

using namespace paperlab::kernels;

namespace {

// softmax(q k^T * scale) v for one row, the most direct way: a vector of all scores.
std::vector<double> directRow(const AttentionShape &s, const std::vector<double> &q, const std::vector<double> &k,
                              const std::vector<double> &v, int b, int h, int i)
{
    const int d = s.headDim, hk = h / (s.qHeads / s.kvHeads);
    auto Q = [&](int c) { return q[((size_t(b) * s.qHeads + h) * s.seqQ + i) * d + c]; };
    auto K = [&](int j, int c) { return k[((size_t(b) * s.kvHeads + hk) * s.seqK + j) * d + c]; };
    auto V = [&](int j, int c) { return v[((size_t(b) * s.kvHeads + hk) * s.seqK + j) * d + c]; };
    const int n = s.causal ? i + 1 : s.seqK;
    std::vector<double> w(n);
    double total = 0;
    for (int j = 0; j < n; ++j) {
        double dot = 0;
        for (int c = 0; c < d; ++c)
            dot += Q(c) * K(j, c);
        w[j] = std::exp(dot / std::sqrt(double(d))); // inputs are small: no max subtraction needed
        total += w[j];
    }
    std::vector<double> out(d, 0.0);
    for (int j = 0; j < n; ++j)
        for (int c = 0; c < d; ++c)
            out[c] += w[j] / total * V(j, c);
    return out;
}

std::vector<double> widen(const std::vector<std::uint16_t> &bits, DType t)
{
    std::vector<double> out(bits.size());
    for (size_t i = 0; i < bits.size(); ++i)
        out[i] = dtypeToFloat(t, bits[i]);
    return out;
}

} // namespace

class TestAttentionReference : public QObject {
    Q_OBJECT

private slots:
    void blockedMatchesDirectFormula_data()
    {
        QTest::addColumn<int>("batch");
        QTest::addColumn<int>("qHeads");
        QTest::addColumn<int>("kvHeads");
        QTest::addColumn<int>("seq");
        QTest::addColumn<int>("headDim");
        QTest::addColumn<bool>("causal");
        QTest::addColumn<bool>("bf16");
        QTest::newRow("mha") << 1 << 2 << 2 << 37 << 64 << false << false;
        QTest::newRow("mha causal") << 2 << 2 << 2 << 70 << 64 << true << false;
        QTest::newRow("gqa") << 1 << 4 << 2 << 65 << 128 << false << true;
        QTest::newRow("gqa causal bf16") << 1 << 6 << 2 << 33 << 64 << true << true;
        QTest::newRow("one token") << 1 << 1 << 1 << 1 << 64 << true << false;
    }

    void blockedMatchesDirectFormula()
    {
        QFETCH(int, batch);
        QFETCH(int, qHeads);
        QFETCH(int, kvHeads);
        QFETCH(int, seq);
        QFETCH(int, headDim);
        QFETCH(bool, causal);
        QFETCH(bool, bf16);
        AttentionShape s{batch, qHeads, kvHeads, seq, seq, headDim, causal, 0};
        const DType t = bf16 ? DType::BF16 : DType::F16;
        auto q = randomNormalBits(s.qElements(), t, 11), k = randomNormalBits(s.kvElements(), t, 12),
             v = randomNormalBits(s.kvElements(), t, 13);
        AttentionInputs in{t, q.data(), k.data(), v.data()};
        std::vector<double> out(s.qElements(), std::nan(""));
        attentionReferenceBlocked(s, in, out.data(), 2);

        const auto qd = widen(q, t), kd = widen(k, t), vd = widen(v, t);
        double worst = 0;
        for (int b = 0; b < batch; ++b)
            for (int h = 0; h < qHeads; ++h)
                for (int i = 0; i < seq; ++i) {
                    auto expect = directRow(s, qd, kd, vd, b, h, i);
                    const double *got = &out[((size_t(b) * qHeads + h) * seq + i) * headDim];
                    for (int c = 0; c < headDim; ++c)
                        worst = std::max(worst, std::abs(got[c] - expect[c]));
                }
        QVERIFY2(worst < 1e-12, qPrintable(QString("max abs diff %1").arg(worst)));
    }

    void rowReferenceMatchesBlocked()
    {
        AttentionShape s{1, 4, 1, 50, 50, 64, true, 0};
        auto q = randomNormalBits(s.qElements(), DType::F16, 1), k = randomNormalBits(s.kvElements(), DType::F16, 2),
             v = randomNormalBits(s.kvElements(), DType::F16, 3);
        AttentionInputs in{DType::F16, q.data(), k.data(), v.data()};
        std::vector<double> full(s.qElements());
        attentionReferenceBlocked(s, in, full.data());
        auto rows = rowsToCheck(s, 5);
        QCOMPARE(rows.size(), size_t(4 * 50)); // small: every row is checked
        auto ref = attentionReferenceRows(s, in, rows);
        for (size_t r = 0; r < rows.size(); ++r)
            for (int c = 0; c < 64; ++c)
                QVERIFY(std::abs(ref[r * 64 + c] - full[((size_t(rows[r].h)) * 50 + rows[r].i) * 64 + c]) < 1e-12);
    }

    void largeShapesAreSampled()
    {
        AttentionShape s{4, 16, 16, 16384, 16384, 128, false, 0};
        auto rows = rowsToCheck(s, 1);
        QVERIFY(rows.size() >= 256);
        QVERIFY(rows.size() < size_t(4) * 16 * 16384);
    }

    void halfConversions_data()
    {
        QTest::addColumn<float>("value");
        QTest::newRow("one") << 1.0f;
        QTest::newRow("minus third") << -0.333333f;
        QTest::newRow("max half") << 65504.0f;
        QTest::newRow("subnormal") << 3.0e-6f;
        QTest::newRow("tiny") << 6.0e-8f;
    }

    void halfConversions()
    {
        QFETCH(float, value);
        const float h = f16ToFloat(floatToF16(value));
        QVERIFY2(std::abs(h - value) <= std::abs(value) * 1e-3f + 6e-8f, qPrintable(QString::number(h)));
        const float b = bf16ToFloat(floatToBf16(value));
        QVERIFY(std::abs(b - value) <= std::abs(value) * 8e-3f);
        QVERIFY(std::isnan(f16ToFloat(0xffff))); // the poison pattern reads as NaN
        QVERIFY(std::isnan(bf16ToFloat(0xffff)));
    }

    void accuracyFlagsUnwrittenElements()
    {
        std::vector<double> ref{1, 2, 3}, out{1, std::nan(""), 3};
        auto a = compareToReference(out.data(), ref.data(), 3);
        QCOMPARE(a.nonFinite, size_t(1));
        QVERIFY(std::isnan(a.relL2));
        out[1] = 2;
        a = compareToReference(out.data(), ref.data(), 3);
        QCOMPARE(a.relL2, 0.0);
        QCOMPARE(a.cosine, 1.0);
    }
};

QTEST_GUILESS_MAIN(TestAttentionReference)
#include "tst_attention_reference.moc"
