// KIVI / SKVQ on the CPU: group quantization round trips with bounded error, packing,
// token ranges, channel reordering, memory accounting, and decode against a direct formula.
#include "core/random_fill.h"
#include "core/registry.h"
#include "kvquant/kivi_fragment_layout.h"
#include "kvquant/kivi_fragment_pack.h"
#include "kvquant/kvquant_reference.h"
#include "point_helpers.h"

#include <QtTest>

#include <algorithm>
#include <bitset>
#include <cmath>

using namespace paperlab::kernels;
using paperlab::kernels::testing::metricOf;

namespace {

PointOutcome runCpu(std::map<std::string, std::string> set)
{
    set.insert({{"kv_len", "700"}, {"q_heads", "8"}, {"kv_heads", "2"}}); // unless given
    return testing::runCpuPoint("kv_quant_decode", set);
}

} // namespace

class TestKvQuantReference : public QObject {
    Q_OBJECT

private slots:
    void groupRoundTripIsBounded_data()
    {
        QTest::addColumn<int>("bits");
        QTest::addColumn<double>("clip");
        QTest::newRow("4 bit") << 4 << 1.0;
        QTest::newRow("2 bit") << 2 << 1.0;
        QTest::newRow("4 bit clipped") << 4 << 0.9;
    }

    void groupRoundTripIsBounded()
    {
        QFETCH(int, bits);
        QFETCH(double, clip);
        std::vector<float> x(64);
        for (size_t i = 0; i < x.size(); ++i)
            x[i] = f16ToFloat(floatToF16(float(std::cos(1.3 * i) * 3 + 0.5)));
        std::uint16_t sb, mb;
        std::vector<std::uint8_t> codes(x.size());
        quantizeGroup(x.data(), int(x.size()), bits, float(clip), sb, mb, codes.data());
        const double scale = f16ToFloat(sb), mn = f16ToFloat(mb);
        const float lo = *std::min_element(x.begin(), x.end()), hi = *std::max_element(x.begin(), x.end());
        for (size_t i = 0; i < x.size(); ++i) {
            QVERIFY(codes[i] < (1 << bits));
            const double err = std::abs(x[i] - dequantizeCode(codes[i], scale, mn));
            // half a step, plus fp16 rounding of scale/min, plus what clipping cut off
            const double bound = 0.5 * scale + 1e-3 * (hi - lo) + (1 - clip) * std::max(std::abs(lo), std::abs(hi));
            QVERIFY2(err <= bound + 1e-6, qPrintable(QString("err %1 bound %2").arg(err).arg(bound)));
        }
    }

    void tokenRanges()
    {
        KvQuantConfig kivi;
        kivi.groupSize = 32;
        kivi.residual = 128;
        KvRanges r = kvRanges(1000, kivi);
        QCOMPARE(r.qBegin, 0);
        QCOMPARE(r.qEnd % 32, 0);
        QVERIFY(1000 - r.qEnd >= 128 && 1000 - r.qEnd < 128 + 32);
        KvQuantConfig skvq;
        skvq.method = KvMethod::Skvq;
        skvq.sink = 4;
        skvq.residual = 100;
        r = kvRanges(1000, skvq);
        QCOMPARE(r.qBegin, 4);
        QCOMPARE(r.qEnd, 4 + 896); // whole 32-token blocks: 900 - 4 = 896 = 28 x 32
        r = kvRanges(1010, skvq);
        QCOMPARE(r.qEnd, 4 + 896); // 906 tokens before the window: 28 blocks, 10 wait in fp16
        QCOMPARE(kvRanges(50, skvq).quantTokens(), 0);
    }

    void headRoundTrip_data()
    {
        QTest::addColumn<bool>("skvq");
        QTest::addColumn<int>("bits");
        QTest::addColumn<int>("group");
        QTest::newRow("kivi 4b g32") << false << 4 << 32;
        QTest::newRow("kivi 2b g64") << false << 2 << 64;
        QTest::newRow("kivi 8b g32") << false << 8 << 32;
        QTest::newRow("skvq 4b g32") << true << 4 << 32;
        QTest::newRow("skvq 2b g128") << true << 2 << 128;
    }

