// Registry entry for block-sparse attention with MoBA or XAttention block selection.
#include "attention/attention_point.h"
#include "core/accuracy.h"
#include "core/accuracy_extra.h"
#include "core/param_validation.h"
#include "core/random_fill.h"
#include "sparse/sparse_kernels.h"
#include "sparse/sparse_tma_params.h"

#include <chrono>
#include <cmath>
#include <limits>

#ifdef PAPERLAB_KERNELS_HAVE_CUDA
#include "sparse/block_sparse_cuda.h"
#endif

namespace paperlab::kernels {

namespace {

constexpr double kMaskedRelL2Limit = 2e-3; // fp16 kernel vs float64 with the same mask
// The CPU mask is recomputed for the agreement metric only while this many float64 MACs suffice.
[[maybe_unused]] constexpr double kAgreementBudget = 3e10; // unused in a build without CUDA

AttentionShape sparseShape(const ParamSet &p)
{
    AttentionShape s;
    s.batch = int(p.integer("batch"));
    s.qHeads = int(p.integer("q_heads"));
    s.kvHeads = p.integer("kv_heads") > 0 ? int(p.integer("kv_heads")) : s.qHeads;
    s.seqQ = s.seqK = int(p.integer("seq_len"));
    s.headDim = int(p.integer("head_dim"));
    s.causal = p.flag("causal");
    return s;
}

SparseConfig sparseConfig(const ParamSet &p, const std::string &variant)
{
    SparseConfig c;
    const std::string sel = p.text("selector");
    c.selector = variant == "dense"    ? BlockSelector::Dense
                 : sel == "xattention" ? BlockSelector::XAttention
                 : sel == "dense"      ? BlockSelector::Dense
                                       : BlockSelector::Moba;
    c.blockSize = int(p.integer("block_size"));
    c.topK = int(p.integer("top_k"));
    c.threshold = p.real("threshold");
    c.stride = int(p.integer("stride"));
    return c;
}

std::optional<RunError> checkSparse(const ParamSet &p)
{
    const AttentionShape s = sparseShape(p);
    const SparseConfig c = sparseConfig(p, "");
    if (s.qHeads % s.kvHeads != 0)
        return badParam("kv_heads", "kv_heads must divide q_heads");
    if (s.seqQ % c.blockSize != 0)
        return badParam("seq_len", "seq_len must be a multiple of block_size");
    if (c.blockSize % c.stride != 0)
        return badParam("stride", "stride must divide block_size");
    return std::nullopt;
}

[[maybe_unused]] double selectionMacs(const AttentionShape &s, const SparseConfig &c)
{
    const double heads = double(s.batch) * s.qHeads;
    if (c.selector == BlockSelector::XAttention)
        return heads * double(s.seqQ) * s.seqK * s.headDim / c.stride;
    const double blocks = double(s.seqQ) / c.blockSize;
    return heads * (blocks * blocks * s.headDim + 2.0 * s.seqQ * s.headDim);
}

struct SparseInputs {
    std::vector<std::uint16_t> q, k, v;
    AttentionInputs in;
};

SparseInputs makeInputs(const AttentionShape &s, std::uint64_t seed)
{
    SparseInputs x;
    x.q = randomNormalBits(s.qElements(), DType::F16, seed * 3 + 0);
    x.k = randomNormalBits(s.kvElements(), DType::F16, seed * 3 + 1);
    x.v = randomNormalBits(s.kvElements(), DType::F16, seed * 3 + 2);
    x.in = AttentionInputs{DType::F16, x.q.data(), x.k.data(), x.v.data()};
    return x;
}

PointOutcome runSparse(const PointContext &ctx)
{
    PointOutcome outcome;
    const AttentionShape s = sparseShape(ctx.params);
    const SparseConfig c = sparseConfig(ctx.params, ctx.variant);
    const SparseInputs x = makeInputs(s, ctx.seed);
    const AttentionInputs &in = x.in;
    const std::vector<RowId> rows = rowsToCheck(s, ctx.seed);

    std::vector<double> times, selTimes, attnTimes, checked;
    std::size_t unwritten = 0;
    BlockMask mask;
    double agreement = std::numeric_limits<double>::quiet_NaN();
    if (ctx.variant == "cpu") {
        std::vector<RowId> all;
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
            out.assign(s.qElements(), std::numeric_limits<double>::quiet_NaN());
            auto t0 = std::chrono::steady_clock::now();
            mask = selectBlocks(s, in, c);
            auto t1 = std::chrono::steady_clock::now();
            out = blockSparseReferenceRows(s, in, mask, all);
            auto t2 = std::chrono::steady_clock::now();
            if (rep >= 0) {
                selTimes.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
                attnTimes.push_back(std::chrono::duration<double, std::milli>(t2 - t1).count());
                times.push_back(selTimes.back() + attnTimes.back());
            }
        }
        for (double v : out)
            unwritten += std::isfinite(v) ? 0 : 1;
        checked.resize(rows.size() * std::size_t(s.headDim));
        for (std::size_t r = 0; r < rows.size(); ++r) {
            const std::size_t base = ((std::size_t(rows[r].b) * s.qHeads + rows[r].h) * s.seqQ + rows[r].i) * s.headDim;
            for (int ch = 0; ch < s.headDim; ++ch)
                checked[r * s.headDim + ch] = out[base + ch];
        }
        agreement = 1.0;
    } else {
        // Checked in every build, so a parameter sparse_tma cannot take is named even where
        // there is no GPU to run it on.
        if (ctx.variant == "sparse_tma")
            if ((outcome.error = sparseTmaRefusal(s, c, in.dtype)))
                return outcome;
#ifdef PAPERLAB_KERNELS_HAVE_CUDA
        cuda::GpuSparseJob job{
            s, in, c, ctx.variant == "sparse_v1" ? 1 : 2, ctx.device.index, ctx.repetitions, ctx.warmup, ctx.cancel};
        cuda::GpuSparseResult g =
            ctx.variant == "sparse_tma" ? cuda::runBlockSparseTmaGpu(job) : cuda::runBlockSparseGpu(job);
        if (g.error) {
            outcome.error = g.error;
            return outcome;
        }
        times = std::move(g.timesMs);
        selTimes = std::move(g.selectMs);
        attnTimes = std::move(g.attnMs);
        mask = std::move(g.mask);
        for (auto b : g.output)
            unwritten += std::isfinite(f16ToFloat(b)) ? 0 : 1;
        checked.resize(rows.size() * std::size_t(s.headDim));
        for (std::size_t r = 0; r < rows.size(); ++r) {
            const std::size_t base = ((std::size_t(rows[r].b) * s.qHeads + rows[r].h) * s.seqQ + rows[r].i) * s.headDim;
            for (int ch = 0; ch < s.headDim; ++ch)
                checked[r * s.headDim + ch] = f16ToFloat(g.output[base + ch]);
        }
        if (selectionMacs(s, c) <= kAgreementBudget) {
            const BlockMask cpuMask = selectBlocks(s, in, c);
            std::size_t same = 0;
            for (std::size_t e = 0; e < mask.keep.size(); ++e)
                same += (mask.keep[e] != 0) == (cpuMask.keep[e] != 0);
            agreement = mask.keep.empty() ? 1.0 : double(same) / double(mask.keep.size());
        }
#else
        outcome.error = RunError{ErrorCode::NoDevice, "device", "no CUDA device: this runner was built without CUDA"};
        return outcome;
#endif
    }
    const std::vector<double> dense = attentionReferenceRows(s, in, rows);
    const std::vector<double> masked = blockSparseReferenceRows(s, in, mask, rows);
    const ExtendedAccuracy acc = compareExtended(checked.data(), dense.data(), dense.size());
    const Accuracy accMasked = compareToReference(checked.data(), masked.data(), masked.size());
    const double density = maskDensity(mask, s.causal);
    const double ms = median(times);
    outcome.timesMs = times;
    outcome.metrics = {
        {"time_ms", ms, "ms"},
        {"select_ms", median(selTimes), "ms"},
        {"attn_ms", median(attnTimes), "ms"},
        {"tflops_dense_equiv", attentionFlops(s) / (ms * 1e-3) / 1e12, "TFLOP/s"},
        {"tflops_computed", attentionFlops(s) * density / (median(attnTimes) * 1e-3) / 1e12, "TFLOP/s"},
        {"density", density, ""},
        {"sparsity", 1.0 - density, ""},
        {"rel_l2", acc.relL2, ""},
        {"cosine", acc.cosine, ""},
        {"rel_l1", acc.relL1, ""},
        {"max_abs", acc.maxAbs, ""},
        {"masked_rel_l2", accMasked.relL2, ""},
        {"checked_rows", double(rows.size()), "rows"},
        {"unwritten", double(unwritten), "elements"},
    };
    if (agreement == agreement)
        outcome.metrics.push_back({"mask_agreement", agreement, ""});
    if (ctx.wantMask && !mask.keep.empty()) {
        // Batch 0, head 0 leads the [heads][qBlocks][kBlocks] layout.
        const std::size_t n = std::size_t(mask.qBlocks) * mask.kBlocks;
        outcome.mask = BlockMaskImage{mask.qBlocks, mask.kBlocks,
                                      std::vector<std::uint8_t>(mask.keep.begin(), mask.keep.begin() + n)};
    }
    if (unwritten > 0)
        outcome.error = RunError{ErrorCode::AccuracyCheckFailed, "",
                                 std::to_string(unwritten) + " output elements unwritten or non-finite"};
    else if (!(accMasked.relL2 <= kMaskedRelL2Limit))
        outcome.error = RunError{ErrorCode::AccuracyCheckFailed, "",
                                 "relative L2 error vs float64 with the same mask " + std::to_string(accMasked.relL2) +
                                     " exceeds " + std::to_string(kMaskedRelL2Limit)};
    return outcome;
}

} // namespace

