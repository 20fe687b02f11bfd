// Accuracy as the quantized-attention papers report it (SageAttention, KIVI, SKVQ):
// cosine similarity, relative L1 and RMSE, beside relative L2 and max abs.
#pragma once

#include "core/run_types.h"

#include <cstddef>
#include <optional>
#include <string>

namespace paperlab::kernels {

struct ExtendedAccuracy {
    double cosine = 1;         // <out, ref> / (||out|| ||ref||)
    double relL1 = 0;          // sum |out - ref| / sum |ref|
    double rmse = 0;           // sqrt(mean (out - ref)^2)
    double relL2 = 0;          // ||out - ref|| / ||ref||
    double maxAbs = 0;         // max |out - ref|
    std::size_t nonFinite = 0; // NaN/inf in out; every score is then NaN
};

ExtendedAccuracy compareExtended(const double *out, const double *ref, std::size_t n);

// The check every decode variant ends with: no output element left poisoned or non-finite,
// and the relative L2 error against the float64 simulation (`against` says of what) within limit.
std::optional<RunError> decodeOutputCheck(std::size_t unwritten, double simRelL2, double limit,
                                          const std::string &against);

} // namespace paperlab::kernels
