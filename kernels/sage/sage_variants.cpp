#include "sage/sage_variants.h"

#include "core/param_validation.h"

namespace paperlab::kernels {

SageOptions sageOptionsFor(const std::string &variant, bool perToken, bool smoothK)
{
    SageOptions o;
    o.smoothK = smoothK;
    if (perToken) {
        o.qGroupRows = o.kGroupRows = 1;
    } else if (variant == kSageTmaVariant) {
        o.kGroupRows = kSageTmaKeyTileRows;
    }
    o.fp8PV = variant == kSageTmaVariant && kSageTmaFp8PV;
    return o;
}

std::optional<RunError> sageTmaRefusal(const AttentionShape &s, bool perToken, bool smoothK)
{
    // The dev pipeline (dev/flash_forward_tma.cu, paperlab_dev_sage_forward) has one
    // instantiation: hd 128, per-block scales, K always smoothed, one length for Q and K.
    if (s.headDim != 128)
        return badParam("head_dim", "sage_tma is built for head_dim 128 only; sage and sage_v1 also run 64");
    if (perToken)
        return badParam(
            "granularity",
            "sage_tma quantises per block (64 query rows, 128-key tiles); per_token runs on sage and sage_v1");
    if (!smoothK)
        return badParam("smooth_k", "sage_tma always smooths K (its pre-pass subtracts the channel means); "
                                    "smooth_k=false runs on sage and sage_v1");
    if (s.seqQ != s.seqK)
        return s.causal ? badParam("causal", "sage_tma's causal mask needs equal query and key lengths")
                        : badParam("seq_len", "sage_tma takes one length for queries and keys");
    return std::nullopt;
}

} // namespace paperlab::kernels
