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
    int numSplits = 0;  // passed through to Flash-Decoding
};

enum class AttentionVariant { CpuReference, Flash, FlashTma, Naive, Decoding };

PointOutcome runAttentionPoint(const PointContext& ctx, const AttentionPoint& point, AttentionVariant variant);

std::vector<MetricSpec> attentionMetrics();

double attentionFlops(const AttentionShape& s);  // 4*b*h*sq*sk*d, halved when causal
double attentionBytes(const AttentionShape& s);  // Q, K, V read once, O written once (2-byte types)

}  // namespace paperlab::kernels
