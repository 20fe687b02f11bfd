// Registry entry for KV-selection decode: a policy picks the tokens, one sparse decode attends.
#include "core/accuracy.h"
#include "core/accuracy_extra.h"
#include "core/half_bits.h"
#include "core/parallel_for.h"
#include "core/param_validation.h"
#include "kvselect/kv_selection.h"
#include "kvselect/kv_selection_inputs.h"
#include "kvselect/kvselect_kernels.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>

#ifdef PAPERLAB_KERNELS_HAVE_CUDA
#include "cuda/attention_cuda.h"
#include "kvselect/kv_selection_cuda.h"
#endif

namespace paperlab::kernels {

namespace {

constexpr double kSimRelL2Limit = 2e-3; // GPU output vs float64 attention over the GPU's own selection
constexpr double kMinAgreement = 0.98;  // share of the float64 selection the GPU also selects

struct SelPoint {
    int batch, qHeads, kvHeads, kvLen, headDim, obsWindow;
    std::string inputs;
    KvSelectConfig cfg;
};

SelPoint selPoint(const ParamSet &p)
{
    SelPoint s;
    s.batch = int(p.integer("batch"));
    s.qHeads = int(p.integer("q_heads"));
    s.kvHeads = int(p.integer("kv_heads"));
    s.kvLen = int(p.integer("kv_len"));
    s.headDim = int(p.integer("head_dim"));
    s.obsWindow = int(p.integer("obs_window"));
    s.inputs = p.text("inputs");
    parseKvPolicy(p.text("policy"), s.cfg.policy);
    const int budget = int(p.integer("budget"));
    s.cfg.budget = budget > 0 ? budget : std::max(1, int(std::lround(p.real("keep_ratio") * s.kvLen)));
    s.cfg.pageSize = int(p.integer("page_size"));
    s.cfg.window = int(p.integer("window"));
    s.cfg.sinks = int(p.integer("sinks"));
    s.cfg.pool = int(p.integer("pool"));
    s.cfg.labelChannels = int(p.integer("label_channels"));
    s.cfg.boundsBits = int(p.integer("bounds_bits"));
    s.cfg.labelBits = int(p.integer("label_bits"));
    return s;
}

std::optional<RunError> checkSel(const ParamSet &p)
{
    const SelPoint s = selPoint(p);
    if (auto e = checkDecodeHeadGroups(s.qHeads, s.kvHeads))
        return e;
    if (p.integer("budget") > s.kvLen)
        return badParam("budget", "budget " + std::to_string(p.integer("budget")) +
                                      " is larger than the cache (kv_len " + std::to_string(s.kvLen) + ")");
    const KvPolicy pol = s.cfg.policy;
    // Only Quest reads the cache in pages; the other policies ignore page_size, so a length it does
    // not divide is no reason to refuse them.
    if (pol == KvPolicy::Quest && s.kvLen % s.cfg.pageSize != 0)
        return badParam("page_size", "page_size " + std::to_string(s.cfg.pageSize) + " does not divide kv_len " +
                                         std::to_string(s.kvLen));
    if ((pol == KvPolicy::H2O || pol == KvPolicy::SnapKV) && s.cfg.window >= s.cfg.budget)
        return badParam("window", "the recent window (" + std::to_string(s.cfg.window) +
                                      ") must be smaller than the budget (" + std::to_string(s.cfg.budget) + ")");
    if (pol == KvPolicy::Streaming && s.cfg.sinks >= s.cfg.budget)
        return badParam("sinks", "sinks must be fewer than the budget");
    if (pol == KvPolicy::Quest && s.cfg.budget < s.cfg.pageSize)
        return badParam("budget", "Quest keeps whole pages: the budget must be at least one page");
    if (pol == KvPolicy::SnapKV && s.cfg.pool % 2 == 0)
        return badParam("pool", "the pooling kernel must be odd");
    return std::nullopt;
}

// Doubles of one (batch, KV head): its query rows, observation rows, keys and values.
struct HeadData {
    std::vector<double> q, obs, k, v;
};

HeadData headData(const KvSelectInputs &in, const SelPoint &P, std::size_t bh)
{
    const int d = P.headDim, L = P.kvLen, group = P.qHeads / P.kvHeads;
    const std::size_t b = bh / P.kvHeads, hk = bh % P.kvHeads, h0 = b * P.qHeads + hk * group;
    HeadData h;
    h.q.resize(std::size_t(group) * d);
    h.obs.resize(std::size_t(group) * P.obsWindow * d);
    h.k.resize(std::size_t(L) * d);
    h.v.resize(h.k.size());
    for (std::size_t e = 0; e < h.q.size(); ++e)
        h.q[e] = f16ToFloat(in.q[h0 * d + e]);
    for (std::size_t e = 0; e < h.obs.size(); ++e)
        h.obs[e] = f16ToFloat(in.obs[h0 * P.obsWindow * d + e]);
    for (std::size_t e = 0; e < h.k.size(); ++e) {
        h.k[e] = f16ToFloat(in.k[bh * L * d + e]);
        h.v[e] = f16ToFloat(in.v[bh * L * d + e]);
    }
    return h;
}

#ifdef PAPERLAB_KERNELS_HAVE_CUDA
// How many of the GPU's 8-bit metadata codes and scales differ from the float64 reference's:
// both sides must make the same integers (int8_metadata.h), or the reference checks another policy.
std::size_t metadataMismatches(const KvSelectInputs &in, const SelPoint &P, const std::vector<std::vector<int>> &labels,
                               const std::vector<std::uint8_t> &codes, const std::vector<float> &scales)
{
    const int d = P.headDim;
    const bool quest = P.cfg.policy == KvPolicy::Quest;
    const int entries = quest ? P.kvLen / P.cfg.pageSize : P.kvLen; // per (batch, KV head)
    const std::size_t heads = std::size_t(P.batch) * P.kvHeads;
    const std::size_t width = quest ? 2 * std::size_t(d) : labels.at(0).size() * P.cfg.labelBits / 8; // code bytes
    if (codes.size() != heads * entries * width || scales.size() != heads * entries)
        return std::max(codes.size(), heads * entries * width);
    std::vector<std::size_t> bad(heads, 0);
    parallelTasks(heads, [&](std::size_t bh) {
        const HeadData h = headData(in, P, bh);
        std::vector<unsigned char> mine(width);
        for (int e = 0; e < entries; ++e) {
            const std::size_t at = bh * entries + e;
            const double s = quest ? double(questPageCodes(h.k.data(), e, P.cfg.pageSize, d, mine.data()))
                                   : labelCodes(&h.k[std::size_t(e) * d], labels[bh], P.cfg.labelBits, mine.data());
            bad[bh] += double(scales[at]) != s;
            for (std::size_t i = 0; i < width; ++i)
                bad[bh] += codes[at * width + i] != mine[i];
        }
    });
    std::size_t total = 0;
    for (std::size_t b : bad)
        total += b;
    return total;
}
#endif

PointOutcome runSel(const PointContext &ctx)
{
    PointOutcome outcome;
    const SelPoint P = selPoint(ctx.params);
    const int d = P.headDim, L = P.kvLen, group = P.qHeads / P.kvHeads;
    const std::size_t heads = std::size_t(P.batch) * P.kvHeads, outElems = std::size_t(P.batch) * P.qHeads * d;
    const double scale = 1.0 / std::sqrt(double(d));
    const KvSelectInputs in = makeKvSelectInputs(P.inputs, P.batch, P.qHeads, P.kvHeads, L, d, P.obsWindow, ctx.seed);

    // CPU: each head's calibration labels, the policy's selection and scores (the GPU top-k
    // runs on these scores for the observation-based policies), full and sparse attention.
    std::vector<std::vector<int>> labels(heads), cpuSel(heads);
    std::vector<float> scores;
    const bool observed =
        P.cfg.policy == KvPolicy::H2O || P.cfg.policy == KvPolicy::Tova || P.cfg.policy == KvPolicy::SnapKV;
    const int scored = (P.cfg.policy == KvPolicy::H2O || P.cfg.policy == KvPolicy::SnapKV) ? L - P.cfg.window : L;
    if (observed)
        scores.resize(heads * scored);
    std::vector<double> full(outElems), sparse(outElems);
    std::vector<double> mass(heads);
    const auto t0 = std::chrono::steady_clock::now();
    parallelTasks(heads, [&](std::size_t bh) {
        const HeadData h = headData(in, P, bh);
        const KvHeadView view{h.q.data(), group, h.obs.data(), group * P.obsWindow, h.k.data(), L, d};
        if (P.cfg.policy == KvPolicy::DoubleSparsity)
            labels[bh] = labelChannels(view, P.cfg.labelChannels);
        if (observed) {
            const auto s = selectionScores(P.cfg, view, labels[bh]);
            for (int j = 0; j < scored; ++j)
                scores[bh * scored + j] = float(s[j]);
        }
        cpuSel[bh] = ctx.variant == "full" ? std::vector<int>() : selectTokens(P.cfg, view, labels[bh]);
        if (ctx.variant == "full") {
            cpuSel[bh].resize(L);
            for (int j = 0; j < L; ++j)
                cpuSel[bh][j] = j;
        }
        mass[bh] =
            sparseDecodeFloat64(view, h.v.data(), cpuSel[bh], scale, &sparse[bh * group * d], &full[bh * group * d]);
    });
    const double cpuMs = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();

    std::vector<double> out = sparse, sim = sparse;
    std::vector<double> times{cpuMs};
    double selectMs = -1, scoreMs = -1, metadataMs = -1, attendMs = -1, agreement = 1;
    std::size_t codeMismatches = 0;
    bool codesChecked = false;
    int count = int(cpuSel[0].size()), splits = 0;
    double massUsed = 0;
    for (double m : mass)
        massUsed += m;
    if (ctx.variant != "cpu") {
#ifdef PAPERLAB_KERNELS_HAVE_CUDA
        std::vector<std::uint16_t> gout;
        if (ctx.variant == "full") {
            cuda::GpuAttentionJob job =
                cuda::fp16DecodeJob(P.batch, P.qHeads, P.kvHeads, L, d, in.q.data(), in.k.data(), in.v.data());
            copyRunSettings(ctx, job);
            cuda::GpuAttentionResult g = cuda::runFlashDecodingGpu(job);
            if (g.error) {
                outcome.error = g.error;
                return outcome;
            }
            times = std::move(g.timesMs);
            splits = g.numSplitsUsed;
            gout = std::move(g.output);
        } else {
            std::vector<int> flatLabels;
            for (const auto &l : labels)
                flatLabels.insert(flatLabels.end(), l.begin(), l.end());
            cuda::GpuKvSelectJob job;
            job.batch = P.batch;
            job.qHeads = P.qHeads;
            job.kvHeads = P.kvHeads;
            job.kvLen = L;
            job.headDim = d;
            job.config = P.cfg;
            job.q = in.q.data();
            job.k = in.k.data();
            job.v = in.v.data();
            job.scores = scores.empty() ? nullptr : scores.data();
            job.scoredTokens = scored;
            job.labels = flatLabels.empty() ? nullptr : flatLabels.data();
            copyRunSettings(ctx, job);
            cuda::GpuKvSelectResult g = cuda::runKvSelectDecodeGpu(job);
            if (g.error) {
                outcome.error = g.error;
                return outcome;
            }
            times = std::move(g.timesMs);
            selectMs = g.selectMs;
            scoreMs = g.scoreMs;
            metadataMs = g.metadataMs;
            attendMs = g.attendMs;
            splits = g.numSplitsUsed;
            count = g.count;
            gout = std::move(g.output);
            if (!g.metadataCodes.empty()) {
                codesChecked = true;
                codeMismatches = metadataMismatches(in, P, labels, g.metadataCodes, g.metadataScales);
            }
            // The GPU's own selection: float64 attention over it (the check), its mass, and
            // its overlap with the CPU's float64 choice (near-ties may differ).
            double common = 0, total = 0;
            massUsed = 0;
            std::vector<double> fullAgain(outElems);
            parallelTasks(heads, [&](std::size_t bh) {
                std::vector<int> sel(g.index.begin() + bh * g.count, g.index.begin() + (bh + 1) * g.count);
                std::sort(sel.begin(), sel.end());
                const HeadData h = headData(in, P, bh);
                const KvHeadView view{h.q.data(), group, h.obs.data(), group * P.obsWindow, h.k.data(), L, d};
                mass[bh] =
                    sparseDecodeFloat64(view, h.v.data(), sel, scale, &sim[bh * group * d], &fullAgain[bh * group * d]);
            });
            for (std::size_t bh = 0; bh < heads; ++bh) {
                std::vector<int> sel(g.index.begin() + bh * g.count, g.index.begin() + (bh + 1) * g.count);
                std::sort(sel.begin(), sel.end());
                std::vector<int> both;
                std::set_intersection(sel.begin(), sel.end(), cpuSel[bh].begin(), cpuSel[bh].end(),
                                      std::back_inserter(both));
                common += double(both.size());
                total += double(cpuSel[bh].size());
                massUsed += mass[bh];
            }
            agreement = total > 0 ? common / total : 1;
        }
        out.resize(gout.size());
        for (std::size_t e = 0; e < out.size(); ++e)
            out[e] = f16ToFloat(gout[e]);
        if (ctx.variant == "full")
            sim = full;
#else
        outcome.error = RunError{ErrorCode::NoDevice, "device", "no CUDA device: this runner was built without CUDA"};
        return outcome;
#endif
    }
    std::size_t unwritten = 0;
    for (double x : out)
        unwritten += std::isfinite(x) ? 0 : 1;
    const ExtendedAccuracy acc = compareExtended(out.data(), full.data(), full.size());
    const ExtendedAccuracy accSim = compareExtended(out.data(), sim.data(), sim.size());
    const double ms = median(times);
    outcome.timesMs = times;
    const double attnBytes = double(heads) * count * d * 2.0 * 2.0;
    outcome.metrics = {
        {"time_ms", ms, "ms"},
        {"gbps", attnBytes / (ms * 1e-3) / 1e9, "GB/s"},
        {"selected", double(count), "tokens"},
        {"keep_ratio_used", double(count) / L, ""},
        {"mass_recall", massUsed / (double(heads) * group), ""},
        {"rel_l2", acc.relL2, ""},
        {"cosine", acc.cosine, ""},
        {"sim_rel_l2", accSim.relL2, ""},
        {"unwritten", double(unwritten), "elements"},
    };
    if (selectMs >= 0) {
        outcome.metrics.push_back({"select_ms", selectMs, "ms"});
        outcome.metrics.push_back({"score_ms", scoreMs, "ms"});
        outcome.metrics.push_back({"score_share", scoreMs / ms, ""});
        outcome.metrics.push_back({"metadata_ms", metadataMs, "ms"});
        // What the selection adds to a step: the step against the decode alone on its index.
        if (attendMs > 0) {
            outcome.metrics.push_back({"attend_ms", attendMs, "ms"});
            outcome.metrics.push_back({"select_added_share", (ms - attendMs) / ms, ""});
        }
        outcome.metrics.push_back({"agreement", agreement, ""});
    }
    if (splits > 0)
        outcome.metrics.push_back({"num_splits", double(splits), ""});
    if (P.cfg.policy == KvPolicy::Quest || P.cfg.policy == KvPolicy::DoubleSparsity)
        outcome.metrics.push_back({"metadata_bytes", double(heads) * selectionMetadataBytes(P.cfg, L, d), "B"});
    if (codesChecked)
        outcome.metrics.push_back({"metadata_mismatches", double(codeMismatches), ""});
    outcome.error = decodeOutputCheck(unwritten, accSim.relL2, kSimRelL2Limit, "the same selection");
    if (!outcome.error && codeMismatches > 0)
        outcome.error =
            RunError{ErrorCode::AccuracyCheckFailed, P.cfg.policy == KvPolicy::Quest ? "bounds_bits" : "label_bits",
                     "the GPU's 8-bit metadata differs from the float64 reference's in " +
                         std::to_string(codeMismatches) + " codes or scales"};
    // The GPU chooses in float32 from the same scores: only near-ties may differ from float64.
    if (!outcome.error && agreement < kMinAgreement)
        outcome.error =
            RunError{ErrorCode::AccuracyCheckFailed, "",
                     "the GPU kept only " + std::to_string(agreement) + " of the tokens the float64 reference selects"};
    return outcome;
}

} // namespace

KernelSpec makeKvSelectSpec()
{
    KernelSpec k;
    k.id = "kv_select_decode";
    k.displayName = "KV selection (StreamingLLM, H2O, TOVA, SnapKV, Quest, Double Sparsity)";
    k.paperKeys = {
        "2309.17453 Efficient Streaming Language Models with Attention Sinks",
        "2306.14048 H2O: Heavy-Hitter Oracle for Efficient Generative Inference of Large Language Models",
        "2401.06104 Transformers are Multi-State RNNs",
        "2404.14469 SnapKV: LLM Knows What You are Looking for Before Generation",
        "2406.10774 Quest: Query-Aware Sparsity for Efficient Long-Context LLM Inference",
        "2408.07092 Post-Training Sparse Attention with Double Sparsity",
    };
    k.description = "Decode attention over a budget of cached tokens chosen by a policy: attention sinks plus a recent "
                    "window (StreamingLLM), heavy hitters by accumulated attention (H2O), the latest query's attention "
                    "(TOVA), observation-window votes with pooling (SnapKV), query-aware page bounds from per-page key "
                    "min/max (Quest), or q.k over a few label channels (Double Sparsity). One sparse split-KV kernel "
                    "gathers the chosen rows; accuracy is measured against full attention on the same inputs.";
    using T = ParamType;
    k.params = {
        {"batch", T::Int, "1", 1, 1024, {}, "", "Sequences being decoded"},
        {"kv_len", T::Int, "4096", 16, 1 << 20, {}, "tokens", "Length of the KV cache"},
        {"q_heads", T::Int, "32", 1, 256, {}, "", "Query heads (one new token each)"},
        {"kv_heads", T::Int, "8", 1, 256, {}, "", "Key/value heads (grouped-query attention)"},
        {"head_dim", T::Int, "128", 0, 0, {"128"}, "", "Head dimension"},
        {"policy",
         T::Choice,
         "quest",
         0,
         0,
         {"streaming", "h2o", "tova", "snapkv", "quest", "double_sparsity"},
         "",
         "Which paper's selection rule"},
        {"budget", T::Int, "0", 0, 1 << 20, {}, "tokens", "Tokens attended per step; 0 = keep_ratio x kv_len", "auto"},
        {"keep_ratio", T::Float, "0.125", 0.001, 1.0, {}, "", "Share of the cache attended when budget is 0"},
        {"page_size", T::Int, "16", 1, 4096, {}, "tokens", "Quest: tokens per page (must divide kv_len)"},
        {"window", T::Int, "64", 1, 1 << 20, {}, "tokens", "H2O, SnapKV: most recent tokens always kept"},
        {"sinks", T::Int, "4", 0, 4096, {}, "tokens", "StreamingLLM: first tokens always kept"},
        {"pool", T::Int, "7", 1, 63, {}, "tokens", "SnapKV: average-pooling width of the votes"},
        {"label_channels", T::Int, "16", 0, 0, {"16"}, "", "Double Sparsity: channels in the label cache"},
        {"bounds_bits",
         T::Int,
         "16",
         0,
         0,
         {"16", "8"},
         "bits",
         "Quest: page bounds as fp16, or 8-bit codes with a scale per page (min rounded down, max up: "
         "still an upper bound)"},
        {"label_bits",
         T::Int,
         "16",
         0,
         0,
         {"16", "8", "4"},
         "bits",
         "Double Sparsity: label cache as fp16, or 8- or 4-bit codes with a scale per token"},
        {"obs_window",
         T::Int,
         "16",
         1,
         256,
         {},
         "queries",
         "Earlier queries per head (H2O's history, SnapKV's observation window, TOVA's latest)"},
        {"inputs",
         T::Choice,
         "random",
         0,
         0,
         {"random", "heavy", "recency"},
         "",
         "random normal; a few heavy keys (sinks and 32 scattered) on outlier channels; or a recency bias"},
    };
    k.variants = {
        {"sparse", "Selection + sparse decode (ours, CUDA)", DeviceKind::Cuda,
         "The policy's selection on the GPU, then split-KV decode over the gathered rows and the shared combine"},
        {"full", "Full decode (ours, CUDA)", DeviceKind::Cuda, "Flash-Decoding over every token: the baseline"},
        {"cpu", "CPU float64 reference", DeviceKind::Cpu, "The policy in float64 and attention over its selection"},
    };
    k.metrics = {
        {"time_ms", "Median decode step (selection included)", "ms"},
        {"gbps", "K/V bytes of the selected tokens per second", "GB/s"},
        {"selected", "Tokens attended per KV head", "tokens"},
        {"keep_ratio_used", "Selected share of the cache", ""},
        {"mass_recall", "Share of the full attention mass on the selected tokens (mean over rows)", ""},
        {"rel_l2", "Relative L2 error vs float64 full attention", ""},
        {"cosine", "Cosine similarity vs float64 full attention", ""},
        {"sim_rel_l2", "Relative L2 error vs float64 attention over the same selection", ""},
        {"unwritten", "Output elements left unwritten (poisoned) or non-finite", "elements"},
        {"select_ms", "Selection alone (scoring and top-k)", "ms"},
        {"score_ms", "Scoring alone (Quest page bounds, Double Sparsity label dots)", "ms"},
        {"score_share", "Scoring time / step time", ""},
        {"metadata_ms", "Page min/max or label cache, built once per cache", "ms"},
        {"metadata_bytes", "Bytes of page bounds or label cache a step reads", "B"},
        {"metadata_mismatches", "8-bit codes or scales the GPU built differently from the reference", ""},
        {"agreement", "Share of the float64 selection that the GPU also selected", ""},
        {"num_splits", "KV splits used", ""},
    };
    k.speedMetric = "gbps";
    k.checkParams = checkSel;
    k.runPoint = runSel;
    return k;
}

} // namespace paperlab::kernels
