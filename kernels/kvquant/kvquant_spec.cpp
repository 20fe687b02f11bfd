// Registry entry for quantized-KV decode attention: KIVI and SKVQ.
#include "core/accuracy.h"
#include "core/accuracy_extra.h"
#include "core/parallel_for.h"
#include "core/param_validation.h"
#include "core/random_fill.h"
#include "kvquant/kivi_fragment_pack.h"
#include "kvquant/kvquant_kernels.h"
#include "kvquant/kvquant_reference.h"
#include "reference/attention_reference.h"
#include "sage/sage_reference.h"

#include <chrono>
#include <cmath>
#include <limits>

#ifdef PAPERLAB_KERNELS_HAVE_CUDA
#include "cuda/attention_cuda.h"
#include "kvquant/kivi_fused_cuda.h"
#include "kvquant/kvquant_cuda.h"
#endif

namespace paperlab::kernels {

namespace {

constexpr double kSimRelL2Limit = 1e-2; // GPU output vs float64 attention over the same dequantized cache

struct KvPoint {
    int batch, qHeads, kvHeads, kvLen, headDim;
    KvQuantConfig cfg;
};

KvPoint kvPoint(const ParamSet &p)
{
    KvPoint k;
    k.batch = int(p.integer("batch"));
    k.qHeads = int(p.integer("q_heads"));
    k.kvHeads = int(p.integer("kv_heads"));
    k.kvLen = int(p.integer("kv_len"));
    k.headDim = int(p.integer("head_dim"));
    k.cfg.method = p.text("method") == "skvq" ? KvMethod::Skvq : KvMethod::Kivi;
    k.cfg.bits = int(p.integer("bits"));
    k.cfg.groupSize = int(p.integer("group_size"));
    k.cfg.residual = int(p.integer("residual"));
    k.cfg.sink = k.cfg.method == KvMethod::Skvq ? int(p.integer("sink")) : 0;
    k.cfg.clip = p.real("clip");
    return k;
}

std::optional<RunError> checkKv(const ParamSet &p)
{
    const KvPoint k = kvPoint(p);
    if (auto e = checkDecodeHeadGroups(k.qHeads, k.kvHeads))
        return e;
    if (k.headDim % k.cfg.groupSize != 0)
        return badParam("group_size", "group_size must divide head_dim (values are grouped along channels)");
    return std::nullopt;
}

PointOutcome runKv(const PointContext &ctx)
{
    PointOutcome outcome;
    const KvPoint P = kvPoint(ctx.params);
    const int d = P.headDim, L = P.kvLen, group = P.qHeads / P.kvHeads;
    const bool fp16Cache = ctx.variant == "fp16" || ctx.variant == "fp16_v1";
    const bool fused = ctx.variant == "quant";
    if (fused) {
        const std::string why = kiviFusedUnsupported(P.cfg, d, group);
        if (!why.empty()) {
            outcome.error = RunError{ErrorCode::BadParameter, why,
                                     "parameter '" + why +
                                         "': the fused kernel runs KIVI and SKVQ with group_size 32, "
                                         "head_dim 128 and at most 8 query heads per KV head; quant_v1 runs the "
                                         "rest"};
            return outcome;
        }
    }
    if (ctx.variant == "quant_v1" && P.cfg.bits == 8) {
        outcome.error = RunError{ErrorCode::BadParameter, "bits", "parameter 'bits': quant_v1 runs 2 and 4 bits only"};
        return outcome;
    }
    const auto q = randomNormalBits(std::size_t(P.batch) * P.qHeads * d, DType::F16, ctx.seed * 3 + 0);
    auto k = randomNormalBits(std::size_t(P.batch) * P.kvHeads * L * d, DType::F16, ctx.seed * 3 + 1);
    const auto v = randomNormalBits(k.size(), DType::F16, ctx.seed * 3 + 2);
    AttentionShape shapeForOffset;
    shapeForOffset.headDim = d;
    addKeyChannelOffset(shapeForOffset, DType::F16, ctx.params.real("k_channel_offset"), k);
    const std::size_t heads = std::size_t(P.batch) * P.kvHeads, headElems = std::size_t(L) * d;
    const double scale = 1.0 / std::sqrt(double(d));
    auto qRows = [&](std::size_t bh, std::vector<double> &out) { // the query rows that share kv head bh
        out.resize(std::size_t(group) * d);
        const std::size_t b = bh / P.kvHeads, hk = bh % P.kvHeads;
        for (int r = 0; r < group; ++r)
            for (int c = 0; c < d; ++c)
                out[std::size_t(r) * d + c] = f16ToFloat(q[((b * P.qHeads) + hk * group + r) * d + c]);
    };

    // Quantize on the CPU (the simulation the GPU is checked against, and the CPU variant's cache).
    std::vector<KvHeadCache> caches(heads);
    auto tq0 = std::chrono::steady_clock::now();
    if (!fp16Cache)
        parallelTasks(heads, [&](std::size_t bh) {
            caches[bh] = quantizeKvHead(&k[bh * headElems], &v[bh * headElems], L, d, P.cfg);
        });
    const double cpuQuantMs = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - tq0).count();
    // sim: float64 attention over the dequantized cache; exact: over the fp16 cache.
    const std::size_t outElems = std::size_t(P.batch) * P.qHeads * d;
    std::vector<double> sim(outElems), exact(outElems);
    auto simHead = [&](std::size_t bh, bool dequant, double *out) {
        std::vector<double> kd(headElems), vd(headElems), qr;
        qRows(bh, qr);
        if (dequant && !fp16Cache) {
            dequantizeKvHead(caches[bh], &k[bh * headElems], &v[bh * headElems], L, d, P.cfg, kd.data(), vd.data());
        } else {
            for (std::size_t e = 0; e < headElems; ++e) {
                kd[e] = f16ToFloat(k[bh * headElems + e]);
                vd[e] = f16ToFloat(v[bh * headElems + e]);
            }
        }
        decodeRowsFloat64(qr.data(), group, kd.data(), vd.data(), L, d, scale, out + bh * group * d);
    };

