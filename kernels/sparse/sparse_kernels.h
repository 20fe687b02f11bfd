// Registry factory for block-sparse attention (MoBA, XAttention), and the block mask the
// playground can draw for a parameter set.
#pragma once

#include "core/kernel_spec.h"
#include "sparse/block_sparse_reference.h"

namespace paperlab::kernels {

KernelSpec makeBlockSparseSpec();

// The CPU (float64) mask of batch 0, query head `head` for these parameters and seed, the
// same inputs a run point draws: qBlocks x kBlocks bytes, 1 = computed.
std::vector<std::uint8_t> blockSparseMaskImage(const ParamSet &params, std::uint64_t seed, int head, int &qBlocks,
                                               int &kBlocks);

} // namespace paperlab::kernels
