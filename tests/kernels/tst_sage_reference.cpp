// SageAttention's float64 simulation against a direct formula written out here, the INT8
// round trip, why smoothing K matters, each variant's quantisation granularity and the FP8
// P·V option on small cases computed by hand, e4m3 rounding, and the extended accuracy metrics.
#include "core/accuracy_extra.h"
#include "core/random_fill.h"
#include "core/registry.h"
#include "sage/e4m3.h"
#include "sage/sage_reference.h"
#include "sage/sage_variants.h"

#include <QtTest>

#include <cmath>

using namespace paperlab::kernels;

namespace {

// One row of SageAttention, per-token granularity, computed the most direct way.
std::vector<double> directSageRow(const AttentionShape &s, const std::vector<std::uint16_t> &q,
                                  const std::vector<std::uint16_t> &k, const std::vector<std::uint16_t> &v, int h,
                                  int i, bool smooth)
{
    const int d = s.headDim, hk = h / (s.qHeads / s.kvHeads);
    auto Q = [&](int c) { return double(f16ToFloat(q[(size_t(h) * s.seqQ + i) * d + c])); };
    auto K = [&](int j, int c) { return double(f16ToFloat(k[(size_t(hk) * s.seqK + j) * d + c])); };
    auto V = [&](int j, int c) { return double(f16ToFloat(v[(size_t(hk) * s.seqK + j) * d + c])); };
    std::vector<double> mean(d, 0.0);
    if (smooth)
        for (int c = 0; c < d; ++c) {
            for (int j = 0; j < s.seqK; ++j)
                mean[c] += K(j, c) / s.seqK;
        }
    auto quant = [](std::vector<double> x, std::vector<double> &codes) {
        double amax = 0;
        for (double e : x)
            amax = std::max(amax, std::abs(e));
        const double delta = amax > 0 ? amax / 127 : 1;
        codes.resize(x.size());
        for (size_t e = 0; e < x.size(); ++e)
            codes[e] = std::nearbyint(x[e] / delta);
        return delta;
    };
    std::vector<double> qx(d), qc;
    for (int c = 0; c < d; ++c)
        qx[c] = Q(c) / std::sqrt(double(d));
    const double dq = quant(qx, qc);
    const int n = s.causal ? i + 1 : s.seqK;
    std::vector<double> w(n);
    double mx = -1e300;
    for (int j = 0; j < n; ++j) {
        std::vector<double> kx(d), kc;
        for (int c = 0; c < d; ++c)
            kx[c] = K(j, c) - mean[c];
        const double dk = quant(kx, kc);
        double dot = 0;
        for (int c = 0; c < d; ++c)
            dot += qc[c] * kc[c];
        w[j] = dot * dq * dk;
        mx = std::max(mx, w[j]);
    }
    double total = 0;
    for (auto &x : w)
        total += (x = std::exp(x - mx));
    std::vector<double> out(d, 0.0);
    for (int j = 0; j < n; ++j)
        for (int c = 0; c < d; ++c)
            out[c] += w[j] / total * V(j, c);
    return out;
}

// One head, 128 queries and 128 keys, head dim 64, values exact in fp16. Every query is 8 in
// channel 0 (times the softmax scale 1/8: q = 1). Keys carry channel 0 only, in four classes
// of 32: keys 0-63 alternate +1/-1, keys 64-127 alternate +4/-4, so the channel mean is 0 and
// smoothing changes nothing. Per 64 keys the scales are 1/127 and 4/127 and every key
// dequantises exactly (scores 1, -1, 4, -4); one scale per 128 keys (4/127) turns ±1 into
// code ±32, i.e. ±128/127. V: channel 0 is 1 on the +1 keys, channel 1 is 0.3 on the +1 keys
// and 1 on the +4 keys, zero elsewhere.
struct HandCase {
    AttentionShape shape{1, 1, 1, 128, 128, 64, false, 0};
    std::vector<std::uint16_t> q, k, v;
    HandCase()
    {
        q.assign(shape.qElements(), 0);
        k.assign(shape.kvElements(), 0);
        v.assign(shape.kvElements(), 0);
        for (int i = 0; i < 128; ++i)
            q[std::size_t(i) * 64] = floatToF16(8.f);
        for (int j = 0; j < 128; ++j) {
            const bool plus = j % 2 == 0, small = j < 64;
            k[std::size_t(j) * 64] = floatToF16((plus ? 1.f : -1.f) * (small ? 1.f : 4.f));
            if (plus && small) {
                v[std::size_t(j) * 64] = floatToF16(1.f);
                v[std::size_t(j) * 64 + 1] = floatToF16(0.3f);
            } else if (plus) {
                v[std::size_t(j) * 64 + 1] = floatToF16(1.f);
            }
        }
    }
    AttentionInputs inputs() const { return {DType::F16, q.data(), k.data(), v.data()}; }
};

double cosineOfSage(const AttentionShape &s, bool smooth, double offset)
{
    auto q = randomNormalBits(s.qElements(), DType::F16, 21), k = randomNormalBits(s.kvElements(), DType::F16, 22),
         v = randomNormalBits(s.kvElements(), DType::F16, 23);
    addKeyChannelOffset(s, DType::F16, offset, k);
    AttentionInputs in{DType::F16, q.data(), k.data(), v.data()};
    const auto rows = rowsToCheck(s, 1);
    SageOptions o;
    o.smoothK = smooth;
    const auto sim = sageReferenceRows(s, in, sageQuantize(s, in, o), rows);
    const auto exact = attentionReferenceRows(s, in, rows);
    return compareExtended(sim.data(), exact.data(), sim.size()).cosine;
}

} // namespace

