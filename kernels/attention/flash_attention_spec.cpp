// Registry entry for the FlashAttention forward kernel.
#include "attention/attention_kernels.h"
#include "attention/attention_params.h"
#include "attention/attention_point.h"
#include "core/param_validation.h"

namespace paperlab::kernels {

namespace {

// FlashAttention's own benchmark fixes tokens per batch and model width and lets batch and
// head count follow from seq_len and head_dim; tokens/model_dim > 0 switch that on.
AttentionPoint flashPoint(const ParamSet &p)
{
    AttentionPoint pt;
    AttentionShape &s = pt.shape;
    s.seqQ = s.seqK = int(p.integer("seq_len"));
    s.headDim = int(p.integer("head_dim"));
    s.batch = p.integer("tokens") > 0 ? int(p.integer("tokens") / s.seqQ) : int(p.integer("batch"));
    s.qHeads = p.integer("model_dim") > 0 ? int(p.integer("model_dim") / s.headDim) : int(p.integer("q_heads"));
    s.kvHeads = p.integer("kv_heads") > 0 ? int(p.integer("kv_heads")) : s.qHeads;
    s.causal = p.flag("causal");
    pt.dtype = p.text("dtype") == "bf16" ? DType::BF16 : DType::F16;
    return pt;
}

std::optional<RunError> checkFlash(const ParamSet &p)
{
    const AttentionPoint pt = flashPoint(p);
    if (p.integer("tokens") > 0 && pt.shape.batch < 1)
        return badParam("tokens", "tokens must be at least seq_len");
    if (p.integer("model_dim") > 0 && (p.integer("model_dim") % pt.shape.headDim != 0 || pt.shape.qHeads < 1))
        return badParam("model_dim", "model_dim must be a positive multiple of head_dim");
    if (pt.shape.qHeads % pt.shape.kvHeads != 0)
        return badParam("kv_heads", "kv_heads (" + std::to_string(pt.shape.kvHeads) +
                                        ") must divide the query heads (" + std::to_string(pt.shape.qHeads) + ")");
    return std::nullopt;
}

AttentionVariant flashVariant(const std::string &variant)
{
    return variant == "cpu"             ? AttentionVariant::CpuReference
           : variant == "naive"         ? AttentionVariant::Naive
           : variant == "flash_tma"     ? AttentionVariant::FlashTma
           : isBaselineVariant(variant) ? AttentionVariant::Baseline
                                        : AttentionVariant::Flash;
}

PointOutcome runFlash(const PointContext &ctx)
{
    return runAttentionPoint(ctx, flashPoint(ctx.params), flashVariant(ctx.variant));
}

} // namespace

KernelSpec makeFlashAttentionSpec()
{
    KernelSpec k;
    k.id = "flash_attention";
    k.displayName = "FlashAttention forward";
    k.paperKeys = {
        "2205.14135 FlashAttention: Fast and Memory-Efficient Exact Attention with IO-Awareness",
        "2307.08691 FlashAttention-2: Faster Attention with Better Parallelism and Work Partitioning",
    };
    k.description = "Exact attention softmax(QK^T/sqrt(d))V computed tile by tile with an online softmax, so the "
                    "seq x seq score matrix never reaches device memory. fp16/bf16 inputs, fp32 accumulation, "
                    "causal or not, grouped-query heads.";
    using T = ParamType;
    k.params = attentionForwardShapeParams();
    k.params.push_back(
        {"dtype", T::Choice, "fp16", 0, 0, {"fp16", "bf16"}, "", "Input/output type; accumulation is fp32"});
    k.variants = {
        {"flash", "FlashAttention (ours, CUDA)", DeviceKind::Cuda,
         "Fused tiled kernel, online softmax in registers, cp.async double-buffered K/V: Hopper wgmma "
         "warpgroups on sm_90a, FlashAttention-2's mma.sync layout elsewhere"},
        {"flash_tma",
         "FlashAttention-3-style Hopper pipeline (ours, CUDA, sm_90a)",
         DeviceKind::Cuda,
         "TMA loads by a producer warpgroup into an mbarrier ring, two or three consumer warpgroups "
         "(setmaxnreg) in ping-pong, softmax overlapped with the next wgmmas, O stored by TMA; "
         "H100/H200 only",
         {},
         {"2407.08608 FlashAttention-3: Fast and Accurate Attention with Asynchrony and Low-precision"}},
        {"naive", "Unfused baseline (cuBLAS + softmax)", DeviceKind::Cuda,
         "QK^T with cuBLAS into fp32 scores, a softmax kernel, PV with cuBLAS: the full score matrix in memory"},
        {"cpu", "CPU float64 reference", DeviceKind::Cpu,
         "Blocked online softmax in float64, threads over heads; checked against the direct formula"},
    };
    for (auto &baseline : attentionBaselineVariants())
        k.variants.push_back(std::move(baseline));
    k.metrics = attentionMetrics();
    k.speedMetric = "tflops";
    k.checkParams = checkFlash;
    k.runPoint = runFlash;
    k.memoryNeeded = [](const ParamSet &p, const std::string &variant) {
        return attentionMemoryNeed(flashPoint(p), flashVariant(variant));
    };
    return k;
}

} // namespace paperlab::kernels
