#include "core/accuracy_extra.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace paperlab::kernels {

ExtendedAccuracy compareExtended(const double *out, const double *ref, std::size_t n)
{
    ExtendedAccuracy a;
    double diff1 = 0, ref1 = 0, diff2 = 0, ref2 = 0, out2 = 0, dot = 0;
    for (std::size_t i = 0; i < n; ++i) {
        if (!std::isfinite(out[i])) {
            ++a.nonFinite;
            continue;
        }
        const double d = out[i] - ref[i];
        diff1 += std::abs(d);
        ref1 += std::abs(ref[i]);
        diff2 += d * d;
        ref2 += ref[i] * ref[i];
        out2 += out[i] * out[i];
        dot += out[i] * ref[i];
        a.maxAbs = std::max(a.maxAbs, std::abs(d));
    }
    if (a.nonFinite || n == 0) {
        const double nan = std::numeric_limits<double>::quiet_NaN();
        a.cosine = a.relL1 = a.rmse = a.relL2 = a.maxAbs = nan;
        return a;
    }
    a.relL1 = ref1 > 0 ? diff1 / ref1 : diff1;
    a.rmse = std::sqrt(diff2 / double(n));
    a.relL2 = ref2 > 0 ? std::sqrt(diff2 / ref2) : std::sqrt(diff2);
    a.cosine = (ref2 > 0 && out2 > 0) ? dot / std::sqrt(ref2 * out2) : (diff2 == 0 ? 1.0 : 0.0);
    return a;
}

std::optional<RunError> decodeOutputCheck(std::size_t unwritten, double simRelL2, double limit,
                                          const std::string &against)
{
    if (unwritten > 0)
        return RunError{ErrorCode::AccuracyCheckFailed, "",
                        std::to_string(unwritten) + " output elements unwritten or non-finite"};
    if (!(simRelL2 <= limit))
        return RunError{ErrorCode::AccuracyCheckFailed, "",
                        "relative L2 error vs float64 attention over " + against + " " + std::to_string(simRelL2) +
                            " exceeds " + std::to_string(limit)};
    return std::nullopt;
}

} // namespace paperlab::kernels
