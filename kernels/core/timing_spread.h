// The spread of a point's timing beside its median: `time_ms_p10` / `time_ms_p90`, and the
// same for the kernel's speed metric. Speed is work / time, so the slow end of the speed
// (its p10) comes from the slow end of the time (its p90).
#pragma once

#include "core/run_types.h"

#include <string>
#include <vector>

namespace paperlab::kernels {

// Linear interpolation between the closest ranks; q in [0, 1]. NaN for no values.
double percentile(std::vector<double> values, double q);

// Appends <id>_p10 and <id>_p90 for time_ms and for `speedMetric` (when it is a metric of
// `metrics` other than time_ms), from the timed repetitions. Nothing when `timesMs` is empty.
void appendTimingSpread(std::vector<Metric> &metrics, const std::vector<double> &timesMs,
                        const std::string &speedMetric);

} // namespace paperlab::kernels