std::vector<std::uint8_t> blockSparseMaskImage(const ParamSet &params, std::uint64_t seed, int head, int &qBlocks,
                                               int &kBlocks)
{
    AttentionShape s = sparseShape(params);
    s.batch = 1;
    const SparseInputs x = makeInputs(sparseShape(params), seed);
    const BlockMask m = selectBlocks(s, x.in, sparseConfig(params, "")); // batch 0 is a prefix of the inputs
    qBlocks = m.qBlocks;
    kBlocks = m.kBlocks;
    const std::size_t n = std::size_t(m.qBlocks) * m.kBlocks;
    head = std::max(0, std::min(head, m.heads - 1));
    return std::vector<std::uint8_t>(m.keep.begin() + head * n, m.keep.begin() + (head + 1) * n);
}

KernelSpec makeBlockSparseSpec()
{
    KernelSpec k;
    k.id = "block_sparse_attention";
    k.displayName = "Block-sparse attention (MoBA, XAttention)";
    k.paperKeys = {
        "2502.13189 MoBA: Mixture of Block Attention for Long-Context LLMs",
        "2503.16428 XAttention: Block Sparse Attention with Antidiagonal Scoring",
    };
    k.description = "A FlashAttention forward that visits only the (query block, key block) tiles a block mask keeps. "
                    "MoBA keeps, per query block, the top_k key blocks by the gating score mean(Q_i) . mean(K_j) "
                    "(causal: always the own block). XAttention scores each block by the antidiagonals of its "
                    "stride x stride sub-blocks and keeps the best blocks until their cumulative share passes the "
                    "threshold. Selection time is counted in time_ms.";
    using T = ParamType;
    k.params = {
        {"batch", T::Int, "1", 1, 1024, {}, "", "Sequences per batch"},
        {"q_heads", T::Int, "4", 1, 256, {}, "", "Query heads"},
        {"kv_heads", T::Int, "0", 0, 256, {}, "", "Key/value heads; 0 = same as query heads", "same as q_heads"},
        {"seq_len", T::Int, "1024", 64, 131072, {}, "tokens", "Query and key length (a multiple of block_size)"},
        {"head_dim", T::Int, "64", 0, 0, {"64", "128"}, "", "Head dimension"},
        {"causal", T::Bool, "true", 0, 0, {}, "", "Causal mask (query i sees keys 0..i)"},
        {"selector", T::Choice, "moba", 0, 0, {"moba", "xattention", "dense"}, "", "How blocks are chosen"},
        {"block_size", T::Int, "64", 0, 0, {"64", "128"}, "tokens", "Query and key block size of the mask"},
        {"top_k", T::Int, "4", 1, 4096, {}, "blocks", "MoBA: key blocks kept per query block"},
        {"threshold", T::Float, "0.9", 0.0, 1.0, {}, "", "XAttention: cumulative score share to keep"},
        {"stride", T::Int, "8", 0, 0, {"4", "8", "16"}, "tokens", "XAttention: antidiagonal stride"},
    };
    k.variants = {
        {"sparse_tma", "Block-sparse on the Hopper pipeline (ours, CUDA, sm_90a)", DeviceKind::Cuda,
         "The same GPU selection, the mask compacted into kept-block lists on the GPU, then the TMA/wgmma "
         "FlashAttention pipeline walking only the kept 128-token blocks; block_size 128, head_dim 64/128, fp16"},
        {"sparse", "Block-sparse (ours, CUDA)", DeviceKind::Cuda,
         "GPU block selection, then an mma.sync fp16 FlashAttention forward over the kept tiles only"},
        {"dense", "Dense (ours, CUDA)", DeviceKind::Cuda,
         "The same forward kernel with every visible block kept and no selection: the baseline"},
        {"sparse_v1", "Block-sparse v1 (ours, CUDA, simple)", DeviceKind::Cuda,
         "The first version of the forward kernel: synchronous tile loads, V transposed in shared memory"},
        {"cpu", "CPU float64", DeviceKind::Cpu, "Selection and masked attention in float64, threads over heads"},
    };
    k.metrics = {
        {"time_ms", "Median time (selection + attention)", "ms"},
        {"select_ms", "Median block-selection time", "ms"},
        {"attn_ms", "Median attention time", "ms"},
        {"tflops_dense_equiv", "Dense-equivalent throughput (dense FLOPs / time)", "TFLOP/s"},
        {"tflops_computed", "Throughput on the kept blocks", "TFLOP/s"},
        {"density", "Kept blocks / visible blocks", ""},
        {"sparsity", "1 - density", ""},
        {"rel_l2", "Relative L2 error vs dense float64 attention", ""},
        {"cosine", "Cosine similarity vs dense float64 attention", ""},
        {"rel_l1", "Relative L1 error vs dense float64 attention", ""},
        {"max_abs", "Max abs error vs dense float64 attention", ""},
        {"masked_rel_l2", "Relative L2 error vs float64 with the same mask", ""},
        {"checked_rows", "Query rows checked against float64", "rows"},
        {"unwritten", "Output elements left unwritten (poisoned) or non-finite", "elements"},
        {"mask_agreement", "Fraction of blocks where the GPU mask equals the float64 mask", ""},
    };
    k.speedMetric = "time_ms";
    k.checkParams = checkSparse;
    k.runPoint = runSparse;
    return k;
}

} // namespace paperlab::kernels