    void headRoundTrip()
    {
        QFETCH(bool, skvq);
        QFETCH(int, bits);
        QFETCH(int, group);
        const int L = 333, d = 128;
        KvQuantConfig c;
        c.method = skvq ? KvMethod::Skvq : KvMethod::Kivi;
        c.bits = bits;
        c.groupSize = group;
        c.residual = 40;
        c.sink = 3;
        c.clip = 1.0;
        const auto k = randomNormalBits(size_t(L) * d, DType::F16, 5),
                   v = randomNormalBits(size_t(L) * d, DType::F16, 6);
        const KvHeadCache h = quantizeKvHead(k.data(), v.data(), L, d, c);
        std::vector<double> kd(size_t(L) * d), vd(size_t(L) * d);
        dequantizeKvHead(h, k.data(), v.data(), L, d, c, kd.data(), vd.data());
        // each element within half a step of its group (+ fp16 rounding of scale and min)
        double worst = 0;
        for (int j = 0; j < L; ++j)
            for (int ch = 0; ch < d; ++ch) {
                const double kx = f16ToFloat(k[size_t(j) * d + ch]), vx = f16ToFloat(v[size_t(j) * d + ch]);
                const double ke = std::abs(kd[size_t(j) * d + ch] - kx), ve = std::abs(vd[size_t(j) * d + ch] - vx);
                if (j < h.r.qBegin || j >= h.r.qEnd) {
                    QCOMPARE(ke, 0.0);
                    QCOMPARE(ve, 0.0);
                    continue;
                }
                // a normal sample of a few hundred lies within +-5: the step is at most 10 / levels
                const double step = 10.0 / ((1 << bits) - 1);
                worst = std::max(worst, std::max(ke, ve) / step);
            }
        QVERIFY2(worst <= 0.52, qPrintable(QString("worst error %1 steps").arg(worst)));
        // the permutations are permutations
        for (const auto *perm : {&h.kPerm, &h.vPerm}) {
            std::vector<std::uint16_t> sorted = *perm;
            std::sort(sorted.begin(), sorted.end());
            for (int ch = 0; ch < d; ++ch)
                QCOMPARE(int(sorted[ch]), ch);
        }
    }

    void skvqOrdersChannelsByMidpoint()
    {
        const int L = 10, d = 64;
        std::vector<std::uint16_t> x(size_t(L) * d);
        for (int j = 0; j < L; ++j)
            for (int ch = 0; ch < d; ++ch)
                x[size_t(j) * d + ch] = floatToF16(float((ch * 37) % d) + 0.1f * j);
        KvQuantConfig c;
        c.method = KvMethod::Skvq;
        const auto perm = channelOrder(x.data(), L, d, c);
        for (int p = 1; p < d; ++p)
            QVERIFY(f16ToFloat(x[perm[p]]) > f16ToFloat(x[perm[p - 1]]));
        c.method = KvMethod::Kivi;
        const auto id = channelOrder(x.data(), L, d, c);
        for (int p = 0; p < d; ++p)
            QCOMPARE(int(id[p]), p);
    }

    void memoryAccounting()
    {
        KvQuantConfig c; // KIVI 4 bit, G 32, R 128
        const int L = 4096, d = 128;
        const KvRanges r = kvRanges(L, c);
        const double perHead = 2.0 * (L - r.quantTokens()) * d * 2 + 2.0 * r.quantTokens() * d / 2 +
                               4.0 * (r.quantTokens() / 32 * d + r.quantTokens() * (d / 32));
        QCOMPARE(kvCacheBytes(2, 8, L, d, c), perHead * 16);
        QCOMPARE(kvCacheBytesFp16(2, 8, L, d), 2.0 * 2 * L * d * 16);
        c.bits = 2;
        QVERIFY(kvCacheBytes(1, 1, L, d, c) < 0.25 * kvCacheBytesFp16(1, 1, L, d));
    }

