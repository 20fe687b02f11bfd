#pragma once
// The roof a speed chart draws: the ceiling measured on the run's own GPU when the run
// carries one (copy bandwidth for GB/s, the matrix peak of the run's dtype for TFLOP/s),
// else the figure the app already had (the vendor's datasheet, or what the user typed),
// labelled by where it came from. Also "% of peak" for a point's tooltip.

#include "runtypes.h"

#include <QString>

namespace paperlab::playground {

struct ChartCeiling {
    double value = 0; // 0: nothing to draw
    QString label;    // "measured on NVIDIA H200: 4.21 TB/s copy", "datasheet: 989 TFLOP/s"
    bool measured = false;
};

// "copy" for gbps, "matrix_<dtype>" for tflops (fp16 when the run sets no dtype); empty
// for metrics that have no ceiling.
QString measuredCeilingId(const QString &metricId, const RunSetup &setup);

// The measured ceiling of `run` for `metricId` (its first lane that has one).
ChartCeiling measuredCeiling(const QString &metricId, const RunRecord &run);

// The first of `runs` with a measured ceiling, else `fallback` labelled by `fallbackSource`
// ("datasheet", "your entry").
ChartCeiling chartCeiling(const QString &metricId, const QList<RunRecord> &runs, double fallback,
                          const QString &fallbackSource);

// "4.21 TB/s" / "812 GB/s" / "712 TFLOP/s".
QString ceilingFigure(double value, const QString &metricId);

} // namespace paperlab::playground
