// Fresh random-normal inputs, rounded to the kernel's dtype (never zeros: zeros hide
// unwritten outputs and wrong indexing, and can time faster than real data).
#pragma once

#include "core/half_bits.h"

#include <cstdint>
#include <vector>

namespace paperlab::kernels {

// Deterministic for a given seed, parallel over chunks so 100M-element inputs stay quick.
std::vector<std::uint16_t> randomNormalBits(std::size_t n, DType dtype, std::uint64_t seed);

} // namespace paperlab::kernels
