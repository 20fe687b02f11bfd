#include "attention/attention_params.h"

namespace paperlab::kernels {

std::vector<ParamSpec> attentionForwardShapeParams()
{
    using T = ParamType;
    return {
        {"batch", T::Int, "2", 1, 4096, {}, "", "Sequences per batch (ignored when tokens > 0)"},
        {"q_heads", T::Int, "4", 1, 256, {}, "", "Query heads (ignored when model_dim > 0)"},
        {"kv_heads",
         T::Int,
         "0",
         0,
         256,
         {},
         "",
         "Key/value heads; 0 = same as query heads (GQA when fewer)",
         "same as q_heads"},
        {"seq_len", T::Int, "256", 1, 131072, {}, "tokens", "Query and key length"},
        {"head_dim", T::Int, "64", 0, 0, {"64", "128"}, "", "Head dimension"},
        {"causal", T::Bool, "false", 0, 0, {}, "", "Causal mask (query i sees keys 0..i)"},
        {"tokens", T::Int, "0", 0, 1 << 24, {}, "tokens", "If > 0: batch = tokens / seq_len", "off"},
        {"model_dim", T::Int, "0", 0, 65536, {}, "", "If > 0: query heads = model_dim / head_dim", "off"},
    };
}

} // namespace paperlab::kernels
