// The shape parameters every dense attention forward kernel takes (FlashAttention,
// SageAttention): one list, so the playground's forms and the runner's checks agree.
#pragma once

#include "core/kernel_spec.h"

#include <vector>

namespace paperlab::kernels {

// batch, q_heads, kv_heads (GQA), seq_len, head_dim, causal, and the tokens / model_dim
// shorthand of FlashAttention's own benchmark (16k tokens per batch, model dim 2048).
std::vector<ParamSpec> attentionForwardShapeParams();

} // namespace paperlab::kernels
