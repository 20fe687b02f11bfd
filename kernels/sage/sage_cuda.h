// CUDA entry point of SageAttention (plain C++ header). Times the whole pipeline per
// repetition: K mean, Q/K quantization, INT8 attention. Output poisoned before every run.
#pragma once

#include "core/run_types.h"
#include "reference/attention_reference.h"

#include <cstdint>
#include <optional>
#include <vector>

namespace paperlab::kernels::cuda {

struct GpuSageJob {
    AttentionShape shape;
    AttentionInputs inputs; // fp16 bit patterns
    bool perToken = false;
    bool smoothK = true;
    int version = 2; // sage/sage_v1: 1 synchronous loads, transposed V; 2 cp.async double buffer, ldmatrix.trans
    int device = 0;
    int repetitions = 10;
    int warmup = 2;
    const CancelToken *cancel = nullptr;
};

struct GpuSageResult {
    std::vector<double> timesMs;       // whole pipeline
    std::vector<double> attnTimesMs;   // the attention kernel alone
    std::vector<std::uint16_t> output; // fp16 bits, q's layout
    std::optional<RunError> error;
};

GpuSageResult runSageAttentionGpu(const GpuSageJob &job);
// sage_tma: the Hopper pipeline of dev/flash_forward_tma.cu (pre-pass + TMA/wgmma attention),
// hd 128, per-block scales, smoothed K, sm_90a only; `version` is not used. Refuses what it
// is not built for with the parameter named; never throws.
GpuSageResult runSageAttentionTmaGpu(const GpuSageJob &job);

} // namespace paperlab::kernels::cuda
