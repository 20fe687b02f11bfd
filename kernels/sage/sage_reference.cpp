#include "sage/sage_reference.h"

#include "core/parallel_for.h"
#include "sage/e4m3.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>

namespace paperlab::kernels {

double quantizeInt8(const double *x, std::size_t n, std::int8_t *codes)
{
    double amax = 0;
    for (std::size_t i = 0; i < n; ++i)
        amax = std::max(amax, std::abs(x[i]));
    const double delta = amax > 0 ? amax / 127.0 : 1.0;
    for (std::size_t i = 0; i < n; ++i)
        codes[i] = std::int8_t(std::clamp(std::nearbyint(x[i] / delta), -127.0, 127.0));
    return delta;
}

SageQuantized sageQuantize(const AttentionShape &s, const AttentionInputs &in, const SageOptions &o)
{
    SageQuantized z;
    const int d = s.headDim;
    z.qGroupRows = std::max(o.qGroupRows, 1);
    z.kGroupRows = std::max(o.kGroupRows, 1);
    z.qGroupsPerSeq = (s.seqQ + z.qGroupRows - 1) / z.qGroupRows;
    z.kGroupsPerSeq = (s.seqK + z.kGroupRows - 1) / z.kGroupRows;
    z.q.resize(s.qElements());
    z.k.resize(s.kvElements());
    z.qScale.resize(std::size_t(s.batch) * s.qHeads * z.qGroupsPerSeq);
    z.kScale.resize(std::size_t(s.batch) * s.kvHeads * z.kGroupsPerSeq);
    z.kMean.assign(std::size_t(s.batch) * s.kvHeads * d, 0.0);
    auto widen = [&](std::uint16_t b) { return double(dtypeToFloat(in.dtype, b)); };

    // K: mean over tokens, then quantize each group; one task per (b, kv head).
    parallelTasks(std::size_t(s.batch) * s.kvHeads, [&](std::size_t bh) {
        const std::uint16_t *k = in.k + bh * s.seqK * d;
        double *mean = &z.kMean[bh * d];
        if (o.smoothK) {
            for (int j = 0; j < s.seqK; ++j)
                for (int c = 0; c < d; ++c)
                    mean[c] += widen(k[std::size_t(j) * d + c]);
            for (int c = 0; c < d; ++c)
                mean[c] /= s.seqK;
        }
        std::vector<double> buf(std::size_t(z.kGroupRows) * d);
        for (int g = 0; g < z.kGroupsPerSeq; ++g) {
            const int j0 = g * z.kGroupRows, rows = std::min(z.kGroupRows, s.seqK - j0);
            for (int r = 0; r < rows; ++r)
                for (int c = 0; c < d; ++c)
                    buf[std::size_t(r) * d + c] = widen(k[std::size_t(j0 + r) * d + c]) - mean[c];
            z.kScale[bh * z.kGroupsPerSeq + g] =
                quantizeInt8(buf.data(), std::size_t(rows) * d, &z.k[(bh * s.seqK + j0) * d]);
        }
    });
    const double scale = s.softmaxScale();
    parallelTasks(std::size_t(s.batch) * s.qHeads, [&](std::size_t bh) {
        const std::uint16_t *q = in.q + bh * s.seqQ * d;
        std::vector<double> buf(std::size_t(z.qGroupRows) * d);
        for (int g = 0; g < z.qGroupsPerSeq; ++g) {
            const int i0 = g * z.qGroupRows, rows = std::min(z.qGroupRows, s.seqQ - i0);
            for (std::size_t e = 0; e < std::size_t(rows) * d; ++e)
                buf[e] = widen(q[std::size_t(i0) * d + e]) * scale;
            z.qScale[bh * z.qGroupsPerSeq + g] =
                quantizeInt8(buf.data(), std::size_t(rows) * d, &z.q[(bh * s.seqQ + i0) * d]);
        }
    });
    z.fp8PV = o.fp8PV;
    z.fp8TileKeys = o.fp8TileKeys;
    if (o.fp8PV) {
        z.vScale.assign(std::size_t(s.batch) * s.kvHeads * d, 0.0);
        for (std::size_t bh = 0; bh < std::size_t(s.batch) * s.kvHeads; ++bh) {
            double *scale = &z.vScale[bh * d];
            const std::uint16_t *v = in.v + bh * s.seqK * d;
            for (int j = 0; j < s.seqK; ++j)
                for (int c = 0; c < d; ++c)
                    scale[c] = std::max(scale[c], std::abs(widen(v[std::size_t(j) * d + c])));
            for (int c = 0; c < d; ++c)
                scale[c] = scale[c] > 0 ? scale[c] / kE4m3Max : 1.0;
        }
    }
    return z;
}

namespace {

// One row of the FP8 P·V path from its dequantised scores, tile by tile as the kernel's online
// softmax: P rounded against the running max of its tile, O and l over the rounded P.
void fp8OnlineRow(const AttentionShape &s, const AttentionInputs &in, const SageQuantized &z, std::size_t kbh,
                  const double *score, int nk, double *o)
{
    const int d = s.headDim;
    const double *vScale = &z.vScale[kbh * d];
    double m = -std::numeric_limits<double>::infinity(), l = 0;
    for (int t0 = 0; t0 < nk; t0 += z.fp8TileKeys) {
        const int t1 = std::min(nk, t0 + z.fp8TileKeys);
        const double mNew = std::max(m, *std::max_element(score + t0, score + t1));
        const double corr = std::exp(m - mNew); // 0 for the first tile
        l *= corr;
        for (int c = 0; c < d; ++c)
            o[c] *= corr;
        for (int j = t0; j < t1; ++j) {
            const double p = roundToE4m3(std::exp(score[j] - mNew) * kE4m3Max); // P x 448 fills e4m3
            l += p;
            const std::uint16_t *v = in.v + (kbh * s.seqK + j) * d;
            for (int c = 0; c < d; ++c)
                o[c] += p * (roundToE4m3(dtypeToFloat(in.dtype, v[c]) / vScale[c]) * vScale[c]);
        }
        m = mNew;
    }
    for (int c = 0; c < d; ++c)
        o[c] /= l;
}

} // namespace

std::vector<double> sageReferenceRows(const AttentionShape &s, const AttentionInputs &in, const SageQuantized &z,
                                      const std::vector<RowId> &rows)
{
    const int d = s.headDim;
    std::vector<double> out(rows.size() * std::size_t(d));
    parallelTasks(rows.size(), [&](std::size_t r) {
        const RowId id = rows[r];
        const int hk = id.h / (s.qHeads / s.kvHeads);
        const std::size_t qbh = std::size_t(id.b) * s.qHeads + id.h;
        const std::size_t kbh = std::size_t(id.b) * s.kvHeads + hk;
        const std::int8_t *q = &z.q[(qbh * s.seqQ + id.i) * d];
        const double dq = z.qScale[qbh * z.qGroupsPerSeq + id.i / z.qGroupRows];
        const int nk = s.causal ? std::min(id.i + 1, s.seqK) : s.seqK;
        std::vector<double> sc(std::max(nk, 1));
        double mx = -std::numeric_limits<double>::infinity();
        for (int j = 0; j < nk; ++j) {
            const std::int8_t *k = &z.k[(kbh * s.seqK + j) * d];
            std::int64_t dot = 0;
            for (int c = 0; c < d; ++c)
                dot += std::int64_t(q[c]) * k[c];
            sc[j] = double(dot) * dq * z.kScale[kbh * z.kGroupsPerSeq + j / z.kGroupRows];
            mx = std::max(mx, sc[j]);
        }
        double *o = &out[r * d];
        std::fill(o, o + d, 0.0);
        if (z.fp8PV) {
            fp8OnlineRow(s, in, z, kbh, sc.data(), nk, o);
            return;
        }
        double sum = 0;
        for (int j = 0; j < nk; ++j)
            sum += (sc[j] = std::exp(sc[j] - mx));
        for (int j = 0; j < nk; ++j) {
            const std::uint16_t *v = in.v + (kbh * s.seqK + j) * d;
            const double p = sc[j] / sum;
            for (int c = 0; c < d; ++c)
                o[c] += p * dtypeToFloat(in.dtype, v[c]);
        }
    });
    return out;
}

void addKeyChannelOffset(const AttentionShape &s, DType dtype, double offset, std::vector<std::uint16_t> &k)
{
    if (offset == 0)
        return;
    const int d = s.headDim;
    std::mt19937_64 rng(0x5A6EA77Eull);
    std::normal_distribution<double> normal(0.0, 1.0);
    std::vector<double> u(d);
    for (auto &x : u)
        x = offset * normal(rng);
    for (std::size_t e = 0; e < k.size(); ++e)
        k[e] = floatToDtype(dtype, float(dtypeToFloat(dtype, k[e]) + u[e % d]));
}

} // namespace paperlab::kernels