    void decodeMatchesDirectFormula()
    {
        const int L = 9, d = 4, rows = 2;
        std::vector<double> q(rows * d), k(L * d), v(L * d), out(rows * d);
        for (int i = 0; i < rows * d; ++i)
            q[i] = 0.1 * i - 0.3;
        for (int i = 0; i < L * d; ++i) {
            k[i] = std::sin(0.7 * i);
            v[i] = std::cos(0.3 * i);
        }
        decodeRowsFloat64(q.data(), rows, k.data(), v.data(), L, d, 0.5, out.data());
        for (int r = 0; r < rows; ++r) {
            double total = 0;
            std::vector<double> o(d, 0.0), w(L);
            for (int j = 0; j < L; ++j) {
                double dot = 0;
                for (int c = 0; c < d; ++c)
                    dot += q[r * d + c] * k[j * d + c];
                total += (w[j] = std::exp(0.5 * dot));
            }
            for (int j = 0; j < L; ++j)
                for (int c = 0; c < d; ++c)
                    o[c] += w[j] / total * v[j * d + c];
            for (int c = 0; c < d; ++c)
                QVERIFY(std::abs(o[c] - out[r * d + c]) < 1e-14);
        }
    }

    void cpuVariantAccuracyOrdersByBits()
    {
        const PointOutcome four = runCpu({{"bits", "4"}});
        const PointOutcome two = runCpu({{"bits", "2"}});
        QVERIFY2(!four.error, four.error ? four.error->message.c_str() : "");
        QVERIFY(!two.error);
        QCOMPARE(metricOf(four, "sim_rel_l2"), 0.0);
        QVERIFY(metricOf(four, "rel_l2") < metricOf(two, "rel_l2"));
        QVERIFY(metricOf(four, "rel_l2") < 0.2); // random normal data: outputs are small averages
        QVERIFY(metricOf(four, "cosine") > 0.99);
        QVERIFY(metricOf(two, "memory_saved") > metricOf(four, "memory_saved"));
        const PointOutcome skvq = runCpu({{"method", "skvq"}, {"k_channel_offset", "5"}});
        QVERIFY(!skvq.error);
        QVERIFY(metricOf(skvq, "cosine") > 0.95);
    }

    // The fused kernel's records hold exactly the quantizer's codes and (scale, min) pairs, each
    // once, at the place kivi_fragment_layout.h says a lane finds it.
    void fusedRecordsHoldTheCache_data()
    {
        QTest::addColumn<int>("bits");
        QTest::addColumn<bool>("skvq");
        QTest::newRow("kivi 2 bits") << 2 << false;
        QTest::newRow("kivi 4 bits") << 4 << false;
        QTest::newRow("kivi 8 bits") << 8 << false;
        QTest::newRow("skvq 2 bits") << 2 << true;
        QTest::newRow("skvq 4 bits") << 4 << true;
        QTest::newRow("skvq 8 bits") << 8 << true;
    }

