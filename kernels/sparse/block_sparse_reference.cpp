#include "sparse/block_sparse_reference.h"

#include "core/parallel_for.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace paperlab::kernels {

namespace {

double widen(const AttentionInputs &in, std::uint16_t b)
{
    return dtypeToFloat(in.dtype, b);
}

const std::uint16_t *qRow(const AttentionShape &s, const AttentionInputs &in, int bh, int i)
{
    return in.q + (std::size_t(bh) * s.seqQ + i) * s.headDim;
}

const std::uint16_t *kRow(const AttentionShape &s, const AttentionInputs &in, int bh, int j)
{
    const int b = bh / s.qHeads, h = bh % s.qHeads, hk = h / (s.qHeads / s.kvHeads);
    return in.k + ((std::size_t(b) * s.kvHeads + hk) * s.seqK + j) * s.headDim;
}

std::vector<int> ranked(const std::vector<double> &score, int n)
{
    std::vector<int> order(n);
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(), [&](int a, int b) { return rankBefore(score[a], a, score[b], b); });
    return order;
}

void selectMoba(const AttentionShape &s, const AttentionInputs &in, const SparseConfig &c, int bh, BlockMask &m)
{
    const int d = s.headDim, B = c.blockSize;
    auto pooled = [&](bool query, int blk) {
        std::vector<double> mean(d, 0.0);
        const int n = query ? s.seqQ : s.seqK, r0 = blk * B, r1 = std::min(n, r0 + B);
        for (int r = r0; r < r1; ++r) {
            const std::uint16_t *x = query ? qRow(s, in, bh, r) : kRow(s, in, bh, r);
            for (int ch = 0; ch < d; ++ch)
                mean[ch] += widen(in, x[ch]);
        }
        for (auto &x : mean)
            x /= std::max(1, r1 - r0);
        return mean;
    };
    std::vector<std::vector<double>> km(m.kBlocks);
    for (int j = 0; j < m.kBlocks; ++j)
        km[j] = pooled(false, j);
    std::vector<double> score(m.kBlocks);
    for (int i = 0; i < m.qBlocks; ++i) {
        const std::vector<double> qm = pooled(true, i);
        for (int j = 0; j < m.kBlocks; ++j) {
            double dot = 0;
            for (int ch = 0; ch < d; ++ch)
                dot += qm[ch] * km[j][ch];
            const bool candidate = s.causal ? j < i : true;
            score[j] = candidate ? dot : -std::numeric_limits<double>::infinity();
        }
        const int candidates = s.causal ? std::min(i, m.kBlocks) : m.kBlocks;
        const int take = std::min(candidates, s.causal ? c.topK - 1 : c.topK);
        const std::vector<int> order = ranked(score, m.kBlocks);
        std::uint8_t *row = &m.keep[(std::size_t(bh) * m.qBlocks + i) * m.kBlocks];
        for (int e = 0; e < take; ++e)
            row[order[e]] = 1;
        if (s.causal && i < m.kBlocks)
            row[i] = 1;
    }
}

void selectXAttention(const AttentionShape &s, const AttentionInputs &in, const SparseConfig &c, int bh, BlockMask &m)
{
    const int d = s.headDim, S = c.stride, per = c.blockSize / S;
    const int nsq = s.seqQ / S, nsk = s.seqK / S;
    const double scale = s.softmaxScale() / S;
    // strided rows widened once
    std::vector<double> qs(std::size_t(nsq) * S * d), ks(std::size_t(nsk) * S * d);
    for (int a = 0; a < nsq; ++a)
        for (int t = 0; t < S; ++t) {
            const std::uint16_t *x = qRow(s, in, bh, a * S + S - 1 - t);
            for (int ch = 0; ch < d; ++ch)
                qs[(std::size_t(a) * S + t) * d + ch] = widen(in, x[ch]);
        }
    for (int b = 0; b < nsk; ++b)
        for (int t = 0; t < S; ++t) {
            const std::uint16_t *x = kRow(s, in, bh, b * S + t);
            for (int ch = 0; ch < d; ++ch)
                ks[(std::size_t(b) * S + t) * d + ch] = widen(in, x[ch]);
        }
    std::vector<double> blockSum(m.kBlocks), row(nsk);
    for (int i = 0; i < m.qBlocks; ++i) {
        std::fill(blockSum.begin(), blockSum.end(), 0.0);
        for (int a = i * per; a < std::min(nsq, (i + 1) * per); ++a) {
            const int nb = s.causal ? std::min(a + 1, nsk) : nsk;
            double mx = -std::numeric_limits<double>::infinity();
            for (int b = 0; b < nb; ++b) {
                double dot = 0;
                const double *x = &qs[std::size_t(a) * S * d];
                const double *y = &ks[std::size_t(b) * S * d];
                for (int e = 0; e < S * d; ++e)
                    dot += x[e] * y[e];
                row[b] = dot * scale;
                mx = std::max(mx, row[b]);
            }
            double sum = 0;
            for (int b = 0; b < nb; ++b)
                sum += (row[b] = std::exp(row[b] - mx));
            for (int b = 0; b < nb; ++b)
                blockSum[b / per] += row[b] / sum;
        }
        std::vector<double> score(m.kBlocks);
        double total = 0;
        for (int j = 0; j < m.kBlocks; ++j) {
            const bool candidate = s.causal ? j <= i : true;
            score[j] = candidate ? blockSum[j] : -std::numeric_limits<double>::infinity();
            total += candidate ? blockSum[j] : 0.0;
        }
        const int candidates = s.causal ? std::min(i + 1, m.kBlocks) : m.kBlocks;
        const std::vector<int> order = ranked(score, m.kBlocks);
        std::uint8_t *keep = &m.keep[(std::size_t(bh) * m.qBlocks + i) * m.kBlocks];
        double cum = 0;
        for (int e = 0; e < candidates; ++e) {
            if (cum >= c.threshold * total)
                break;
            keep[order[e]] = 1;
            cum += score[order[e]];
        }
        if (s.causal && i < m.kBlocks)
            keep[i] = 1;
    }
}

} // namespace

