// Describes a kernel to the outside world (playground UI, runner --list, protocol):
// what it computes, which papers it implements, its parameters, variants and metrics.
// Plain data plus two hooks; no Qt, no CUDA headers.
#pragma once

#include "core/param_set.h"
#include "core/run_types.h"

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace paperlab::kernels {

enum class ParamType { Int, Float, Bool, Choice };

struct ParamSpec {
    std::string name;
    ParamType type = ParamType::Int;
    std::string defaultValue;
    double minValue = 0;              // inclusive; used for Int and Float
    double maxValue = 0;              // inclusive; used for Int and Float
    std::vector<std::string> choices; // Choice, or an Int restricted to listed values
    std::string unit;
    std::string description;
    // What 0 stands for when it is not a count ("auto", "same as q_heads"): the form shows
    // these words instead of a bare 0. Empty: 0 is a plain number.
    std::string zeroMeans = {};
};

enum class DeviceKind { Cpu, Cuda };

struct VariantSpec {
    std::string id;
    std::string displayName;
    DeviceKind device = DeviceKind::Cuda;
    std::string description;
    // Set for variants that need something beyond this runner (PyTorch, FlashInfer on the
    // host): empty when they can run here, else why not. Asked when kernels are listed.
    std::function<std::string()> unavailableReason;
    std::string unavailable() const { return unavailableReason ? unavailableReason() : std::string(); }
    // The papers this variant implements when they are not the kernel's own ("ARXIVID Title",
    // as KernelSpec::paperKeys): FlashAttention-3's method is the flash_tma variant of the
    // FlashAttention kernel, so that paper's playground opens on the kernel with it chosen.
    std::vector<std::string> paperKeys = {};
};

struct MetricSpec {
    std::string id;
    std::string displayName;
    std::string unit;
};

struct PointContext;

struct KernelSpec {
    std::string id;
    std::string displayName;
    // The papers it implements, by identity rather than by any library's key: "ARXIVID
    // Title" ("2307.08691 FlashAttention-2: Faster ..."), the title alone for a paper
    // without one. The catalog finds them by arXiv id, then title (catalog/paperreference.h),
    // so a library keying FlashAttention-2 "FA2" still gets its kernel.
    std::vector<std::string> paperKeys;
    std::string description;
    std::vector<ParamSpec> params;
    std::vector<VariantSpec> variants;
    std::vector<MetricSpec> metrics;
    // The metric its speed is judged by (a metrics id): "tflops" when compute-bound, "gbps"
    // when it streams memory (decoding reads the KV cache). Empty: time_ms.
    std::string speedMetric;

    // Checks relations between parameters (each value alone is already valid).
    std::function<std::optional<RunError>(const ParamSet &)> checkParams;
    // Bytes one point of `variant` needs on the host and on the device (inputs, outputs, the
    // reference's copy, workspaces), so that a point that cannot fit is refused before
    // anything is allocated. Unset: no estimate (a failed allocation is still out_of_memory).
    std::function<MemoryNeed(const ParamSet &, const std::string &variant)> memoryNeeded;
    // Runs one point of one variant. Must not throw; failures come back in the outcome.
    std::function<PointOutcome(const PointContext &)> runPoint;

    const ParamSpec *findParam(const std::string &name) const;
    const VariantSpec *findVariant(const std::string &variantId) const;
};

const char *paramTypeName(ParamType type);
const char *deviceKindName(DeviceKind kind);

} // namespace paperlab::kernels