class TestSageReference : public QObject {
    Q_OBJECT

private slots:
    void int8RoundTripIsWithinHalfAStep()
    {
        std::vector<double> x(300);
        for (size_t i = 0; i < x.size(); ++i)
            x[i] = std::sin(0.37 * i) * (1 + i % 7);
        std::vector<std::int8_t> codes(x.size());
        const double delta = quantizeInt8(x.data(), x.size(), codes.data());
        int maxCode = 0;
        for (size_t i = 0; i < x.size(); ++i) {
            QVERIFY(std::abs(x[i] - codes[i] * delta) <= delta / 2 + 1e-12);
            maxCode = std::max(maxCode, std::abs(int(codes[i])));
        }
        QCOMPARE(maxCode, 127);
        std::vector<double> zeros(8, 0.0);
        QCOMPARE(quantizeInt8(zeros.data(), zeros.size(), codes.data()), 1.0);
    }

    void simulationMatchesDirectFormula_data()
    {
        QTest::addColumn<bool>("causal");
        QTest::addColumn<bool>("smooth");
        QTest::newRow("full smooth") << false << true;
        QTest::newRow("causal smooth") << true << true;
        QTest::newRow("full raw") << false << false;
    }

    void simulationMatchesDirectFormula()
    {
        QFETCH(bool, causal);
        QFETCH(bool, smooth);
        AttentionShape s{1, 4, 2, 41, 41, 64, causal, 0};
        auto q = randomNormalBits(s.qElements(), DType::F16, 1), k = randomNormalBits(s.kvElements(), DType::F16, 2),
             v = randomNormalBits(s.kvElements(), DType::F16, 3);
        addKeyChannelOffset(s, DType::F16, 2.0, k);
        AttentionInputs in{DType::F16, q.data(), k.data(), v.data()};
        SageOptions o;
        o.qGroupRows = o.kGroupRows = 1; // per token, as directSageRow
        o.smoothK = smooth;
        const auto rows = rowsToCheck(s, 1);
        const auto sim = sageReferenceRows(s, in, sageQuantize(s, in, o), rows);
        double worst = 0;
        for (size_t r = 0; r < rows.size(); ++r) {
            const auto expect = directSageRow(s, q, k, v, rows[r].h, rows[r].i, smooth);
            for (int c = 0; c < s.headDim; ++c)
                worst = std::max(worst, std::abs(sim[r * s.headDim + c] - expect[c]));
        }
        QVERIFY2(worst < 1e-9, qPrintable(QString("max abs diff %1").arg(worst)));
    }

    // The old kernels (and the CPU variant) keep one K scale per 64 keys, sage_tma one per
    // 128-key tile; each variant's simulation must be the one of its own numerics.
    void granularityFollowsTheVariant_data()
    {
        QTest::addColumn<QString>("variant");
        QTest::addColumn<QList<double>>("kScales");
        QTest::addColumn<int>("codeOfPlusOne");
        QTest::addColumn<double>("smallKey"); // the dequantised +1 key
        QTest::newRow("sage: per 64 keys") << "sage" << QList<double>{1.0 / 127, 4.0 / 127} << 127 << 1.0;
        QTest::newRow("cpu: per 64 keys") << "cpu" << QList<double>{1.0 / 127, 4.0 / 127} << 127 << 1.0;
        QTest::newRow("sage_tma: per 128-key tile") << "sage_tma" << QList<double>{4.0 / 127} << 32 << 128.0 / 127;
    }

