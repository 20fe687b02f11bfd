// What the block-sparse Hopper pipeline (variant sparse_tma) accepts, checked before any GPU
// work so a refusal names the parameter, on a machine with or without CUDA.
#pragma once

#include "core/run_types.h"
#include "sparse/block_sparse_reference.h"

#include <optional>

namespace paperlab::kernels {

// nullopt when sparse_tma can run this shape and selection; otherwise the parameter error.
// The device (sm_90a) is checked where the kernel is launched.
std::optional<RunError> sparseTmaRefusal(const AttentionShape &s, const SparseConfig &c, DType dtype);

} // namespace paperlab::kernels
