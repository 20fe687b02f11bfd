// Entry points of the CUDA attention code, callable from plain C++ (no CUDA headers here).
// Each call allocates, uploads, times `repetitions` launches with CUDA events after
// `warmup` untimed ones, poisons the output (all-ones bits = NaN) before every launch,
// and returns the last launch's output for checking.
#pragma once

#include "core/run_types.h"
#include "reference/attention_reference.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace paperlab::kernels::cuda {

struct GpuAttentionJob {
    AttentionShape shape;
    AttentionInputs inputs; // host bit patterns
    int device = 0;
    int repetitions = 10;
    int warmup = 2;
    int numSplits = 0; // Flash-Decoding only: 0 = choose, 1 = no split
    const CancelToken *cancel = nullptr;
};

struct GpuAttentionResult {
    std::vector<double> timesMs;
    std::vector<std::uint16_t> output;
    int numSplitsUsed = 0;
    std::optional<RunError> error;
};

// One fp16 decode step (one query token per head, non-causal) over a [batch][kvHeads][kvLen][headDim] cache.
inline GpuAttentionJob fp16DecodeJob(int batch, int qHeads, int kvHeads, int kvLen, int headDim, const std::uint16_t *q,
                                     const std::uint16_t *k, const std::uint16_t *v)
{
    GpuAttentionJob job;
    job.shape.batch = batch;
    job.shape.qHeads = qHeads;
    job.shape.kvHeads = kvHeads;
    job.shape.seqQ = 1;
    job.shape.seqK = kvLen;
    job.shape.headDim = headDim;
    job.inputs.dtype = DType::F16;
    job.inputs.q = q;
    job.inputs.k = k;
    job.inputs.v = v;
    return job;
}

GpuAttentionResult runFlashAttentionGpu(const GpuAttentionJob &job);
// The Hopper pipeline (dev/flash_forward_tma.cu: TMA producer, mbarrier ring, ping-pong
// consumer warpgroups); sm_90a images only, an error elsewhere.
GpuAttentionResult runFlashAttentionTmaGpu(const GpuAttentionJob &job);
GpuAttentionResult runNaiveAttentionGpu(const GpuAttentionJob &job);
GpuAttentionResult runFlashDecodingGpu(const GpuAttentionJob &job);

} // namespace paperlab::kernels::cuda
