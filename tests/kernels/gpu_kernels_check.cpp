// GPU check (CTest label "gpu"): every CUDA variant of the attention kernels on a few shapes
// (FlashAttention, Flash-Decoding, SageAttention's sage_tma, block-sparse sparse_tma), each
// point checked against float64 by the library itself (poisoned output, rel L2 limit). Plain
// C++ because the GPU machine has no Qt. Exit 77 (skip) when there is no CUDA device.
#include "core/devices.h"
#include "core/run_executor.h"
#include "gpu_check_run.h"

#include <cstdio>

using namespace paperlab::kernels;

int main()
{
    if (!gpucheck::announceDevice())
        return gpucheck::kSkipped;
    // Our variants on awkward shapes (a single key, odd lengths, GQA 4:2); the PyTorch baselines
    // on shapes every SDPA backend takes (they refuse one-token and, the efficient one, GQA
    // inputs: "No available kernel"), so a refusal of theirs is not counted as our failure.
    const std::vector<std::string> shown = {"rel_l2", "time_ms"};
    for (std::string dtype : {"fp16", "bf16"})
        for (std::string hd : {"64", "128"})
            for (std::string causal : {"false", "true"}) {
                gpucheck::check("flash_attention",
                                {{"batch", "2"},
                                 {"q_heads", "4"},
                                 {"kv_heads", "2"},
                                 {"head_dim", hd},
                                 {"causal", causal},
                                 {"dtype", dtype}},
                                Sweep{"seq_len", {"1", "77", "256", "1000"}}, {"flash", "flash_tma", "naive"}, shown);
                gpucheck::check("flash_attention",
                                {{"batch", "2"},
                                 {"q_heads", "4"},
                                 {"kv_heads", "4"},
                                 {"head_dim", hd},
                                 {"causal", causal},
                                 {"dtype", dtype}},
                                Sweep{"seq_len", {"256", "1000"}}, {"torch_flash", "torch_cudnn", "torch_efficient"},
                                shown);
            }
    for (std::string dtype : {"fp16", "bf16"})
        gpucheck::check("flash_decoding", {{"batch", "3"}, {"dtype", dtype}, {"q_len", "2"}},
                        Sweep{"kv_len", {"1", "100", "4096", "70000"}}, {"split", "no_split"}, shown);
    gpucheck::check("flash_decoding", {{"batch", "2"}, {"head_dim", "64"}, {"q_heads", "16"}, {"kv_heads", "16"}},
                    Sweep{"kv_len", {"33", "5000"}}, {}, shown);
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
    std::printf("%s: %d failure(s) in %d points\n", gpucheck::failures ? "FAILED" : "PASSED", gpucheck::failures,
                gpucheck::points);
    return gpucheck::failures ? 1 : 0;
}
