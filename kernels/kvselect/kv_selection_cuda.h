// CUDA entry point of the KV-selection decode (plain C++ header). A step = the policy's
// selection on the GPU (Quest: page bounds from per-page key min/max; Double Sparsity:
// q.k over the label cache; H2O/TOVA/SnapKV: top-k of their accumulated scores; StreamingLLM:
// sinks + recent) into an index per (batch, KV head), then Flash-Decoding over the indexed
// rows and the shared combine. Page metadata and the label cache are built once (timed apart).
#pragma once

#include "core/run_types.h"
#include "kvselect/kv_selection.h"

#include <cstdint>
#include <optional>
#include <vector>

namespace paperlab::kernels::cuda {

struct GpuKvSelectJob {
    int batch = 1, qHeads = 32, kvHeads = 8, kvLen = 4096, headDim = 128;
    KvSelectConfig config;
    const std::uint16_t *q = nullptr; // [batch][qHeads][headDim] fp16
    const std::uint16_t *k = nullptr; // [batch][kvHeads][kvLen][headDim] fp16
    const std::uint16_t *v = nullptr;
    const float *scores = nullptr; // h2o/tova/snapkv: [heads][scoredTokens] from the observation queries
    int scoredTokens = 0;
    const int *labels = nullptr; // double_sparsity: [heads][labelChannels]
    bool dense = false;          // every token, no selection (our full decode through the same path)
    int device = 0;
    int repetitions = 10;
    int warmup = 2;
    const CancelToken *cancel = nullptr;
};

struct GpuKvSelectResult {
    std::vector<double> timesMs; // whole step: selection + sparse attention + combine
    double selectMs = 0;         // selection alone (scoring + top-k)
    double scoreMs = 0;          // scoring alone (Quest page bounds, Double Sparsity label dots)
    double metadataMs = 0;       // building page min/max or the label cache, once per cache
    double attendMs = 0;         // the sparse attention + combine alone, over the step's index
    std::vector<std::uint16_t> output;
    std::vector<int> index; // [heads][count] the GPU's selection
    // The 8-bit metadata the GPU built (bounds_bits / label_bits 8), for the check against the
    // reference's codes: biased codes [heads][pages][2 x headDim] or [heads][kvLen][16], and one
    // scale a page or a token.
    std::vector<std::uint8_t> metadataCodes;
    std::vector<float> metadataScales;
    int count = 0;
    int numSplitsUsed = 0;
    std::optional<RunError> error;
};

GpuKvSelectResult runKvSelectDecodeGpu(const GpuKvSelectJob &job);

} // namespace paperlab::kernels::cuda
