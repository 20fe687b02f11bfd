// Accuracy and timing statistics shared by every kernel.
#pragma once

#include <cstddef>
#include <vector>

namespace paperlab::kernels {

struct Accuracy {
    double relL2 = 0;          // ||out - ref|| / ||ref||
    double maxAbs = 0;         // max |out - ref|
    double cosine = 1;         // <out, ref> / (||out|| ||ref||)
    std::size_t nonFinite = 0; // NaN/inf in out: unwritten (poisoned) or overflowed elements
};

// out[i] is compared with ref[i]; both have n elements.
Accuracy compareToReference(const double *out, const double *ref, std::size_t n);

double median(std::vector<double> values);

} // namespace paperlab::kernels