    void granularityFollowsTheVariant()
    {
        QFETCH(QString, variant);
        QFETCH(QList<double>, kScales);
        QFETCH(int, codeOfPlusOne);
        QFETCH(double, smallKey);
        const HandCase hc;
        SageOptions o = sageOptionsFor(variant.toStdString(), false, true);
        QCOMPARE(o.qGroupRows, 64);
        QCOMPARE(o.fp8PV, variant == kSageTmaVariant && kSageTmaFp8PV); // sage_tma ships FP8 P·V
        o.fp8PV = false; // this case is about the K scales: P·V exact below
        const AttentionInputs in = hc.inputs();
        const SageQuantized z = sageQuantize(hc.shape, in, o);
        QCOMPARE(int(z.kScale.size()), int(kScales.size()));
        for (int g = 0; g < kScales.size(); ++g)
            QVERIFY2(std::abs(z.kScale[g] - kScales[g]) < 1e-15, qPrintable(QString::number(z.kScale[g])));
        QCOMPARE(int(z.k[0]), codeOfPlusOne);
        QCOMPARE(int(z.k[64 * 64]), 127); // the +4 key: full scale either way
        // softmax over 32 keys each of scores +a, -a, 4, -4 (a = smallKey); V as in HandCase.
        const double ea = std::exp(smallKey), em = std::exp(-smallKey), sum = ea + em + std::exp(4.0) + std::exp(-4.0);
        const double o0 = ea / sum, o1 = (double(f16ToFloat(floatToF16(0.3f))) * ea + std::exp(4.0)) / sum;
        const auto out = sageReferenceRows(hc.shape, in, z, {{0, 0, 0}, {0, 0, 100}});
        for (int r = 0; r < 2; ++r) {
            QVERIFY2(std::abs(out[r * 64] - o0) < 1e-12, qPrintable(QString("%1 vs %2").arg(out[r * 64]).arg(o0)));
            QVERIFY2(std::abs(out[r * 64 + 1] - o1) < 1e-12, qPrintable(QString::number(out[r * 64 + 1])));
            QCOMPARE(out[r * 64 + 2], 0.0);
        }
    }

    // SageAttention2's FP8 P·V (for the next pipeline version), off unless asked for: per 64
    // keys the scores are 1, -1, 4, -4; P = exp(S - 4) times 448 to e4m3: e^-3 * 448 = 22.30
    // -> 22 (step 2 in [16, 32)), e^-5 * 448 = 3.02 -> 3, 1 -> 448, e^-8 * 448 = 0.150 -> 0.15625;
    // V per channel over its absmax / 448: channel 0 (1) exact, channel 1's 0.2998 * 448 =
    // 134.3 -> 128 (step 16), its 1 exact. The row sum stays on the unrounded P.
    void fp8PVRoundsPAndV()
    {
        const HandCase hc;
        SageOptions o = sageOptionsFor("sage", false, true);
        QVERIFY(!o.fp8PV);
        o.fp8PV = true;
        const AttentionInputs in = hc.inputs();
        const SageQuantized z = sageQuantize(hc.shape, in, o);
        QCOMPARE(int(z.vScale.size()), 64);
        QVERIFY(std::abs(z.vScale[0] - 1.0 / 448) < 1e-18);
        QCOMPARE(z.vScale[5], 1.0); // an all-zero channel
        // One 128-key tile: scores relative to the row max 0 (plus big), -3 (plus small, V
        // (1, 0.3)), -5, -8, 32 keys each; 448 e^x rounds to 448, 22, 3, 0.15625 and l is
        // their sum (the rounded P, as the kernel's tensor-core row sums); V channel 1's 0.3
        // becomes 128 / 448.
        const double l = 448 + 22 + 3 + 0.15625;
        const double o0 = 22.0 / l, o1 = (22.0 * (128.0 / 448) + 448.0) / l;
        const auto out = sageReferenceRows(hc.shape, in, z, {{0, 0, 7}});
        QVERIFY2(std::abs(out[0] - o0) < 1e-12, qPrintable(QString("%1 vs %2").arg(out[0]).arg(o0)));
        QVERIFY2(std::abs(out[1] - o1) < 1e-12, qPrintable(QString("%1 vs %2").arg(out[1]).arg(o1)));
    }

    // The kernel's softmax is online over key tiles: P is rounded against the running max of
    // its tile and rescaled in fp32 when a later tile raises the max, not rounded against the
    // final max. Two 64-key tiles: the small keys (max -3 relative to the row) come first.
    void fp8PVRoundsAgainstTheRunningMax()
    {
        const HandCase hc;
        SageOptions o = sageOptionsFor("sage", false, true);
        o.fp8PV = true;
        o.fp8TileKeys = 64;
        const AttentionInputs in = hc.inputs();
        const SageQuantized z = sageQuantize(hc.shape, in, o);
        // tile 1 against its own max: 448 (plus small), e4m3(448 e^-2 = 60.6) = 60; tile 2
        // raises the max by 3: tile 1 scaled by e^-3, then 448 (plus big) and 0.15625
        const double c = std::exp(-3.0);
        const double l = (448 + 60) * c + 448 + 0.15625;
        const double o0 = 448 * c / l, o1 = (128 * c + 448) / l;
        const auto out = sageReferenceRows(hc.shape, in, z, {{0, 0, 7}});
        QVERIFY2(std::abs(out[0] - o0) < 1e-12, qPrintable(QString("%1 vs %2").arg(out[0]).arg(o0)));
        QVERIFY2(std::abs(out[1] - o1) < 1e-12, qPrintable(QString("%1 vs %2").arg(out[1]).arg(o1)));
    }

