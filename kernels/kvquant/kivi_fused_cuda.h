// CUDA entry point of the fused KIVI decode (plain C++ header): uploads the packed records
// (kivi_fragment_pack.h) and the fp16 cache (its residual window is read in place), times
// the split-KV decode, then times quantize-on-append apart: appending one token (to the fp16
// window) and closing one 32-token group (quantizing it into a record), for every head.
#pragma once

#include "core/run_types.h"
#include "kvquant/kvquant_reference.h"

#include <cstdint>
#include <optional>
#include <vector>

namespace paperlab::kernels::cuda {

struct GpuKiviFusedJob {
    int batch = 1, qHeads = 32, kvHeads = 8, kvLen = 4096;
    KvQuantConfig config;             // KIVI or SKVQ, group 32, head dim 128
    const std::uint16_t *q = nullptr; // [batch][qHeads][128] fp16
    const std::uint16_t *k = nullptr; // [batch][kvHeads][kvLen][128] fp16 (residual window read from here)
    const std::uint16_t *v = nullptr;
    const std::uint8_t *records = nullptr; // [batch*kvHeads][(qEnd-qBegin)/32][recordBytes]
    const std::uint16_t *kPerm = nullptr;  // SKVQ: [batch*kvHeads][128] stored channel -> channel (K)
    const std::uint16_t *vPerm = nullptr;  // SKVQ: the same for V
    const std::vector<std::uint8_t> *lastRecords =
        nullptr;       // host records of the last group, per head, to check close-group
    int numSplits = 0; // 0: fill the GPU
    int device = 0;
    int repetitions = 10;
    int warmup = 2;
    const CancelToken *cancel = nullptr;
};

struct GpuKiviFusedResult {
    std::vector<double> timesMs;
    double appendMs = 0;                // one token appended to every head's fp16 window
    double closeGroupMs = 0;            // one 32-token group of every head quantized into its record
    double closeGroupMismatchBytes = 0; // GPU record vs the CPU quantizer's, for the last group
    std::vector<std::uint16_t> output;
    int numSplitsUsed = 0;
    std::optional<RunError> error;
};

GpuKiviFusedResult runKiviFusedDecodeGpu(const GpuKiviFusedJob &job);

} // namespace paperlab::kernels::cuda
