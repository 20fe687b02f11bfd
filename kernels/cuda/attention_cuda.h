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
    AttentionInputs inputs;  // host bit patterns
    int device = 0;
    int repetitions = 10;
    int warmup = 2;
    int numSplits = 0;  // Flash-Decoding only: 0 = choose, 1 = no split
    const CancelToken* cancel = nullptr;
};

struct GpuAttentionResult {
    std::vector<double> timesMs;
    std::vector<std::uint16_t> output;
    int numSplitsUsed = 0;
    std::optional<RunError> error;
};

GpuAttentionResult runFlashAttentionGpu(const GpuAttentionJob& job);
GpuAttentionResult runNaiveAttentionGpu(const GpuAttentionJob& job);
GpuAttentionResult runFlashDecodingGpu(const GpuAttentionJob& job);

}  // namespace paperlab::kernels::cuda
