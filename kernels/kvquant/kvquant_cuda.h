// CUDA entry point of the quantized-KV decode (plain C++ header). Uploads the fp16 cache,
// runs the quantize kernel (timed apart, it runs once per token group in real use), then
// times the split-KV decode kernel that reads the packed cache and dequantizes in registers.
#pragma once

#include "core/run_types.h"
#include "kvquant/kvquant_reference.h"

#include <cstdint>
#include <optional>
#include <vector>

namespace paperlab::kernels::cuda {

struct GpuKvJob {
    int batch = 1, qHeads = 32, kvHeads = 8, kvLen = 4096, headDim = 128;
    KvQuantConfig config;
    bool fp16Cache = false;           // the same decode kernel over the unquantized cache (baseline)
    const std::uint16_t *q = nullptr; // [batch][qHeads][headDim] fp16
    const std::uint16_t *k = nullptr; // [batch][kvHeads][kvLen][headDim] fp16
    const std::uint16_t *v = nullptr;
    const std::uint16_t *kPerm = nullptr; // [batch][kvHeads][headDim]
    const std::uint16_t *vPerm = nullptr;
    int numSplits = 0; // 0: fill the GPU
    int device = 0;
    int repetitions = 10;
    int warmup = 2;
    const CancelToken *cancel = nullptr;
};

struct GpuKvResult {
    std::vector<double> timesMs;       // decode
    double quantMs = 0;                // quantize kernel, median of a few runs
    std::vector<std::uint16_t> output; // [batch][qHeads][headDim] fp16
    int numSplitsUsed = 0;
    std::optional<RunError> error;
};

GpuKvResult runKvQuantDecodeGpu(const GpuKvJob &job);

} // namespace paperlab::kernels::cuda
