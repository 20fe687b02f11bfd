#include "core/accuracy.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace paperlab::kernels {

Accuracy compareToReference(const double *out, const double *ref, std::size_t n)
{
    Accuracy a;
    double diff2 = 0, ref2 = 0, out2 = 0, dot = 0;
    for (std::size_t i = 0; i < n; ++i) {
        if (!std::isfinite(out[i])) {
            ++a.nonFinite;
            continue;
        }
        double d = out[i] - ref[i];
        diff2 += d * d;
        ref2 += ref[i] * ref[i];
        out2 += out[i] * out[i];
        dot += out[i] * ref[i];
        a.maxAbs = std::max(a.maxAbs, std::abs(d));
    }
    if (a.nonFinite) {
        // An unwritten element makes the whole result wrong: never report a clean score.
        const double nan = std::numeric_limits<double>::quiet_NaN();
        a.relL2 = a.maxAbs = a.cosine = nan;
        return a;
    }
    a.relL2 = ref2 > 0 ? std::sqrt(diff2 / ref2) : std::sqrt(diff2);
    a.cosine = (ref2 > 0 && out2 > 0) ? dot / std::sqrt(ref2 * out2) : (diff2 == 0 ? 1.0 : 0.0);
    return a;
}

double median(std::vector<double> values)
{
    if (values.empty())
        return std::numeric_limits<double>::quiet_NaN();
    std::sort(values.begin(), values.end());
    std::size_t n = values.size();
    return n % 2 ? values[n / 2] : 0.5 * (values[n / 2 - 1] + values[n / 2]);
}

} // namespace paperlab::kernels
