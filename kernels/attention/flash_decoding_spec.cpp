// Registry entry for Flash-Decoding (split-KV decode attention).
#include "attention/attention_kernels.h"
#include "attention/attention_point.h"
#include "core/param_validation.h"

namespace paperlab::kernels {

namespace {

// The tensor-core tile holds 16 query rows: the query heads sharing one KV head, times q_len.
constexpr int kMaxRowsPerKvHead = 16;

AttentionPoint decodingPoint(const ParamSet &p, const std::string &variant)
{
    AttentionPoint pt;
    AttentionShape &s = pt.shape;
    s.batch = int(p.integer("batch"));
    s.seqQ = int(p.integer("q_len"));
    s.seqK = int(p.integer("kv_len"));
    s.qHeads = int(p.integer("q_heads"));
    s.kvHeads = int(p.integer("kv_heads"));
    s.headDim = int(p.integer("head_dim"));
    s.causal = false; // new tokens attend to the whole cache
    pt.dtype = p.text("dtype") == "bf16" ? DType::BF16 : DType::F16;
    pt.numSplits = variant == "no_split" ? 1 : int(p.integer("num_splits"));
    return pt;
}

std::optional<RunError> checkDecoding(const ParamSet &p)
{
    const std::int64_t hq = p.integer("q_heads"), hk = p.integer("kv_heads");
    if (hq % hk != 0)
        return badParam("kv_heads",
                        "kv_heads (" + std::to_string(hk) + ") must divide q_heads (" + std::to_string(hq) + ")");
    if ((hq / hk) * p.integer("q_len") > kMaxRowsPerKvHead)
        return badParam("q_len", "(q_heads / kv_heads) * q_len must be at most " + std::to_string(kMaxRowsPerKvHead));
    return std::nullopt;
}

AttentionVariant decodingVariant(const std::string &variant)
{
    return variant == "cpu"             ? AttentionVariant::CpuReference
           : isBaselineVariant(variant) ? AttentionVariant::Baseline
                                        : AttentionVariant::Decoding;
}

PointOutcome runDecoding(const PointContext &ctx)
{
    return runAttentionPoint(ctx, decodingPoint(ctx.params, ctx.variant), decodingVariant(ctx.variant));
}

} // namespace

KernelSpec makeFlashDecodingSpec()
{
    KernelSpec k;
    k.id = "flash_decoding";
    k.displayName = "Flash-Decoding";
    k.paperKeys = {
        "Flash-Decoding for long-context inference",
    };
    k.description =
        "Attention of one (or a few) new query tokens against a long KV cache. The cache is split along "
        "its length so every multiprocessor streams part of it; a second pass combines the partial "
        "softmax results. The no-split variant shows why: with few sequences it leaves most of the GPU idle.";
    using T = ParamType;
    k.params = {
        {"batch", T::Int, "1", 1, 1024, {}, "", "Sequences being decoded"},
        {"kv_len", T::Int, "4096", 1, 1 << 20, {}, "tokens", "Length of the KV cache"},
        {"q_len", T::Int, "1", 1, 16, {}, "tokens", "New query tokens per sequence"},
        {"q_heads", T::Int, "32", 1, 256, {}, "", "Query heads"},
        {"kv_heads", T::Int, "8", 1, 256, {}, "", "Key/value heads (grouped-query attention)"},
        {"head_dim", T::Int, "128", 0, 0, {"64", "128"}, "", "Head dimension"},
        {"dtype", T::Choice, "fp16", 0, 0, {"fp16", "bf16"}, "", "Input/output type; accumulation is fp32"},
        {"num_splits", T::Int, "0", 0, 1024, {}, "", "KV splits for the split variant; 0 = fill the GPU", "auto"},
    };
    k.variants = {
        {"split", "Flash-Decoding (ours, CUDA)", DeviceKind::Cuda,
         "Split-KV: blocks over (split, kv head, batch), then a combine pass over the partial softmaxes"},
        {"no_split", "No split (ours, CUDA)", DeviceKind::Cuda,
         "The same kernel with one block per (kv head, batch): the FlashAttention schedule applied to decoding"},
        {"cpu", "CPU float64 reference", DeviceKind::Cpu, "Blocked float64 attention, threads over heads"},
    };
    k.metrics = attentionMetrics();
    for (auto &baseline : attentionBaselineVariants())
        k.variants.push_back(std::move(baseline));
    k.metrics.push_back({"num_splits", "KV splits used", ""});
    k.speedMetric = "gbps";
    k.checkParams = checkDecoding;
    k.runPoint = runDecoding;
    k.memoryNeeded = [](const ParamSet &p, const std::string &variant) {
        return attentionMemoryNeed(decodingPoint(p, variant), decodingVariant(variant));
    };
    return k;
}

} // namespace paperlab::kernels
