// CUDA entry point of block-sparse attention (plain C++ header): block selection on the GPU
// (MoBA pooling + top-k, or XAttention strided scoring through cuBLAS + threshold), then a
// FlashAttention-style forward that visits only the kept (query block, key block) tiles.
// Selection and attention are timed together and apart.
#pragma once

#include "core/run_types.h"
#include "sparse/block_sparse_reference.h"

#include <cstdint>
#include <optional>
#include <vector>

namespace paperlab::kernels::cuda {

struct GpuSparseJob {
    AttentionShape shape; // seqQ == seqK, multiples of the block size; fp16
    AttentionInputs inputs;
    SparseConfig config; // Dense: every visible block, no selection
    int version = 2;     // attention kernel: 1 simple, 2 cp.async double-buffered
    int device = 0;
    int repetitions = 10;
    int warmup = 2;
    const CancelToken *cancel = nullptr;
};

struct GpuSparseResult {
    std::vector<double> timesMs, selectMs, attnMs;
    std::vector<std::uint16_t> output; // fp16 bits, q's layout
    BlockMask mask;                    // the mask the GPU chose (last repetition)
    std::optional<RunError> error;
};

GpuSparseResult runBlockSparseGpu(const GpuSparseJob &job);

// The same selection, the mask compacted on the GPU into kept-block lists, and the Hopper
// pipeline's 128-token block-sparse forward (sparse/block_sparse_tma.cu). `version` unused.
// Refused by name: sparseTmaRefusal's parameters, no sm_90a device ("variant").
GpuSparseResult runBlockSparseTmaGpu(const GpuSparseJob &job);

} // namespace paperlab::kernels::cuda