    void e4m3RoundsToNearestEven_data()
    {
        QTest::addColumn<double>("x");
        QTest::addColumn<double>("expected");
        const double sub = std::ldexp(1.0, -9); // the smallest subnormal
        QTest::newRow("zero") << 0.0 << 0.0;
        QTest::newRow("2^-9, smallest subnormal") << sub << sub;
        QTest::newRow("2^-10, tie 0 / 2^-9 -> even 0") << sub / 2 << 0.0;
        QTest::newRow("0.75 * 2^-9 -> 2^-9") << 0.75 * sub << sub;
        QTest::newRow("1.5 * 2^-9, tie -> even 2^-8") << 1.5 * sub << 2 * sub;
        QTest::newRow("2^-6, smallest normal") << std::ldexp(1.0, -6) << std::ldexp(1.0, -6);
        QTest::newRow("1.0625, tie 1.0 / 1.125 -> 1.0") << 1.0625 << 1.0;
        QTest::newRow("1.1875, tie 1.125 / 1.25 -> 1.25") << 1.1875 << 1.25;
        QTest::newRow("0.1 -> 13 * 2^-7") << 0.1 << 13.0 / 128;
        QTest::newRow("447 -> 448") << 447.0 << 448.0;
        QTest::newRow("448, the largest") << 448.0 << 448.0;
        QTest::newRow("1000 saturates") << 1000.0 << 448.0;
        QTest::newRow("-1.0625 -> -1.0") << -1.0625 << -1.0;
        QTest::newRow("-447 -> -448") << -447.0 << -448.0;
        QTest::newRow("-1000 saturates") << -1000.0 << -448.0;
        QTest::newRow("-2^-10 -> -0") << -sub / 2 << 0.0;
    }

    void e4m3RoundsToNearestEven()
    {
        QFETCH(double, x);
        QFETCH(double, expected);
        QCOMPARE(roundToE4m3(x), expected);
    }

    void accurateOnRandomNormal()
    {
        AttentionShape s{1, 2, 2, 200, 200, 128, false, 0};
        QVERIFY(cosineOfSage(s, true, 0.0) > 0.999);
    }

    void smoothingRescuesKeysWithChannelOffset()
    {
        AttentionShape s{1, 2, 2, 256, 256, 64, false, 0};
        const double smooth = cosineOfSage(s, true, 20.0), raw = cosineOfSage(s, false, 20.0);
        QVERIFY2(smooth > 0.999, qPrintable(QString("smoothed cosine %1").arg(smooth)));
        QVERIFY2(raw < smooth, qPrintable(QString("raw %1 smoothed %2").arg(raw).arg(smooth)));
    }

    void extendedAccuracyValues()
    {
        const double ref[] = {1, -2, 2, 0};
        const double out[] = {1, -2, 2, 1};
        const ExtendedAccuracy a = compareExtended(out, ref, 4);
        QCOMPARE(a.relL1, 1.0 / 5.0);
        QCOMPARE(a.rmse, 0.5);
        QCOMPARE(a.relL2, 1.0 / 3.0);
        QVERIFY(std::abs(a.cosine - 9.0 / (3.0 * std::sqrt(10.0))) < 1e-15);
        const double bad[] = {1, NAN, 2, 0};
        QVERIFY(std::isnan(compareExtended(bad, ref, 4).cosine));
    }

    void cpuVariantRunsThroughTheRegistry()
    {
        const KernelSpec *k = findKernel("sage_attention");
        QVERIFY(k);
        PointContext ctx;
        ctx.variant = "cpu";
        ctx.repetitions = 1;
        ctx.warmup = 0;
        for (const auto &p : k->params)
            ctx.params.set(p.name, p.defaultValue);
        ctx.params.set("seq_len", "100");
        const PointOutcome out = k->runPoint(ctx);
        QVERIFY2(!out.error, out.error ? out.error->message.c_str() : "");
        double cosine = 0, sim = 1;
        for (const auto &m : out.metrics) {
            if (m.id == "cosine")
                cosine = m.value;
            if (m.id == "sim_rel_l2")
                sim = m.value;
        }
        QVERIFY(cosine > 0.999);
        QCOMPARE(sim, 0.0);
    }
};

QTEST_GUILESS_MAIN(TestSageReference)
#include "tst_sage_reference.moc"
