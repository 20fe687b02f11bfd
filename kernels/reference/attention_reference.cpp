#include "reference/attention_reference.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <cmath>
#include <limits>
#include <random>
#include <thread>

namespace paperlab::kernels {

namespace {

// 65536-entry table: widening a 16-bit pattern becomes one load.
const double *widenTable(DType dtype)
{
    static const std::vector<double> f16 = [] {
        std::vector<double> t(65536);
        for (std::uint32_t i = 0; i < 65536; ++i)
            t[i] = f16ToFloat(std::uint16_t(i));
        return t;
    }();
    static const std::vector<double> bf16 = [] {
        std::vector<double> t(65536);
        for (std::uint32_t i = 0; i < 65536; ++i)
            t[i] = bf16ToFloat(std::uint16_t(i));
        return t;
    }();
    return dtype == DType::F16 ? f16.data() : bf16.data();
}

unsigned workerCount(unsigned requested, std::size_t tasks)
{
    unsigned n = requested ? requested : std::max(1u, std::thread::hardware_concurrency());
    return unsigned(std::max<std::size_t>(1, std::min<std::size_t>(n, tasks)));
}

template <typename Fn>
void parallelFor(std::size_t tasks, unsigned threads, Fn fn)
{
    std::atomic<std::size_t> next{0};
    std::vector<std::thread> pool;
    unsigned workers = workerCount(threads, tasks);
    for (unsigned w = 0; w < workers; ++w)
        pool.emplace_back([&] {
            for (std::size_t t; (t = next.fetch_add(1)) < tasks;)
                fn(t);
        });
    for (auto &th : pool)
        th.join();
}

std::size_t qOffset(const AttentionShape &s, int b, int h, int i)
{
    return ((std::size_t(b) * s.qHeads + h) * s.seqQ + i) * s.headDim;
}

std::size_t kvOffset(const AttentionShape &s, int b, int hk, int j)
{
    return ((std::size_t(b) * s.kvHeads + hk) * s.seqK + j) * s.headDim;
}

int keysVisible(const AttentionShape &s, int i)
{
    return s.causal ? std::min(i + 1, s.seqK) : s.seqK;
}

} // namespace

double AttentionShape::softmaxScale() const
{
    return scale > 0 ? scale : 1.0 / std::sqrt(double(headDim));
}

void attentionReferenceRow(const AttentionShape &s, const AttentionInputs &in, int b, int h, int i, double *outRow)
{
    const double *w = widenTable(in.dtype);
    const int d = s.headDim;
    const int hk = h / (s.qHeads / s.kvHeads);
    const int nk = keysVisible(s, i);
    const std::uint16_t *q = in.q + qOffset(s, b, h, i);
    std::vector<double> scores(std::max(nk, 1));
    double mx = -std::numeric_limits<double>::infinity();
    for (int j = 0; j < nk; ++j) {
        const std::uint16_t *k = in.k + kvOffset(s, b, hk, j);
        double dot = 0;
        for (int c = 0; c < d; ++c)
            dot += w[q[c]] * w[k[c]];
        scores[j] = dot * s.softmaxScale();
        mx = std::max(mx, scores[j]);
    }
    double sum = 0;
    for (int j = 0; j < nk; ++j)
        sum += (scores[j] = std::exp(scores[j] - mx));
    std::fill(outRow, outRow + d, 0.0);
    for (int j = 0; j < nk; ++j) {
        const std::uint16_t *v = in.v + kvOffset(s, b, hk, j);
        double p = scores[j] / sum;
        for (int c = 0; c < d; ++c)
            outRow[c] += p * w[v[c]];
    }
}

void attentionReferenceBlocked(const AttentionShape &s, const AttentionInputs &in, double *out, unsigned threads)
{
    constexpr int kRows = 16; // query rows per block: reuses each widened K/V row 16 times
    constexpr int kKeys = 64; // keys per block of the online softmax
    const double *w = widenTable(in.dtype);
    const int d = s.headDim;
    const int group = s.qHeads / s.kvHeads;
    const double scale = s.softmaxScale();
    const int rowBlocks = (s.seqQ + kRows - 1) / kRows;
    const std::size_t tasks = std::size_t(s.batch) * s.qHeads * rowBlocks;

    parallelFor(tasks, threads, [&](std::size_t task) {
        const int rb = int(task % rowBlocks);
        const int h = int((task / rowBlocks) % s.qHeads);
        const int b = int(task / rowBlocks / s.qHeads);
        const int hk = h / group;
        const int i0 = rb * kRows, rows = std::min(kRows, s.seqQ - i0);

        std::vector<double> q(std::size_t(kRows) * d), k(std::size_t(kKeys) * d), v(std::size_t(kKeys) * d);
        std::vector<double> acc(std::size_t(kRows) * d, 0.0);
        std::array<double, kRows> m, l;
        m.fill(-std::numeric_limits<double>::infinity());
        l.fill(0.0);
        for (int r = 0; r < rows; ++r)
            for (int c = 0; c < d; ++c)
                q[std::size_t(r) * d + c] = w[in.q[qOffset(s, b, h, i0 + r) + c]];

        const int keyEnd = keysVisible(s, i0 + rows - 1);
        for (int j0 = 0; j0 < keyEnd; j0 += kKeys) {
            const int keys = std::min(kKeys, keyEnd - j0);
            for (int j = 0; j < keys; ++j)
                for (int c = 0; c < d; ++c) {
                    k[std::size_t(j) * d + c] = w[in.k[kvOffset(s, b, hk, j0 + j) + c]];
                    v[std::size_t(j) * d + c] = w[in.v[kvOffset(s, b, hk, j0 + j) + c]];
                }
            for (int r = 0; r < rows; ++r) {
                const int visible = std::min(keys, keysVisible(s, i0 + r) - j0);
                if (visible <= 0)
                    continue;
                std::array<double, kKeys> sc;
                double mx = m[r];
                for (int j = 0; j < visible; ++j) {
                    double dot = 0;
                    for (int c = 0; c < d; ++c)
                        dot += q[std::size_t(r) * d + c] * k[std::size_t(j) * d + c];
                    sc[j] = dot * scale;
                    mx = std::max(mx, sc[j]);
                }
                // online softmax: rescale what was accumulated under the old maximum
                const double corr = std::exp(m[r] - mx);
                double *a = &acc[std::size_t(r) * d];
                for (int c = 0; c < d; ++c)
                    a[c] *= corr;
                l[r] *= corr;
                for (int j = 0; j < visible; ++j) {
                    const double p = std::exp(sc[j] - mx);
                    l[r] += p;
                    for (int c = 0; c < d; ++c)
                        a[c] += p * v[std::size_t(j) * d + c];
                }
                m[r] = mx;
            }
        }
        for (int r = 0; r < rows; ++r) {
            double *o = out + qOffset(s, b, h, i0 + r);
            for (int c = 0; c < d; ++c)
                o[c] = l[r] > 0 ? acc[std::size_t(r) * d + c] / l[r] : 0.0;
        }
    });
}

std::vector<RowId> rowsToCheck(const AttentionShape &s, std::uint64_t seed)
{
    const std::size_t total = std::size_t(s.batch) * s.qHeads * s.seqQ;
    const std::size_t costPerRow = std::size_t(std::max(1, s.seqK)) * s.headDim;
    const std::size_t budget = std::max<std::size_t>(256, (std::size_t(1) << 30) / costPerRow);
    std::vector<RowId> rows;
    if (total <= budget) {
        for (int b = 0; b < s.batch; ++b)
            for (int h = 0; h < s.qHeads; ++h)
                for (int i = 0; i < s.seqQ; ++i)
                    rows.push_back({b, h, i});
        return rows;
    }
    std::mt19937_64 rng(seed ^ 0xC0FFEEull);
    std::uniform_int_distribution<int> bd(0, s.batch - 1), hd(0, s.qHeads - 1), id(0, s.seqQ - 1);
    rows.push_back({s.batch - 1, s.qHeads - 1, s.seqQ - 1}); // corners catch edge-tile bugs
    rows.push_back({0, 0, 0});
    while (rows.size() < budget)
        rows.push_back({bd(rng), hd(rng), id(rng)});
    return rows;
}

std::vector<double> attentionReferenceRows(const AttentionShape &s, const AttentionInputs &in,
                                           const std::vector<RowId> &rows)
{
    std::vector<double> out(rows.size() * std::size_t(s.headDim));
    parallelFor(rows.size(), 0, [&](std::size_t r) {
        attentionReferenceRow(s, in, rows[r].b, rows[r].h, rows[r].i, &out[r * std::size_t(s.headDim)]);
    });
    return out;
}

} // namespace paperlab::kernels
