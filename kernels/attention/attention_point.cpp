#include "attention/attention_point.h"

#include "baselines/torch_helper.h"
#include "core/accuracy.h"
#include "core/random_fill.h"

#include <chrono>
#include <cmath>
#include <limits>

#ifdef PAPERLAB_KERNELS_HAVE_CUDA
#include "cuda/attention_cuda.h"
#endif

namespace paperlab::kernels {

namespace {

// Accuracy limits per dtype: a fast kernel that misses these is wrong, not "a bit less accurate".
double relL2Limit(DType t)
{
    return t == DType::F16 ? 2e-3 : 1.6e-2;
}

struct RawRun {
    std::vector<double> timesMs;
    std::vector<double> checkedOut; // the checked rows of the output, widened
    std::size_t unwritten = 0;      // non-finite elements anywhere in the output
    int numSplitsUsed = 0;
    std::optional<RunError> error;
};

std::vector<double> gatherRows(const AttentionShape &s, const std::vector<RowId> &rows,
                               const std::function<double(std::size_t)> &element)
{
    std::vector<double> out(rows.size() * std::size_t(s.headDim));
    for (std::size_t r = 0; r < rows.size(); ++r) {
        std::size_t base = ((std::size_t(rows[r].b) * s.qHeads + rows[r].h) * s.seqQ + rows[r].i) * s.headDim;
        for (int c = 0; c < s.headDim; ++c)
            out[r * s.headDim + c] = element(base + c);
    }
    return out;
}

RawRun runCpu(const PointContext &ctx, const AttentionShape &s, const AttentionInputs &in,
              const std::vector<RowId> &rows)
{
    RawRun raw;
    std::vector<double> out(s.qElements());
    const int warmup = std::min(ctx.warmup, 1); // float64 on the CPU: one warm-up is plenty
    for (int rep = -warmup; rep < ctx.repetitions; ++rep) {
        if (ctx.cancel && ctx.cancel->cancelled()) {
            raw.error = RunError{ErrorCode::Cancelled, "", "cancelled"};
            return raw;
        }
        std::fill(out.begin(), out.end(), std::numeric_limits<double>::quiet_NaN()); // poison
        auto t0 = std::chrono::steady_clock::now();
        attentionReferenceBlocked(s, in, out.data());
        auto t1 = std::chrono::steady_clock::now();
        if (rep >= 0)
            raw.timesMs.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
    }
    for (double x : out)
        raw.unwritten += std::isfinite(x) ? 0 : 1;
    raw.checkedOut = gatherRows(s, rows, [&](std::size_t i) { return out[i]; });
    return raw;
}

// A device variant's run from its 2-byte output: unwritten elements counted, the checked
// rows widened for the comparison with float64.
RawRun fromDeviceOutput(const AttentionPoint &p, const std::vector<RowId> &rows, std::optional<RunError> error,
                        std::vector<double> timesMs, const std::vector<std::uint16_t> &output)
{
    RawRun raw;
    raw.error = std::move(error);
    raw.timesMs = std::move(timesMs);
    if (raw.error)
        return raw;
    for (auto bits : output)
        raw.unwritten += std::isfinite(dtypeToFloat(p.dtype, bits)) ? 0 : 1;
    raw.checkedOut = gatherRows(p.shape, rows, [&](std::size_t i) { return dtypeToFloat(p.dtype, output[i]); });
    return raw;
}

#ifdef PAPERLAB_KERNELS_HAVE_CUDA
RawRun runGpu(const PointContext &ctx, const AttentionPoint &p, const AttentionInputs &in,
              const std::vector<RowId> &rows, AttentionVariant variant)
{
    cuda::GpuAttentionJob job;
    job.shape = p.shape;
    job.inputs = in;
    job.device = ctx.device.index;
    job.repetitions = ctx.repetitions;
    job.warmup = ctx.warmup;
    job.numSplits = p.numSplits;
    job.cancel = ctx.cancel;
    cuda::GpuAttentionResult g = variant == AttentionVariant::Flash      ? cuda::runFlashAttentionGpu(job)
                                 : variant == AttentionVariant::FlashTma ? cuda::runFlashAttentionTmaGpu(job)
                                 : variant == AttentionVariant::Naive    ? cuda::runNaiveAttentionGpu(job)
                                                                         : cuda::runFlashDecodingGpu(job);
    RawRun raw = fromDeviceOutput(p, rows, g.error, std::move(g.timesMs), g.output);
    raw.numSplitsUsed = g.numSplitsUsed;
    return raw;
}
#endif

// The same inputs through PyTorch (or FlashInfer) on the same GPU, timed the same way.
RawRun runBaseline(const PointContext &ctx, const AttentionPoint &p, const AttentionInputs &in,
                   const std::vector<RowId> &rows)
{
    baselines::SdpaJob job;
    job.backend = ctx.variant;
    job.device = ctx.device.index;
    job.dtype = p.dtype;
    job.batch = p.shape.batch;
    job.qHeads = p.shape.qHeads;
    job.kvHeads = p.shape.kvHeads;
    job.seqQ = p.shape.seqQ;
    job.seqK = p.shape.seqK;
    job.headDim = p.shape.headDim;
    job.causal = p.shape.causal;
    job.scale = p.shape.softmaxScale();
    job.q = in.q;
    job.k = in.k;
    job.v = in.v;
    job.repetitions = ctx.repetitions;
    job.warmup = ctx.warmup;
    job.cancel = ctx.cancel;
    baselines::SdpaResult r = baselines::TorchHelper::instance().run(job);
    return fromDeviceOutput(p, rows, r.error, std::move(r.timesMs), r.output);
}

} // namespace

std::vector<VariantSpec> attentionBaselineVariants()
{
    namespace bl = baselines;
    const auto reason = [](const char *id) {
        return [id] { return bl::TorchHelper::instance().unavailableReason(id); };
    };
    return {
        {bl::kTorchFlash, "PyTorch SDPA (flash)", DeviceKind::Cuda,
         "torch.nn.functional.scaled_dot_product_attention with the flash backend forced: the FlashAttention-2 "
         "kernels PyTorch ships; run by the baseline helper on this host's PyTorch",
         reason(bl::kTorchFlash)},
        {bl::kTorchCudnn, "PyTorch SDPA (cuDNN)", DeviceKind::Cuda,
         "scaled_dot_product_attention with the cuDNN backend forced: NVIDIA's fused attention, the fastest "
         "vendor path on Hopper",
         reason(bl::kTorchCudnn)},
        {bl::kTorchEfficient, "PyTorch SDPA (efficient)", DeviceKind::Cuda,
         "scaled_dot_product_attention with the memory-efficient (xFormers-derived) backend forced",
         reason(bl::kTorchEfficient)},
        {bl::kFlashInfer,
         "FlashInfer prefill",
         DeviceKind::Cuda,
         "flashinfer.single_prefill_with_kv_cache (batch 1), where FlashInfer is installed",
         reason(bl::kFlashInfer),
         {"2501.01005 FlashInfer: Efficient and Customizable Attention Engine for LLM Inference Serving"}},
    };
}

bool isBaselineVariant(const std::string &id)
{
    namespace bl = baselines;
    return id == bl::kTorchFlash || id == bl::kTorchCudnn || id == bl::kTorchEfficient || id == bl::kFlashInfer;
}

double attentionFlops(const AttentionShape &s)
{
    double f = 4.0 * s.batch * s.qHeads * double(s.seqQ) * s.seqK * s.headDim;
    return s.causal ? f / 2 : f;
}

double attentionBytes(const AttentionShape &s)
{
    return 2.0 * (2.0 * s.qElements() + 2.0 * s.kvElements());
}

MemoryNeed attentionMemoryNeed(const AttentionPoint &p, AttentionVariant variant)
{
    const AttentionShape &s = p.shape;
    const std::uint64_t q = s.qElements(), kv = s.kvElements();
    MemoryNeed need;
    need.hostBytes = 2 * (q + 2 * kv); // the inputs' bit patterns
    if (variant == AttentionVariant::CpuReference) {
        need.hostBytes += 8 * q; // the float64 output
        return need;
    }
    need.hostBytes += 2 * q; // the output copied back
    if (variant == AttentionVariant::Baseline)
        need.hostBytes += 2 * q; // and the helper's output file read back
    need.deviceBytes = 2 * (2 * q + 2 * kv);
    if (variant == AttentionVariant::Naive)
        need.deviceBytes += 4ull * s.batch * s.qHeads * std::uint64_t(s.seqQ) * std::uint64_t(s.seqK);
    if (variant == AttentionVariant::Decoding)
        need.deviceBytes += 4 * q * std::uint64_t(std::max(p.numSplits, 64));
    return need;
}

std::vector<MetricSpec> attentionMetrics()
{
    return {
        {"time_ms", "Median time", "ms"},
        {"tflops", "Throughput", "TFLOP/s"},
        {"gbps", "Memory throughput (Q,K,V,O once)", "GB/s"},
        {"rel_l2", "Relative L2 error vs float64", ""},
        {"max_abs", "Max abs error vs float64", ""},
        {"cosine", "Cosine similarity vs float64", ""},
        {"checked_rows", "Query rows checked against float64", "rows"},
        {"unwritten", "Output elements left unwritten (poisoned) or non-finite", "elements"},
    };
}

PointOutcome runAttentionPoint(const PointContext &ctx, const AttentionPoint &p, AttentionVariant variant)
{
    PointOutcome outcome;
    const AttentionShape &s = p.shape;
    const auto q = randomNormalBits(s.qElements(), p.dtype, ctx.seed * 3 + 0);
    const auto k = randomNormalBits(s.kvElements(), p.dtype, ctx.seed * 3 + 1);
    const auto v = randomNormalBits(s.kvElements(), p.dtype, ctx.seed * 3 + 2);
    const AttentionInputs in{p.dtype, q.data(), k.data(), v.data()};
    const std::vector<RowId> rows = rowsToCheck(s, ctx.seed);

    RawRun raw;
    if (variant == AttentionVariant::CpuReference) {
        raw = runCpu(ctx, s, in, rows);
    } else if (variant == AttentionVariant::Baseline) {
        raw = runBaseline(ctx, p, in, rows);
    } else {
#ifdef PAPERLAB_KERNELS_HAVE_CUDA
        raw = runGpu(ctx, p, in, rows, variant);
#else
        outcome.error = RunError{ErrorCode::NoDevice, "device", "no CUDA device: this runner was built without CUDA"};
        return outcome;
#endif
    }
    if (raw.error) {
        outcome.error = raw.error;
        return outcome;
    }
    const std::vector<double> ref = attentionReferenceRows(s, in, rows);
    const Accuracy acc = compareToReference(raw.checkedOut.data(), ref.data(), ref.size());
    const double ms = median(raw.timesMs);
    outcome.timesMs = raw.timesMs;
    outcome.metrics = {
        {"time_ms", ms, "ms"},
        {"tflops", attentionFlops(s) / (ms * 1e-3) / 1e12, "TFLOP/s"},
        {"gbps", attentionBytes(s) / (ms * 1e-3) / 1e9, "GB/s"},
        {"rel_l2", acc.relL2, ""},
        {"max_abs", acc.maxAbs, ""},
        {"cosine", acc.cosine, ""},
        {"checked_rows", double(rows.size()), "rows"},
        {"unwritten", double(raw.unwritten), "elements"},
    };
    if (raw.numSplitsUsed > 0)
        outcome.metrics.push_back({"num_splits", double(raw.numSplitsUsed), ""});
    if (raw.unwritten > 0) {
        outcome.error = RunError{ErrorCode::AccuracyCheckFailed, "",
                                 std::to_string(raw.unwritten) + " output elements unwritten or non-finite"};
    } else if (!(acc.relL2 <= relL2Limit(p.dtype))) {
        outcome.error = RunError{ErrorCode::AccuracyCheckFailed, "",
                                 "relative L2 error " + std::to_string(acc.relL2) + " exceeds " +
                                     std::to_string(relL2Limit(p.dtype))};
    }
    return outcome;
}

} // namespace paperlab::kernels
