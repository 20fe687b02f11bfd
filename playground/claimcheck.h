#pragma once
// "Reproduced / not reproduced on <GPU>": a paper's claim against the playground's stored
// runs of the kernel that measures it. GUI-free; the paper page and the chart show it.
//
// The measurement: in the newest run on each device that has both variants (the baseline's
// may come from a run of another kernel, claim.baselineKernel, on that device and shape), the point
// nearest the claim's shape (claim.at on claim.sweepParam; the largest value swept when the
// claim names none). A speedup is the baseline variant's time over the method variant's;
// throughput is the method variant's TFLOP/s. "Reproduced" means plainly: the measured
// figure is at least kReproducedShare of the claimed one (of the low end of a range).

#include "claim.h"
#include "runtypes.h"

#include <QList>

namespace paperlab {
class RunStore;
}

namespace paperlab::playground {

inline constexpr double kReproducedShare = 0.9;

struct ClaimCheck {
    enum class Outcome {
        Reproduced,
        NotReproduced,
        NoRun,             // no stored run of the kernel (with the claim's settings)
        NoBaselineVariant, // runs of the method's variant, none of the baseline's
        NotMeasured,       // the claim names no kernel, or its metric is not timed here
    };
    Outcome outcome = Outcome::NoRun;
    double measured = 0; // the measured figure (a ratio for a speedup)
    QString device;      // the run's device name ("NVIDIA H200")
    qint64 runId = 0;
    QString sweepParam; // the point compared: sweepParam = x (empty for one-point runs)
    double x = 0;
};

// The run metric a claim's figure is read from: "time_ms" for a speedup, "tflops" for
// throughput in TFLOP/s; empty when the runs cannot measure it (memory, accuracy, % of peak).
QString claimRunMetric(const Claim &claim);

// The claim's figure measured in `run` (loaded with its points): false when the run lacks
// either variant at a common point. `check` gets the figure, the point and the device.
bool measureClaimInRun(const Claim &claim, const RunRecord &run, ClaimCheck &check);
// The same with the baseline variant's points taken from `baselineRun` (a run of
// claim.baselineKernel on the same device and shape).
bool measureClaimInRuns(const Claim &claim, const RunRecord &run, const RunRecord &baselineRun, ClaimCheck &check);

// One check per device that has a run of the claim's kernel, newest run first; a single
// NoRun / NoBaselineVariant / NotMeasured check when there is nothing to compare.
QList<ClaimCheck> checkClaim(const Claim &claim, RunStore &store);

// "measured 1.4× on NVIDIA H200 (seq_len 16384): not reproduced", or why there is nothing.
QString claimCheckText(const Claim &claim, const ClaimCheck &check);

} // namespace paperlab::playground
