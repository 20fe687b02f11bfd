// Registry entry for SageAttention: INT8 QK^T with K smoothing; PV in fp16 (sage, sage_v1) or
// FP8 e4m3 (sage_tma, SageAttention2's P·V).
#include "attention/attention_params.h"
#include "attention/attention_point.h"
#include "core/accuracy.h"
#include "core/accuracy_extra.h"
#include "core/param_validation.h"
#include "core/random_fill.h"
#include "sage/sage_kernels.h"
#include "sage/sage_reference.h"
#include "sage/sage_variants.h"

#include <chrono>
#include <cmath>
#include <limits>

#ifdef PAPERLAB_KERNELS_HAVE_CUDA
#include "sage/sage_cuda.h"
#endif

namespace paperlab::kernels {

namespace {

// The GPU must compute the quantized algorithm, not merely land near exact attention.
constexpr double kSimRelL2Limit = 1e-2;

AttentionShape sageShape(const ParamSet &p)
{
    AttentionShape s;
    s.seqQ = s.seqK = int(p.integer("seq_len"));
    s.headDim = int(p.integer("head_dim"));
    s.batch = p.integer("tokens") > 0 ? int(p.integer("tokens") / s.seqQ) : int(p.integer("batch"));
    s.qHeads = p.integer("model_dim") > 0 ? int(p.integer("model_dim") / s.headDim) : int(p.integer("q_heads"));
    s.kvHeads = p.integer("kv_heads") > 0 ? int(p.integer("kv_heads")) : s.qHeads;
    s.causal = p.flag("causal");
    return s;
}

std::optional<RunError> checkSage(const ParamSet &p)
{
    const AttentionShape s = sageShape(p);
    if (p.integer("tokens") > 0 && s.batch < 1)
        return badParam("tokens", "tokens must be at least seq_len");
    if (p.integer("model_dim") > 0 && (p.integer("model_dim") % s.headDim != 0 || s.qHeads < 1))
        return badParam("model_dim", "model_dim must be a positive multiple of head_dim");
    if (s.qHeads % s.kvHeads != 0)
        return badParam("kv_heads", "kv_heads must divide the query heads");
    return std::nullopt;
}

std::vector<double> gather(const AttentionShape &s, const std::vector<RowId> &rows, const std::vector<double> &full)
{
    std::vector<double> out(rows.size() * std::size_t(s.headDim));
    for (std::size_t r = 0; r < rows.size(); ++r) {
        const std::size_t base = ((std::size_t(rows[r].b) * s.qHeads + rows[r].h) * s.seqQ + rows[r].i) * s.headDim;
        for (int c = 0; c < s.headDim; ++c)
            out[r * s.headDim + c] = full[base + c];
    }
    return out;
}

PointOutcome runSage(const PointContext &ctx)
{
    PointOutcome outcome;
    const AttentionShape s = sageShape(ctx.params);
    const bool perToken = ctx.params.text("granularity") == "per_token";
    const bool smoothK = ctx.params.flag("smooth_k");
    if (ctx.variant == kSageTmaVariant) {
        outcome.error = sageTmaRefusal(s, perToken, smoothK); // before any input is generated
        if (outcome.error)
            return outcome;
    }
    // Each variant is checked against a simulation of its own numerics (sim_rel_l2).
    const SageOptions opt = sageOptionsFor(ctx.variant, perToken, smoothK);
    const auto q = randomNormalBits(s.qElements(), DType::F16, ctx.seed * 3 + 0);
    auto k = randomNormalBits(s.kvElements(), DType::F16, ctx.seed * 3 + 1);
    const auto v = randomNormalBits(s.kvElements(), DType::F16, ctx.seed * 3 + 2);
    addKeyChannelOffset(s, DType::F16, ctx.params.real("k_channel_offset"), k);
    const AttentionInputs in{DType::F16, q.data(), k.data(), v.data()};
    const std::vector<RowId> rows = rowsToCheck(s, ctx.seed);

    std::vector<double> times, attnTimes, checked;
    std::size_t unwritten = 0;
    if (ctx.variant == "cpu") {
        std::vector<RowId> all;
        all.reserve(std::size_t(s.batch) * s.qHeads * s.seqQ);
        for (int b = 0; b < s.batch; ++b)
            for (int h = 0; h < s.qHeads; ++h)
                for (int i = 0; i < s.seqQ; ++i)
                    all.push_back({b, h, i});
        std::vector<double> out;
        const int warmup = std::min(ctx.warmup, 1);
        for (int rep = -warmup; rep < ctx.repetitions; ++rep) {
            if (ctx.cancel && ctx.cancel->cancelled()) {
                outcome.error = RunError{ErrorCode::Cancelled, "", "cancelled"};
                return outcome;
            }
            out.assign(s.qElements(), std::numeric_limits<double>::quiet_NaN()); // poison
            auto t0 = std::chrono::steady_clock::now();
            const SageQuantized z = sageQuantize(s, in, opt);
            out = sageReferenceRows(s, in, z, all);
            auto t1 = std::chrono::steady_clock::now();
            if (rep >= 0)
                times.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
        }
        for (double x : out)
            unwritten += std::isfinite(x) ? 0 : 1;
        checked = gather(s, rows, out);
    } else {
#ifdef PAPERLAB_KERNELS_HAVE_CUDA
        cuda::GpuSageJob job{s,
                             in,
                             perToken,
                             smoothK,
                             ctx.variant == "sage_v1" ? 1 : 2,
                             ctx.device.index,
                             ctx.repetitions,
                             ctx.warmup,
                             ctx.cancel};
        cuda::GpuSageResult g =
            ctx.variant == kSageTmaVariant ? cuda::runSageAttentionTmaGpu(job) : cuda::runSageAttentionGpu(job);
        if (g.error) {
            outcome.error = g.error;
            return outcome;
        }
        times = std::move(g.timesMs);
        attnTimes = std::move(g.attnTimesMs);
        std::vector<double> full(g.output.size());
        for (std::size_t e = 0; e < full.size(); ++e) {
            full[e] = f16ToFloat(g.output[e]);
            unwritten += std::isfinite(full[e]) ? 0 : 1;
        }
        checked = gather(s, rows, full);
#else
        outcome.error = RunError{ErrorCode::NoDevice, "device", "no CUDA device: this runner was built without CUDA"};
        return outcome;
#endif
    }
    const std::vector<double> exact = attentionReferenceRows(s, in, rows);
    const SageQuantized z = sageQuantize(s, in, opt);
    const std::vector<double> sim = sageReferenceRows(s, in, z, rows);
    const ExtendedAccuracy acc = compareExtended(checked.data(), exact.data(), exact.size());
    const ExtendedAccuracy accSim = compareExtended(checked.data(), sim.data(), sim.size());
    const double ms = median(times);
    outcome.timesMs = times;
    outcome.metrics = {
        {"time_ms", ms, "ms"},
        {"tflops", attentionFlops(s) / (ms * 1e-3) / 1e12, "TFLOP/s"},
        {"cosine", acc.cosine, ""},
        {"rel_l1", acc.relL1, ""},
        {"rmse", acc.rmse, ""},
        {"rel_l2", acc.relL2, ""},
        {"max_abs", acc.maxAbs, ""},
        {"sim_rel_l2", accSim.relL2, ""},
        {"checked_rows", double(rows.size()), "rows"},
        {"unwritten", double(unwritten), "elements"},
    };
    if (!attnTimes.empty())
        outcome.metrics.push_back({"attn_ms", median(attnTimes), "ms"});
    if (unwritten > 0)
        outcome.error = RunError{ErrorCode::AccuracyCheckFailed, "",
                                 std::to_string(unwritten) + " output elements unwritten or non-finite"};
    else if (!(accSim.relL2 <= kSimRelL2Limit))
        outcome.error = RunError{ErrorCode::AccuracyCheckFailed, "",
                                 "relative L2 error vs the float64 SageAttention simulation " +
                                     std::to_string(accSim.relL2) + " exceeds " + std::to_string(kSimRelL2Limit)};
    return outcome;
}

} // namespace

KernelSpec makeSageAttentionSpec()
{
    KernelSpec k;
    k.id = "sage_attention";
    k.displayName = "SageAttention (INT8 QK^T)";
    k.paperKeys = {
        "2410.02367 SageAttention: Accurate 8-Bit Attention for Plug-and-play Inference Acceleration",
        "2411.10958 SageAttention2: Efficient Attention with Thorough Outlier Smoothing and Per-thread INT4 "
        "Quantization",
    };
    k.description = "Attention with Q and K quantized to INT8 (one scale per block of rows or per token) and QK^T on "
                    "INT8 tensor cores with INT32 accumulation; softmax in fp32, PV in fp16 (sage, sage_v1) or, as "
                    "SageAttention2 does, in FP8 e4m3 with fp32 accumulation (sage_tma). K is first smoothed by "
                    "subtracting its mean over tokens, which leaves softmax unchanged but removes the channel-wise "
                    "bias that would otherwise waste the INT8 range: raise k_channel_offset and switch smooth_k off "
                    "to see the accuracy fall.";
    using T = ParamType;
    k.params = attentionForwardShapeParams();
    k.params.insert(
        k.params.end(),
        {
            {"granularity",
             T::Choice,
             "per_block",
             0,
             0,
             {"per_block", "per_token"},
             "",
             "One INT8 scale per block (64 rows of Q and K; sage_tma: 64 of Q, 128-key tiles of K) or per token"},
            {"smooth_k", T::Bool, "true", 0, 0, {}, "", "Subtract K's mean over tokens before quantizing"},
            {"k_channel_offset",
             T::Float,
             "0",
             0,
             100,
             {},
             "",
             "Adds offset x u_c (u fixed random normal per channel) to every key: the bias smoothing removes"},
        });
    k.variants = {
        {kSageTmaVariant, "SageAttention on the Hopper pipeline (ours, CUDA, sm_90a)", DeviceKind::Cuda,
         "SageAttention2's numerics on the FlashAttention-3-style pipeline: one pre-pass (K channel means and V "
         "channel maxima, then Q per 64 rows and smoothed K per 128-key tile to INT8, V to FP8 e4m3 per channel), "
         "TMA loads by a producer warpgroup, QK^T on the s8 wgmma, softmax on the integer scores, P in e4m3 "
         "times V on the e4m3 wgmma, row sums on the tensor cores, two consumer warpgroups in ping-pong; timed "
         "end to end, attn_ms without the pre-pass. head_dim 128, per-block scales, smooth_k only; H100/H200 "
         "only"},
        {"sage", "SageAttention (ours, CUDA)", DeviceKind::Cuda,
         "K mean and Q/K quantization kernels, then a fused kernel: mma.sync m16n8k32 s8 for QK^T, online "
         "softmax in fp32, mma.sync m16n8k16 fp16 for PV; K/V tiles double-buffered with cp.async, V read "
         "through ldmatrix.trans; timed end to end"},
        {"sage_v1", "SageAttention v1 (ours, CUDA, simple)", DeviceKind::Cuda,
         "The first, simplest version: synchronous tile loads, V transposed in shared memory"},
        {"cpu", "CPU float64 simulation", DeviceKind::Cpu,
         "The same smoothing and INT8 quantization with exact integer dot products, softmax and PV in float64"},
    };
    k.metrics = {
        {"time_ms", "Median time (quantization + attention)", "ms"},
        {"tflops", "Throughput (4bhs^2d, halved when causal)", "TFLOP/s"},
        {"cosine", "Cosine similarity vs float64 exact attention", ""},
        {"rel_l1", "Relative L1 error vs float64 exact attention", ""},
        {"rmse", "RMSE vs float64 exact attention", ""},
        {"rel_l2", "Relative L2 error vs float64 exact attention", ""},
        {"max_abs", "Max abs error vs float64 exact attention", ""},
        {"sim_rel_l2", "Relative L2 error vs the float64 SageAttention simulation", ""},
        {"checked_rows", "Query rows checked against float64", "rows"},
        {"unwritten", "Output elements left unwritten (poisoned) or non-finite", "elements"},
        {"attn_ms", "Median time of the attention kernel alone", "ms"},
    };
    k.speedMetric = "tflops";
    k.checkParams = checkSage;
    k.runPoint = runSage;
    return k;
}

} // namespace paperlab::kernels
