// What each SageAttention variant computes (the quantisation granularity its float64
// simulation must use) and what the Hopper variant, sage_tma, is not built for. Plain C++:
// the spec checks before any GPU work, the CUDA entry checks again for direct callers.
#pragma once

#include "core/run_types.h"
#include "sage/sage_reference.h"

#include <optional>
#include <string>

namespace paperlab::kernels {

inline constexpr const char *kSageTmaVariant = "sage_tma";

// The development version sage_tma ships, in one place: the dev entry's version bits and
// whether that version rounds P and V to FP8 e4m3 before P·V. Sage v16 (kernels/NOTES.md:
// INT8 QK^T, FP8 P·V, integer-domain softmax with 2 of 8 exponentials on the FMA pipe, row
// sums on the tensor cores, three K/V stages, non-causal grid query-tile fastest; the fastest
// end to end in the final run, RESULTS.md) through paperlab_dev_sage_fp8_forward. Change them
// together: the simulation sim_rel_l2 checks against follows the second,
// sage/sage_tma_gpu.cu's sageTmaForward the first (and picks the entry by it).
inline constexpr int kSageTmaVersionBits = 4 | 16 | 192;
inline constexpr bool kSageTmaFp8PV = true;

// The simulation options of `variant` for the granularity and smoothing asked for: per token
// is one scale per row everywhere; per block is 64 rows of Q and K for the mma.sync kernels
// and the CPU simulation, 64 rows of Q and 128-key tiles of K for sage_tma.
SageOptions sageOptionsFor(const std::string &variant, bool perToken, bool smoothK);

// Why sage_tma cannot run this point (the parameter named, and which variant can), or none.
std::optional<RunError> sageTmaRefusal(const AttentionShape &s, bool perToken, bool smoothK);

} // namespace paperlab::kernels
