// One measured point of an attention kernel: fresh inputs, run the chosen variant,
// time it, check it against float64, and turn that into metrics.
#pragma once

#include "core/kernel_spec.h"
#include "reference/attention_reference.h"

#include <functional>

namespace paperlab::kernels {

struct AttentionPoint {
    AttentionShape shape;
    DType dtype = DType::F16;
    int numSplits = 0; // passed through to Flash-Decoding
};

// Baseline: PyTorch SDPA or FlashInfer through the baseline helper, named by the
// variant id (baselines/torch_helper.h).
enum class AttentionVariant { CpuReference, Flash, FlashTma, Naive, Decoding, Baseline };

// The baseline variants an attention kernel offers beside its own (PyTorch SDPA's flash,
// cuDNN and efficient backends, FlashInfer), each unavailable with the reason where the
// host lacks them.
std::vector<VariantSpec> attentionBaselineVariants();
bool isBaselineVariant(const std::string &variantId);

PointOutcome runAttentionPoint(const PointContext &ctx, const AttentionPoint &point, AttentionVariant variant);

std::vector<MetricSpec> attentionMetrics();

// Host and device bytes of one point: the 2-byte inputs on the host (and the float64
// output of the CPU reference), inputs, output and workspaces on the device (the naive
// variant's fp32 score matrix, Flash-Decoding's per-split partials).
MemoryNeed attentionMemoryNeed(const AttentionPoint &point, AttentionVariant variant);

double attentionFlops(const AttentionShape &s); // 4*b*h*sq*sk*d, halved when causal
double attentionBytes(const AttentionShape &s); // Q, K, V read once, O written once (2-byte types)

} // namespace paperlab::kernels
