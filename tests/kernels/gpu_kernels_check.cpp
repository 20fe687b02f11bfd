// GPU check (CTest label "gpu"): every CUDA variant of the attention kernels on a few shapes
// (FlashAttention, Flash-Decoding, SageAttention's sage_tma, block-sparse sparse_tma), each
// point checked against float64 by the library itself (poisoned output, rel L2 limit). Plain
// C++ because the GPU machine has no Qt. Exit 77 (skip) when there is no CUDA device.
#include "core/devices.h"
#include "core/run_executor.h"
#include "gpu_check_run.h"

#include <cstdio>

using namespace paperlab::kernels;

namespace {

int failures = 0;

void check(const std::string &kernel, std::map<std::string, std::string> fixed, Sweep sweep)
{
    RunRequest r;
    r.kernel = kernel;
    r.fixed = std::move(fixed);
    r.sweep = std::move(sweep);
    r.device = "cuda:0";
    r.repetitions = 3;
    r.warmup = 1;
    PreparedRun run;
    if (auto err = prepareRun(r, run)) {
        std::printf("FAIL %s: %s\n", kernel.c_str(), err->message.c_str());
        ++failures;
        return;
    }
    CancelToken cancel;
    RunCallbacks cb;
    cb.point = [&](const PointResult &p) {
        double rel = -1, ms = -1;
        for (const auto &m : p.metrics) {
            if (m.id == "rel_l2")
                rel = m.value;
            if (m.id == "time_ms")
                ms = m.value;
        }
        std::string shape;
        for (const auto &[k, v] : p.params.values())
            shape += k + "=" + v + " ";
        std::printf("%s %s %-9s rel_l2=%.2e time=%.3fms  %s%s\n", p.error ? "FAIL" : "ok  ", kernel.c_str(),
                    p.variant.c_str(), rel, ms, shape.c_str(), p.error ? p.error->message.c_str() : "");
        if (p.error)
            ++failures;
    };
    executeRun(run, cb, cancel);
}

} // namespace

int main()
{
    if (!gpucheck::announceDevice())
        return gpucheck::kSkipped;
    for (std::string dtype : {"fp16", "bf16"})
        for (std::string hd : {"64", "128"})
            for (std::string causal : {"false", "true"})
                check("flash_attention",
                      {{"batch", "2"},
                       {"q_heads", "4"},
                       {"kv_heads", "2"},
                       {"head_dim", hd},
                       {"causal", causal},
                       {"dtype", dtype}},
                      Sweep{"seq_len", {"1", "77", "256", "1000"}});
    for (std::string dtype : {"fp16", "bf16"})
        check("flash_decoding", {{"batch", "3"}, {"dtype", dtype}, {"q_len", "2"}},
              Sweep{"kv_len", {"1", "100", "4096", "70000"}});
    check("flash_decoding", {{"batch", "2"}, {"head_dim", "64"}, {"q_heads", "16"}, {"kv_heads", "16"}},
          Sweep{"kv_len", {"33", "5000"}});
    // SageAttention on the Hopper pipeline (sage_tma, hd 128 only): lengths that are not tile
    // multiples (1, 77, 1000) and a long one, GQA 4:1, causal and not; each point checked
    // against the float64 simulation of its own numerics (sim_rel_l2) over a NaN-poisoned output.
    const std::vector<std::string> sageShown = {"sim_rel_l2", "cosine", "time_ms", "attn_ms"};
    for (std::string causal : {"false", "true"})
        gpucheck::check("sage_attention",
                        {{"batch", "2"}, {"q_heads", "4"}, {"kv_heads", "1"}, {"head_dim", "128"}, {"causal", causal}},
                        Sweep{"seq_len", {"1", "77", "1000", "4096"}}, {"sage_tma"}, sageShown);
    // Keys with a channel offset of 10: what smoothing is for (cosine stays near 1).
    gpucheck::check(
        "sage_attention",
        {{"batch", "2"}, {"q_heads", "4"}, {"kv_heads", "1"}, {"head_dim", "128"}, {"k_channel_offset", "10"}},
        Sweep{"causal", {"false", "true"}}, {"sage_tma"}, sageShown);
    // Block-sparse on the Hopper pipeline: both selectors, GQA 4:1, both head dims; each point
    // checks the GPU's kept-block lists against the CPU conversion and the output against
    // float64 with the GPU's own mask.
    for (std::string sel : {"moba", "xattention"})
        for (std::string hd : {"64", "128"})
            for (std::string causal : {"false", "true"})
                gpucheck::check("block_sparse_attention",
                                {{"batch", "2"},
                                 {"q_heads", "8"},
                                 {"kv_heads", "2"},
                                 {"head_dim", hd},
                                 {"causal", causal},
                                 {"selector", sel},
                                 {"block_size", "128"},
                                 {"top_k", "3"},
                                 {"threshold", "0.8"}},
                                Sweep{"seq_len", {"256", "1024", "4096"}}, {"sparse_tma"},
                                {"masked_rel_l2", "density", "time_ms", "attn_ms"});
    failures += gpucheck::failures;
    std::printf("%s: %d failure(s)\n", failures ? "FAILED" : "PASSED", failures);
    return failures ? 1 : 0;
}