    std::vector<double> times, checked;
    double quantMs = cpuQuantMs, appendMs = -1, closeMs = -1, closeMismatch = -1;
    int splitsUsed = 0;
    std::size_t unwritten = 0;
    if (ctx.variant == "cpu") {
        std::vector<double> out;
        const int warmup = std::min(ctx.warmup, 1);
        for (int rep = -warmup; rep < ctx.repetitions; ++rep) {
            if (ctx.cancel && ctx.cancel->cancelled()) {
                outcome.error = RunError{ErrorCode::Cancelled, "", "cancelled"};
                return outcome;
            }
            out.assign(outElems, std::numeric_limits<double>::quiet_NaN());
            auto t0 = std::chrono::steady_clock::now();
            parallelTasks(heads, [&](std::size_t bh) { simHead(bh, true, out.data()); });
            auto t1 = std::chrono::steady_clock::now();
            if (rep >= 0)
                times.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
        }
        checked = out;
    } else {
#ifdef PAPERLAB_KERNELS_HAVE_CUDA
        if (fused || ctx.variant == "fp16") {
            std::vector<std::uint16_t> gout;
            if (fused) {
                std::vector<std::vector<std::uint8_t>> packed(heads);
                parallelTasks(heads, [&](std::size_t bh) { packed[bh] = packKiviRecords(caches[bh], P.cfg); });
                std::vector<std::uint8_t> records;
                records.reserve(heads * packed[0].size());
                for (auto &r : packed) {
                    records.insert(records.end(), r.begin(), r.end());
                    std::vector<std::uint8_t>().swap(r);
                }
                std::vector<std::uint16_t> kPerm, vPerm; // SKVQ's channel orders, head after head
                for (const KvHeadCache &h : caches) {
                    kPerm.insert(kPerm.end(), h.kPerm.begin(), h.kPerm.end());
                    vPerm.insert(vPerm.end(), h.vPerm.begin(), h.vPerm.end());
                }
                cuda::GpuKiviFusedJob job;
                job.batch = P.batch;
                job.qHeads = P.qHeads;
                job.kvHeads = P.kvHeads;
                job.kvLen = L;
                job.config = P.cfg;
                job.q = q.data();
                job.k = k.data();
                job.v = v.data();
                job.records = records.data();
                job.kPerm = kPerm.data();
                job.vPerm = vPerm.data();
                job.numSplits = int(ctx.params.integer("num_splits"));
                copyRunSettings(ctx, job);
                cuda::GpuKiviFusedResult g = cuda::runKiviFusedDecodeGpu(job);
                if (g.error) {
                    outcome.error = g.error;
                    return outcome;
                }
                times = std::move(g.timesMs);
                splitsUsed = g.numSplitsUsed;
                appendMs = g.appendMs;
                closeMs = g.closeGroupMs;
                closeMismatch = g.closeGroupMismatchBytes;
                gout = std::move(g.output);
            } else { // the fp16 cache through the shared Flash-Decoding kernel
                cuda::GpuAttentionJob job =
                    cuda::fp16DecodeJob(P.batch, P.qHeads, P.kvHeads, L, d, q.data(), k.data(), v.data());
                job.numSplits = int(ctx.params.integer("num_splits"));
                copyRunSettings(ctx, job);
                cuda::GpuAttentionResult g = cuda::runFlashDecodingGpu(job);
                if (g.error) {
                    outcome.error = g.error;
                    return outcome;
                }
                times = std::move(g.timesMs);
                splitsUsed = g.numSplitsUsed;
                gout = std::move(g.output);
            }
            checked.resize(gout.size());
            for (std::size_t e = 0; e < checked.size(); ++e)
                checked[e] = f16ToFloat(gout[e]);
        } else {
            std::vector<std::uint16_t> kPerm(heads * d), vPerm(heads * d);
            for (std::size_t bh = 0; bh < heads; ++bh) {
                const auto kp =
                    fp16Cache ? channelOrder(nullptr, 0, d, P.cfg) : channelOrder(&k[bh * headElems], L, d, P.cfg);
                const auto vp =
                    fp16Cache ? channelOrder(nullptr, 0, d, P.cfg) : channelOrder(&v[bh * headElems], L, d, P.cfg);
                std::copy(kp.begin(), kp.end(), kPerm.begin() + bh * d);
                std::copy(vp.begin(), vp.end(), vPerm.begin() + bh * d);
            }
            cuda::GpuKvJob job;
            job.batch = P.batch;
            job.qHeads = P.qHeads;
            job.kvHeads = P.kvHeads;
            job.kvLen = L;
            job.headDim = d;
            job.config = P.cfg;
            job.fp16Cache = fp16Cache;
            job.q = q.data();
            job.k = k.data();
            job.v = v.data();
            job.kPerm = kPerm.data();
            job.vPerm = vPerm.data();
            job.numSplits = int(ctx.params.integer("num_splits"));
            copyRunSettings(ctx, job);
            cuda::GpuKvResult g = cuda::runKvQuantDecodeGpu(job);
            if (g.error) {
                outcome.error = g.error;
                return outcome;
            }
            times = std::move(g.timesMs);
            quantMs = g.quantMs;
            splitsUsed = g.numSplitsUsed;
            checked.resize(g.output.size());
            for (std::size_t e = 0; e < checked.size(); ++e)
                checked[e] = f16ToFloat(g.output[e]);
        }
#else
        outcome.error = RunError{ErrorCode::NoDevice, "device", "no CUDA device: this runner was built without CUDA"};
        return outcome;
#endif
    }
    for (double x : checked)
        unwritten += std::isfinite(x) ? 0 : 1;
    parallelTasks(heads, [&](std::size_t bh) {
        simHead(bh, true, sim.data());
        simHead(bh, false, exact.data());
    });
    const ExtendedAccuracy acc = compareExtended(checked.data(), exact.data(), exact.size());
    const ExtendedAccuracy accSim = compareExtended(checked.data(), sim.data(), sim.size());
    const double ms = median(times);
    outcome.timesMs = times;
    const double fp16Bytes = kvCacheBytesFp16(P.batch, P.kvHeads, L, d);
    const double cacheBytes = fp16Cache ? fp16Bytes : kvCacheBytes(P.batch, P.kvHeads, L, d, P.cfg);
    const double moved = cacheBytes + 2.0 * 2.0 * double(outElems); // cache + q + o
    outcome.metrics = {
        {"time_ms", ms, "ms"},
        {"gbps", moved / (ms * 1e-3) / 1e9, "GB/s"},
        {"quant_ms", quantMs, "ms"},
        {"memory_saved", 1.0 - cacheBytes / fp16Bytes, ""},
        {"cache_mb", cacheBytes / 1e6, "MB"},
        {"cosine", acc.cosine, ""},
        {"rel_l1", acc.relL1, ""},
        {"rmse", acc.rmse, ""},
        {"rel_l2", acc.relL2, ""},
        {"max_abs", acc.maxAbs, ""},
        {"sim_rel_l2", accSim.relL2, ""},
        {"checked_rows", double(P.batch) * P.qHeads, "rows"},
        {"unwritten", double(unwritten), "elements"},
    };
    if (splitsUsed > 0)
        outcome.metrics.push_back({"num_splits", double(splitsUsed), ""});
    if (closeMs >= 0) {
        outcome.metrics.push_back({"append_us", appendMs * 1e3, "us"});
        outcome.metrics.push_back({"close_group_us", closeMs * 1e3, "us"});
        outcome.metrics.push_back({"close_group_mismatch", closeMismatch, "bytes"});
    }
    if (closeMismatch > 0)
        outcome.error = RunError{ErrorCode::AccuracyCheckFailed, "",
                                 "close-group record differs from the CPU quantizer's in " +
                                     std::to_string(long(closeMismatch)) + " bytes"};
    else
        outcome.error = decodeOutputCheck(unwritten, accSim.relL2, kSimRelL2Limit, "the same quantized cache");
    return outcome;
}

} // namespace

