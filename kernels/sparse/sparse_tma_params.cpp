#include "sparse/sparse_tma_params.h"

#include "core/param_validation.h"

namespace paperlab::kernels {

std::optional<RunError> sparseTmaRefusal(const AttentionShape &s, const SparseConfig &c, DType dtype)
{
    // The pipeline's query tile and key tile are both 128 rows: one mask block is one tile.
    if (c.blockSize != 128)
        return badParam("block_size", "sparse_tma walks 128-token blocks");
    if (s.headDim != 64 && s.headDim != 128)
        return badParam("head_dim", "sparse_tma is built for head_dim 64 and 128");
    // The pipeline takes bf16 too, but the GPU selection it shares with `sparse` reads fp16.
    if (dtype != DType::F16)
        return badParam("dtype", "sparse_tma runs fp16 (its block selection reads fp16)");
    // Only here can a non-causal row keep no block, and the pipeline needs one tile per row.
    if (c.selector == BlockSelector::XAttention && !s.causal && !(c.threshold > 0.0))
        return badParam("threshold", "sparse_tma needs threshold > 0 without causal: a query block keeping no "
                                     "key block leaves the pipeline nothing to walk");
    return std::nullopt;
}

} // namespace paperlab::kernels