    void fusedRecordsHoldTheCache()
    {
        QFETCH(int, bits);
        QFETCH(bool, skvq);
        const int L = 32 * 5 + 130 + (skvq ? 4 : 0), d = 128;
        KvQuantConfig c;
        c.bits = bits;
        c.residual = 128;
        if (skvq) {
            c.method = KvMethod::Skvq;
            c.sink = 4;
            c.clip = 0.95;
        }
        const auto k = randomNormalBits(size_t(L) * d, DType::F16, 11),
                   v = randomNormalBits(size_t(L) * d, DType::F16, 12);
        const KvHeadCache h = quantizeKvHead(k.data(), v.data(), L, d, c);
        QCOMPARE(h.r.quantTokens(), 32 * 5);
        const std::vector<std::uint8_t> rec = packKiviRecords(h, c);
        const int R = kivi::recordBytes(bits);
        QCOMPARE(int(rec.size()), 5 * R);
        // bytes: codes + one fp16 pair per channel (KIVI's K) or token group (SKVQ's K, V), as
        // kvCacheBytes counts (which adds SKVQ's two channel orders)
        QCOMPARE(double(rec.size()) + 2.0 * (L - h.r.quantTokens()) * d * 2 + (skvq ? 2.0 * d * 2 : 0.0),
                 kvCacheBytes(1, 1, L, d, c));
        std::vector<double> kd(size_t(L) * d), vd(size_t(L) * d);
        dequantizeKvHead(h, k.data(), v.data(), L, d, c, kd.data(), vd.data());
        for (int blk = 0; blk < 5; ++blk)
            for (int key = 0; key < 32; ++key)
                for (int ch = 0; ch < d; ++ch) {
                    // records hold stored channels; the dequantized cache is in the original order
                    const std::size_t row = size_t(h.r.qBegin + blk * 32 + key) * d;
                    const KiviRecordElement ke = recordKey(&rec[size_t(blk) * R], bits, key, ch, c.method);
                    const KiviRecordElement ve = recordValue(&rec[size_t(blk) * R], bits, key, ch);
                    QCOMPARE(ke.code * double(f16ToFloat(ke.scaleBits)) + f16ToFloat(ke.minBits),
                             kd[row + h.kPerm[ch]]);
                    QCOMPARE(ve.code * double(f16ToFloat(ve.scaleBits)) + f16ToFloat(ve.minBits),
                             vd[row + h.vPerm[ch]]);
                }
        // every code bit is used once: set bits in a record = set bits of the codes it holds
        std::size_t recBits = 0, codeBits = 0;
        for (int i = 0; i < 5 * R; ++i)
            if (i % R < 2 * kivi::codeBytes(bits))
                recBits += std::bitset<8>(rec[i]).count();
        for (int j = 0; j < 5 * 32; ++j)
            for (int w = 0; w < wordsPerToken(d, bits); ++w)
                codeBits += std::bitset<32>(h.kCodes[size_t(j) * wordsPerToken(d, bits) + w]).count() +
                            std::bitset<32>(h.vCodes[size_t(j) * wordsPerToken(d, bits) + w]).count();
        QCOMPARE(recBits, codeBits);
    }

    void fusedKernelNamesWhatItLacks()
    {
        KvQuantConfig c;
        QVERIFY(kiviFusedUnsupported(c, 128, 4).empty());
        QCOMPARE(kiviFusedUnsupported(c, 64, 4), std::string("head_dim"));
        QCOMPARE(kiviFusedUnsupported(c, 128, 16), std::string("q_heads"));
        c.groupSize = 64;
        QCOMPARE(kiviFusedUnsupported(c, 128, 4), std::string("group_size"));
        c.groupSize = 32;
        c.method = KvMethod::Skvq; // SKVQ runs fused too, under the same limits
        QVERIFY(kiviFusedUnsupported(c, 128, 4).empty());
        QCOMPARE(kiviFusedUnsupported(c, 128, 16), std::string("q_heads"));
    }

    void eightBitsAreAccepted()
    {
        const PointOutcome eight = runCpu({{"bits", "8"}});
        const PointOutcome four = runCpu({{"bits", "4"}});
        QVERIFY2(!eight.error, eight.error ? eight.error->message.c_str() : "");
        QVERIFY(metricOf(eight, "rel_l2") < metricOf(four, "rel_l2") / 4);
        QVERIFY(metricOf(eight, "memory_saved") < metricOf(four, "memory_saved"));
    }

    void badGroupSizeIsRejected()
    {
        const KernelSpec *k = findKernel("kv_quant_decode");
        ParamSet p;
        for (const auto &s : k->params)
            p.set(s.name, s.defaultValue);
        p.set("head_dim", "64");
        p.set("group_size", "128");
        const auto err = k->checkParams(p);
        QVERIFY(err);
        QCOMPARE(err->parameter, std::string("group_size"));
    }
};

QTEST_GUILESS_MAIN(TestKvQuantReference)
#include "tst_kvquant_reference.moc"
