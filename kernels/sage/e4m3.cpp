#include "sage/e4m3.h"

#include <algorithm>
#include <cmath>

namespace paperlab::kernels {

double roundToE4m3(double x)
{
    if (std::isnan(x) || x == 0)
        return x;
    const double a = std::abs(x);
    int exp = 0;
    std::frexp(a, &exp); // a = f * 2^exp, f in [0.5, 1): the binade is 2^(exp-1)
    // Three mantissa bits: the step is 2^(e-3) in binade 2^e; below 2^-6 the step stays
    // 2^-9 (subnormals). Dividing by a power of two is exact, and nearbyint in the default
    // rounding mode is round-half-to-even.
    const int binade = std::max(exp - 1, -6);
    const double step = std::ldexp(1.0, binade - 3);
    const double r = std::min(std::nearbyint(a / step) * step, kE4m3Max);
    return std::copysign(r, x);
}

} // namespace paperlab::kernels