BlockMask selectBlocks(const AttentionShape &s, const AttentionInputs &in, const SparseConfig &c)
{
    BlockMask m;
    m.heads = s.batch * s.qHeads;
    m.blockSize = c.blockSize;
    m.qBlocks = (s.seqQ + c.blockSize - 1) / c.blockSize;
    m.kBlocks = (s.seqK + c.blockSize - 1) / c.blockSize;
    m.keep.assign(std::size_t(m.heads) * m.qBlocks * m.kBlocks, 0);
    parallelTasks(std::size_t(m.heads), [&](std::size_t bh) {
        if (c.selector == BlockSelector::Moba) {
            selectMoba(s, in, c, int(bh), m);
        } else if (c.selector == BlockSelector::XAttention) {
            selectXAttention(s, in, c, int(bh), m);
        } else {
            for (int i = 0; i < m.qBlocks; ++i)
                for (int j = 0; j < m.kBlocks; ++j)
                    m.keep[(bh * m.qBlocks + i) * m.kBlocks + j] = !s.causal || j <= i;
        }
    });
    return m;
}

double maskDensity(const BlockMask &m, bool causal)
{
    double kept = 0, visible = 0;
    for (int h = 0; h < m.heads; ++h)
        for (int i = 0; i < m.qBlocks; ++i)
            for (int j = 0; j < m.kBlocks; ++j) {
                if (causal && j > i)
                    continue;
                visible += 1;
                kept += m.at(h, i, j) ? 1 : 0;
            }
    return visible > 0 ? kept / visible : 0.0;
}

std::vector<double> blockSparseReferenceRows(const AttentionShape &s, const AttentionInputs &in, const BlockMask &m,
                                             const std::vector<RowId> &rows)
{
    const int d = s.headDim;
    std::vector<double> out(rows.size() * std::size_t(d));
    const double scale = s.softmaxScale();
    parallelTasks(rows.size(), [&](std::size_t r) {
        const RowId id = rows[r];
        const int bh = id.b * s.qHeads + id.h, i = id.i / m.blockSize;
        const int nk = s.causal ? std::min(id.i + 1, s.seqK) : s.seqK;
        const std::uint16_t *q = qRow(s, in, bh, id.i);
        std::vector<double> sc(std::max(nk, 1), -std::numeric_limits<double>::infinity());
        double mx = -std::numeric_limits<double>::infinity();
        for (int j = 0; j < nk; ++j) {
            if (!m.at(bh, i, j / m.blockSize))
                continue;
            const std::uint16_t *k = kRow(s, in, bh, j);
            double dot = 0;
            for (int ch = 0; ch < d; ++ch)
                dot += widen(in, q[ch]) * widen(in, k[ch]);
            sc[j] = dot * scale;
            mx = std::max(mx, sc[j]);
        }
        double *o = &out[r * d];
        std::fill(o, o + d, 0.0);
        if (mx == -std::numeric_limits<double>::infinity())
            return; // nothing kept: zeros, as the kernel writes
        double sum = 0;
        for (int j = 0; j < nk; ++j)
            sum += (sc[j] = std::exp(sc[j] - mx));
        for (int j = 0; j < nk; ++j) {
            if (sc[j] == 0)
                continue;
            const std::uint16_t *v = in.v + (std::size_t(kRow(s, in, bh, j) - in.k));
            const double p = sc[j] / sum;
            for (int ch = 0; ch < d; ++ch)
                o[ch] += p * widen(in, v[ch]);
        }
    });
    return out;
}

} // namespace paperlab::kernels
