// Block-sparse attention in float64: block masks chosen by MoBA or XAttention, and
// attention restricted to the kept (query block, key block) pairs.
//
// Masks are per (batch, query head): [qBlocks][kBlocks] bytes, 1 = computed. With causal
// attention only blocks j <= i are visible and the diagonal block is always kept; inside a
// kept block the usual element-wise causal mask applies.
//   MoBA: the score of key block j for query block i is mean(Q_i) . mean(K_j) (queries pooled
//         per block, as a block-sparse kernel needs one decision per block pair); keep the top_k
//         blocks (causal: the diagonal block plus the top_k - 1 best earlier blocks).
//   XAttention: with stride S, strided query row a = (q[aS+S-1], ..., q[aS]) and key row
//         b = (k[bS], ..., k[bS+S-1]) (the antidiagonals of each S x S sub-block); their dot
//         product / sqrt(d) / S, softmax over b (causal: b <= a), summed over the block pair;
//         per query block, keep the highest-scoring blocks until their cumulative share of the
//         row's total reaches `threshold`.
// Ties are broken towards the lower block index, on the CPU and the GPU alike.
#pragma once

#include "reference/attention_reference.h"

#include <cstdint>
#include <vector>

namespace paperlab::kernels {

enum class BlockSelector { Dense, Moba, XAttention };

struct SparseConfig {
    BlockSelector selector = BlockSelector::Moba;
    int blockSize = 64;
    int topK = 8;
    double threshold = 0.9;
    int stride = 8;
};

struct BlockMask {
    int heads = 0, qBlocks = 0, kBlocks = 0, blockSize = 64; // heads = batch * qHeads
    std::vector<std::uint8_t> keep;                          // [heads][qBlocks][kBlocks]
    bool at(int h, int i, int j) const { return keep[(std::size_t(h) * qBlocks + i) * kBlocks + j] != 0; }
};

BlockMask selectBlocks(const AttentionShape &s, const AttentionInputs &in, const SparseConfig &c);

// Kept blocks over visible blocks (causal: j <= i), over all heads.
double maskDensity(const BlockMask &m, bool causal);

// Attention rows restricted to the mask; rows.size() * headDim doubles. Threads over rows.
std::vector<double> blockSparseReferenceRows(const AttentionShape &s, const AttentionInputs &in, const BlockMask &m,
                                             const std::vector<RowId> &rows);

// Rank order used by both selectors: higher score first, lower index on ties.
inline bool rankBefore(double a, int ia, double b, int ib)
{
    return a > b || (a == b && ia < ib);
}

} // namespace paperlab::kernels
