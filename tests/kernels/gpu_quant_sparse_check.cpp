// GPU check for the quantised and sparse kernels (CTest label "gpu"): SageAttention, KIVI/SKVQ decode and
// block-sparse attention on small, awkward shapes (lengths that are not tile multiples, GQA,
// both head dims), every point checked by the library itself (poisoned outputs; the kernel
// against a float64 simulation of the same algorithm). Exit 77 (skip) without a device.
#include "core/devices.h"
#include "core/run_executor.h"
#include "gpu_check_run.h"

#include <cstdio>

using namespace paperlab::kernels;

namespace {

const std::vector<std::string> kShown = {"sim_rel_l2", "masked_rel_l2", "cosine",
                                         "time_ms",    "density",       "mask_agreement"};

void check(const std::string &kernel, const std::map<std::string, std::string> &fixed, const Sweep &sweep,
           const std::vector<std::string> &variants)
{
    gpucheck::check(kernel, fixed, sweep, variants, kShown);
}

} // namespace

int main()
{
    if (!gpucheck::announceDevice())
        return gpucheck::kSkipped;
    for (const char *hd : {"64", "128"})
        for (const char *causal : {"false", "true"})
            for (const char *gran : {"per_block", "per_token"})
                check("sage_attention",
                      {{"batch", "2"},
                       {"q_heads", "4"},
                       {"kv_heads", "2"},
                       {"head_dim", hd},
                       {"causal", causal},
                       {"granularity", gran}},
                      {"seq_len", {"77", "300"}}, {"sage"});
    check("sage_attention", {{"seq_len", "512"}, {"k_channel_offset", "10"}, {"head_dim", "128"}},
          {"smooth_k", {"true", "false"}}, {"sage"});

    for (const char *hd : {"64", "128"})
        for (const char *method : {"kivi", "skvq"})
            for (const char *bits : {"2", "4"})
                check("kv_quant_decode",
                      {{"batch", "2"},
                       {"q_heads", "8"},
                       {"kv_heads", "2"},
                       {"head_dim", hd},
                       {"method", method},
                       {"bits", bits},
                       {"group_size", "32"},
                       {"residual", "100"}},
                      {"kv_len", {"50", "1000", "4133"}}, {"quant_v1"});
    check("kv_quant_decode", {{"kv_len", "3000"}, {"group_size", "128"}}, {"num_splits", {"1", "0"}},
          {"quant_v1", "fp16_v1"});

    for (const char *hd : {"64", "128"})
        for (const char *causal : {"true", "false"})
            for (const char *sel : {"moba", "xattention"})
                check("block_sparse_attention",
                      {{"batch", "2"},
                       {"q_heads", "4"},
                       {"kv_heads", "2"},
                       {"head_dim", hd},
                       {"causal", causal},
                       {"selector", sel},
                       {"top_k", "3"},
                       {"threshold", "0.8"}},
                      {"block_size", {"64", "128"}}, {"sparse"});
    check("block_sparse_attention", {{"seq_len", "1024"}}, {"causal", {"true", "false"}}, {"dense"});

    std::printf("%d points, %d failures\n", gpucheck::points, gpucheck::failures);
    return gpucheck::failures ? 1 : 0;
}
