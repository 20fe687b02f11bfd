// Accuracy as the quantized-attention papers report it (SageAttention, KIVI, SKVQ):
// cosine similarity, relative L1 and RMSE, beside relative L2 and max abs.
#pragma once

#include <cstddef>

namespace paperlab::kernels {

struct ExtendedAccuracy {
    double cosine = 1;  // <out, ref> / (||out|| ||ref||)
    double relL1 = 0;   // sum |out - ref| / sum |ref|
    double rmse = 0;    // sqrt(mean (out - ref)^2)
    double relL2 = 0;   // ||out - ref|| / ||ref||
    double maxAbs = 0;  // max |out - ref|
    std::size_t nonFinite = 0;  // NaN/inf in out; every score is then NaN
};

ExtendedAccuracy compareExtended(const double* out, const double* ref, std::size_t n);

}  // namespace paperlab::kernels
