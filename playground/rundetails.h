#pragma once
// A run's details as HTML, for the run-details view: where it ran (device, versions,
// clocks start → end, power), how it was timed (warm-up, repetitions, L2 flush) and the
// ceilings measured there; one section per runner lane.

#include "runtypes.h"

#include <QString>

namespace paperlab::playground {

QString runDetailsHtml(const RunRecord &run);

} // namespace paperlab::playground
