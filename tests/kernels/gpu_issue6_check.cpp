// GPU check for the issue-6 kernels (CTest label "gpu"): SageAttention, KIVI/SKVQ decode and
// block-sparse attention on small, awkward shapes (lengths that are not tile multiples, GQA,
// both head dims), every point checked by the library itself (poisoned outputs; the kernel
// against a float64 simulation of the same algorithm). Exit 77 (skip) without a device.
#include "core/devices.h"
#include "core/run_executor.h"

#include <cstdio>

using namespace paperlab::kernels;

namespace {

int failures = 0, points = 0;

void check(const std::string& kernel, const std::map<std::string, std::string>& fixed, const Sweep& sweep,
           const std::vector<std::string>& variants)
{
    RunRequest r;
    r.kernel = kernel;
    r.fixed = fixed;
    r.sweep = sweep;
    r.variants = variants;
    r.device = "cuda:0";
    r.repetitions = 2;
    r.warmup = 1;
    PreparedRun run;
    if (auto err = prepareRun(r, run)) {
        std::printf("FAIL %s: %s\n", kernel.c_str(), err->message.c_str());
        ++failures;
        return;
    }
    CancelToken cancel;
    RunCallbacks cb;
    cb.point = [&](const PointResult& p) {
        ++points;
        std::string shown;
        for (const auto& m : p.metrics)
            if (m.id == "sim_rel_l2" || m.id == "masked_rel_l2" || m.id == "cosine" || m.id == "time_ms" ||
                m.id == "density" || m.id == "mask_agreement")
                shown += m.id + "=" + std::to_string(m.value) + " ";
        std::string given;
        for (const auto& [k, v] : fixed)
            given += k + "=" + v + " ";
        if (!p.sweepParam.empty())
            given += p.sweepParam + "=" + p.sweepValue;
        std::printf("%s %s %-7s %s| %s %s\n", p.error ? "FAIL" : "ok  ", kernel.c_str(), p.variant.c_str(),
                    shown.c_str(), given.c_str(), p.error ? p.error->message.c_str() : "");
        if (p.error)
            ++failures;
    };
    executeRun(run, cb, cancel);
}

}  // namespace

int main()
{
    DeviceReport devices = listDevices();
    if (devices.cudaDeviceCount() == 0) {
        std::printf("skipped: %s\n", devices.note.c_str());
        return 77;
    }
    std::printf("device: %s\n", devices.devices[1].name.c_str());
    for (const char* hd : {"64", "128"})
        for (const char* causal : {"false", "true"})
            for (const char* gran : {"per_block", "per_token"})
                check("sage_attention",
                      {{"batch", "2"}, {"q_heads", "4"}, {"kv_heads", "2"}, {"head_dim", hd}, {"causal", causal},
                       {"granularity", gran}},
                      {"seq_len", {"77", "300"}}, {"sage"});
    check("sage_attention", {{"seq_len", "512"}, {"k_channel_offset", "10"}, {"head_dim", "128"}},
          {"smooth_k", {"true", "false"}}, {"sage"});

    for (const char* hd : {"64", "128"})
        for (const char* method : {"kivi", "skvq"})
            for (const char* bits : {"2", "4"})
                check("kv_quant_decode",
                      {{"batch", "2"}, {"q_heads", "8"}, {"kv_heads", "2"}, {"head_dim", hd}, {"method", method},
                       {"bits", bits}, {"group_size", "32"}, {"residual", "100"}},
                      {"kv_len", {"50", "1000", "4133"}}, {"quant"});
    check("kv_quant_decode", {{"kv_len", "3000"}, {"group_size", "128"}}, {"num_splits", {"1", "0"}},
          {"quant", "fp16"});

    for (const char* hd : {"64", "128"})
        for (const char* causal : {"true", "false"})
            for (const char* sel : {"moba", "xattention"})
                check("block_sparse_attention",
                      {{"batch", "2"}, {"q_heads", "4"}, {"kv_heads", "2"}, {"head_dim", hd}, {"causal", causal},
                       {"selector", sel}, {"top_k", "3"}, {"threshold", "0.8"}},
                      {"block_size", {"64", "128"}}, {"sparse"});
    check("block_sparse_attention", {{"seq_len", "1024"}}, {"causal", {"true", "false"}}, {"dense"});

    std::printf("%d points, %d failures\n", points, failures);
    return failures ? 1 : 0;
}
