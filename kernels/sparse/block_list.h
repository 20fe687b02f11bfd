// The Hopper pipeline's form of a block mask: per (head, query block) the kept key blocks as
// a compact list of indices, which its producer walks instead of testing every key block.
//   list  [heads][qBlocks][maxKept] int32, ascending; slots past the row's count unused
//   count [heads][qBlocks]
// Causal: only key blocks at or before the query block are listed (the kernel masks the
// diagonal one element-wise and never expects a later block), and the diagonal block is
// always listed, as both selectors keep it; so no causal row is empty. A non-causal row may
// be (XAttention with threshold 0): the pipeline must not be launched on such a list, since
// it has no tile to start from, which is why emptyRows is counted.
// This is the one statement of the conversion: the CPU tests check it, and the CUDA path
// (sparse/block_sparse_tma.cu) compares its GPU compaction with it.
#pragma once

#include "sparse/block_sparse_reference.h"

#include <cstdint>
#include <string>
#include <vector>

namespace paperlab::kernels {

struct CompactBlockList {
    int heads = 0, qBlocks = 0, maxKept = 0;
    std::vector<std::int32_t> list;  // [heads][qBlocks][maxKept]
    std::vector<std::int32_t> count; // [heads][qBlocks]
    int emptyRows = 0;
    const std::int32_t *row(int h, int i) const { return &list[(std::size_t(h) * qBlocks + i) * maxKept]; }
};

CompactBlockList compactBlockMask(const BlockMask &m, bool causal);

// The first (head, query block) whose count or listed blocks differ, as "head h, query block
// i"; empty when the two lists are the same. Unused slots are not compared.
std::string firstCompactListDifference(const CompactBlockList &a, const CompactBlockList &b);

} // namespace paperlab::kernels
