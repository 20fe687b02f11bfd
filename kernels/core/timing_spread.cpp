#include "core/timing_spread.h"

#include "core/accuracy.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace paperlab::kernels {

double percentile(std::vector<double> values, double q)
{
    if (values.empty())
        return std::numeric_limits<double>::quiet_NaN();
    std::sort(values.begin(), values.end());
    const double pos = std::clamp(q, 0.0, 1.0) * double(values.size() - 1);
    const std::size_t lo = std::size_t(std::floor(pos));
    const std::size_t hi = std::min(lo + 1, values.size() - 1);
    return values[lo] + (pos - double(lo)) * (values[hi] - values[lo]);
}

void appendTimingSpread(std::vector<Metric> &metrics, const std::vector<double> &timesMs,
                        const std::string &speedMetric)
{
    if (timesMs.empty())
        return;
    const double p10 = percentile(timesMs, 0.10);
    const double p90 = percentile(timesMs, 0.90);
    const double mid = median(timesMs);
    const Metric *speed = nullptr;
    for (const Metric &m : metrics)
        if (m.id == speedMetric && speedMetric != "time_ms")
            speed = &m;
    // Copied before push_back: the pointer into `metrics` would not survive it.
    const Metric speedAtMedian = speed ? *speed : Metric{};
    metrics.push_back({"time_ms_p10", p10, "ms"});
    metrics.push_back({"time_ms_p90", p90, "ms"});
    if (speed && p10 > 0 && p90 > 0) {
        // The speed metric was computed from the median time; work is the same at every rep.
        const double work = speedAtMedian.value * mid;
        metrics.push_back({speedMetric + "_p10", work / p90, speedAtMedian.unit});
        metrics.push_back({speedMetric + "_p90", work / p10, speedAtMedian.unit});
    }
}

} // namespace paperlab::kernels