KernelSpec makeKvQuantSpec()
{
    KernelSpec k;
    k.id = "kv_quant_decode";
    k.displayName = "KV-cache quantization (KIVI, SKVQ)";
    k.paperKeys = {
        "2402.02750 KIVI: A Tuning-Free Asymmetric 2bit Quantization for KV Cache",
        "2405.06219 SKVQ: Sliding-window Key and Value Cache Quantization for Large Language Models",
    };
    k.description = "Decode attention over a 2- or 4-bit KV cache. KIVI quantizes keys per channel (groups of tokens) "
                    "and values per token, keeping the most recent tokens in fp16; SKVQ reorders channels so similar "
                    "ones share a group, clips the ranges, and keeps attention-sink and recent tokens in fp16. The "
                    "decode kernel reads the packed cache directly and dequantizes in registers.";
    using T = ParamType;
    k.params = {
        {"batch", T::Int, "1", 1, 1024, {}, "", "Sequences being decoded"},
        {"kv_len", T::Int, "4096", 1, 1 << 20, {}, "tokens", "Length of the KV cache"},
        {"q_heads", T::Int, "32", 1, 256, {}, "", "Query heads (one new token each)"},
        {"kv_heads", T::Int, "8", 1, 256, {}, "", "Key/value heads (grouped-query attention)"},
        {"head_dim", T::Int, "128", 0, 0, {"64", "128"}, "", "Head dimension"},
        {"method", T::Choice, "kivi", 0, 0, {"kivi", "skvq"}, "", "Quantization scheme"},
        {"bits", T::Int, "4", 0, 0, {"2", "4", "8"}, "bits", "Bits per cached element"},
        {"group_size",
         T::Int,
         "32",
         0,
         0,
         {"32", "64", "128"},
         "",
         "Elements sharing one scale and minimum (tokens for KIVI keys, channels otherwise)"},
        {"residual", T::Int, "128", 0, 1 << 20, {}, "tokens", "Most recent tokens kept in fp16"},
        {"sink", T::Int, "4", 0, 4096, {}, "tokens", "SKVQ: first tokens kept in fp16 (attention sinks)"},
        {"clip", T::Float, "0.95", 0.5, 1.0, {}, "", "SKVQ: each group's min and max are scaled by this"},
        {"k_channel_offset",
         T::Float,
         "0",
         0,
         100,
         {},
         "",
         "Adds offset x u_c (u fixed random normal per channel) to every key: outlier channels"},
        {"num_splits", T::Int, "0", 0, 1024, {}, "", "KV splits of the decode kernel; 0 = fill the GPU", "auto"},
    };
    k.variants = {
        {"quant", "Quantized cache, fused (ours, CUDA)", DeviceKind::Cuda,
         "KIVI and SKVQ: split-KV mma.sync decode reading 32-token records laid out as the warp's fragments; "
         "KIVI's per-channel key scales folded into the query, SKVQ's per-token ones applied to S^T's key rows, "
         "value scales into P; quantize-on-append timed apart"},
        {"fp16", "fp16 cache, Flash-Decoding (ours, CUDA)", DeviceKind::Cuda,
         "The unquantized cache through the same split-KV structure (our Flash-Decoding): what quantization buys"},
        {"quant_v1", "Quantized cache, v1 (ours, CUDA)", DeviceKind::Cuda,
         "First version: thread per key, then thread per channel (latency-bound); KIVI and SKVQ, 2/4 bits"},
        {"fp16_v1", "fp16 cache, v1 kernel (ours, CUDA)", DeviceKind::Cuda,
         "The v1 decode kernel over the unquantized fp16 cache"},
        {"cpu", "CPU float64 simulation", DeviceKind::Cpu,
         "The same quantizer; the cache dequantized to float64 and attended in float64"},
    };
    k.metrics = {
        {"time_ms", "Median decode time", "ms"},
        {"gbps", "Memory throughput (cache as stored, q, o)", "GB/s"},
        {"quant_ms", "Quantization time (once per cache)", "ms"},
        {"memory_saved", "Cache memory saved vs fp16", ""},
        {"cache_mb", "Cache size as stored", "MB"},
        {"cosine", "Cosine similarity vs float64 over the fp16 cache", ""},
        {"rel_l1", "Relative L1 error vs float64 over the fp16 cache", ""},
        {"rmse", "RMSE vs float64 over the fp16 cache", ""},
        {"rel_l2", "Relative L2 error vs float64 over the fp16 cache", ""},
        {"max_abs", "Max abs error vs float64 over the fp16 cache", ""},
        {"sim_rel_l2", "Relative L2 error vs float64 over the same quantized cache", ""},
        {"checked_rows", "Query rows checked", "rows"},
        {"unwritten", "Output elements left unwritten (poisoned) or non-finite", "elements"},
        {"num_splits", "KV splits used", ""},
        {"append_us", "Quantize-on-append: one token into every head's fp16 window", "us"},
        {"close_group_us", "Quantize-on-append: one 32-token group of every head packed into a record", "us"},
        {"close_group_mismatch", "Bytes of the GPU's closed group differing from the CPU quantizer's", "bytes"},
    };
    k.speedMetric = "gbps";
    k.checkParams = checkKv;
    k.runPoint = runKv;
    return k;
}

} // namespace paperlab::kernels
