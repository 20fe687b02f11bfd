// GPU check of the decode family (CTest label "gpu"): the fused KIVI and SKVQ decode (2/4/8 bits, cache
// lengths that leave partial records and fp16 windows of every size, 1..8 query heads per KV
// head, forced split counts) and the KV-selection decode (every policy on random and structured
// inputs). Each point is checked by the library itself: poisoned outputs, the GPU against a
// float64 simulation over the same quantized cache or the GPU's own selection, and the GPU's
// close-group record against the CPU quantizer's, byte for byte. Exit 77 (skip) without a device.
#include "core/devices.h"
#include "gpu_check_run.h"

using namespace paperlab::kernels;

namespace {

const std::vector<std::string> kShown = {
    "sim_rel_l2", "rel_l2", "mass_recall", "agreement", "close_group_mismatch", "metadata_mismatches", "time_ms"};

// A selection must be the float64 one (every decision on these inputs is clear of rounding:
// 1.0 at every point so far); a top-k that keeps the wrong entries still passes the output check,
// which is against float64 attention over the GPU's own selection.
const std::map<std::string, double> kFloors = {{"agreement", 0.999}};

void check(const std::string &kernel, const std::map<std::string, std::string> &fixed, const Sweep &sweep,
           const std::vector<std::string> &variants)
{
    gpucheck::check(kernel, fixed, sweep, variants, kShown, kFloors);
}

} // namespace

int main()
{
    if (!gpucheck::announceDevice())
        return gpucheck::kSkipped;
    for (const char *bits : {"2", "4", "8"})
        for (const char *heads : {"8", "32", "64"}) // 1, 4 and 8 query heads per KV head
            check("kv_quant_decode",
                  {{"batch", "2"}, {"q_heads", heads}, {"kv_heads", "8"}, {"bits", bits}, {"residual", "100"}},
                  {"kv_len", {"40", "161", "1000", "4133"}}, {"quant"});
    check("kv_quant_decode", {{"kv_len", "3000"}, {"q_heads", "16"}, {"kv_heads", "2"}, {"residual", "0"}},
          {"num_splits", {"1", "3", "0"}}, {"quant", "fp16"});
    check("kv_quant_decode", {{"kv_len", "2000"}, {"k_channel_offset", "5"}}, {"bits", {"2", "4", "8"}}, {"quant"});
    // SKVQ on the fused kernel: sinks before the records, a window that is not a whole record,
    // per-token K groups over a channel permutation (outlier channels make it non-trivial).
    for (const char *bits : {"2", "4", "8"})
        check("kv_quant_decode",
              {{"method", "skvq"},
               {"batch", "2"},
               {"q_heads", "32"},
               {"kv_heads", "8"},
               {"bits", bits},
               {"sink", "5"},
               {"residual", "100"},
               {"k_channel_offset", "5"}},
              {"kv_len", {"40", "161", "1000", "4133"}}, {"quant"});
    check("kv_quant_decode",
          {{"method", "skvq"}, {"kv_len", "3000"}, {"q_heads", "8"}, {"kv_heads", "8"}, {"sink", "0"}},
          {"num_splits", {"1", "3", "0"}}, {"quant"});

    for (const char *inputs : {"random", "heavy", "recency"})
        check("kv_select_decode",
              {{"batch", "2"}, {"q_heads", "8"}, {"kv_heads", "2"}, {"kv_len", "4096"}, {"inputs", inputs}},
              {"policy", {"streaming", "h2o", "tova", "snapkv", "quest", "double_sparsity"}}, {"sparse"});
    // 128 KV heads (batch 16 x 8): enough to fill the GPU (2 x heads >= SMs; batch 8 was not),
    // so Quest and Double Sparsity score and pick in one kernel per head (with PAPERLAB_TOPK=9
    // Quest's 64 pages by ranking); budgets of two pages, a page short of all, and all.
    for (const char *budget : {"128", "4032", "4096"})
        check("kv_select_decode",
              {{"batch", "16"},
               {"q_heads", "32"},
               {"kv_heads", "8"},
               {"kv_len", "4096"},
               {"page_size", "64"},
               {"budget", budget},
               {"inputs", "heavy"}},
              {"policy", {"h2o", "quest", "double_sparsity"}}, {"sparse"});
    // 8-bit page bounds and label cache: the GPU's codes and scales must be the reference's (the
    // spec compares them one by one), on the per-kernel path (4 KV heads) and the fused one (64).
    for (const char *inputs : {"random", "heavy"}) {
        check("kv_select_decode",
              {{"batch", "2"},
               {"q_heads", "8"},
               {"kv_heads", "2"},
               {"kv_len", "4096"},
               {"inputs", inputs},
               {"bounds_bits", "8"},
               {"label_bits", "8"}},
              {"policy", {"quest", "double_sparsity"}}, {"sparse"});
        check("kv_select_decode",
              {{"batch", "16"},
               {"q_heads", "32"},
               {"kv_heads", "8"},
               {"kv_len", "4096"},
               {"budget", "512"},
               {"inputs", inputs},
               {"bounds_bits", "8"},
               {"label_bits", "8"}},
              {"policy", {"quest", "double_sparsity"}}, {"sparse"});
        check("kv_select_decode",
              {{"q_heads", "32"},
               {"kv_heads", "8"},
               {"kv_len", "4096"},
               {"budget", "512"},
               {"inputs", inputs},
               {"policy", "double_sparsity"},
               {"label_bits", "4"}},
              {"batch", {"1", "16"}}, {"sparse"});
    }
    // Double Sparsity's fused label scores (128 heads; with PAPERLAB_DS_STAGE=1 staged): one
    // partial stage (1000 keys), a length that is no multiple of 8 (never staged), several
    // stages with a partial last one (5000), for each label width.
    for (const char *bits : {"16", "8", "4"})
        check("kv_select_decode",
              {{"batch", "16"},
               {"q_heads", "32"},
               {"kv_heads", "8"},
               {"budget", "300"},
               {"policy", "double_sparsity"},
               {"label_bits", bits}},
              {"kv_len", {"1000", "1003", "5000"}}, {"sparse"});
    check("kv_select_decode", {{"kv_len", "3000"}, {"page_size", "8"}, {"policy", "quest"}},
          {"budget", {"8", "1000", "3000"}}, {"sparse"});
    check("kv_select_decode",
          {{"kv_len", "1000"},
           {"q_heads", "16"},
           {"kv_heads", "1"},
           {"policy", "h2o"},
           {"budget", "600"},
           {"page_size", "8"}},
          {"window", {"1", "500"}}, {"sparse", "full"});

    std::printf("%d points, %d failures\n", gpucheck::points, gpucheck::failures);
    return gpucheck::failures ? 1 : 0;
}
