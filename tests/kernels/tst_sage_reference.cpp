// SageAttention's float64 simulation against a direct formula written out here, the INT8
// round trip, why smoothing K matters, and the extended accuracy metrics.
#include "core/accuracy_extra.h"
#include "core/random_fill.h"
#include "core/registry.h"
#include "sage/sage_reference.h"

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
        o.perToken = true;
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
