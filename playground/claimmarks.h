#pragma once
// Where a paper's claim sits on the playground's speed chart, beside the measurement: a
// speedup claim is a marker at the compared point, where our method's point would be if it
// beat the baseline by the claimed factor (the baseline's time divided by it, its rate
// multiplied); a throughput claim in TFLOP/s is a line at the figure. The label says both numbers: "SageAttention
// claims 2.1× over FlashAttention2; measured 1.43× on NVIDIA H200 (seq_len 16384): not reproduced".

#include "claim.h"
#include "claimcheck.h"
#include "runtypes.h"

#include <QList>

#include <cmath>

namespace paperlab::playground {

struct ClaimMark {
    QString metric; // the chart metric it belongs to ("tflops", "time_ms", ...)
    double y = 0;
    double x = std::nan(""); // NaN: a horizontal line at y
    QString label;
};

// The marks of `claim` (made by `paper`, its short name) on a chart of `metric` over `run`
// (with points), measured as `check` says; none when the chart cannot show it (another
// metric family, the claim not measured in this run).
QList<ClaimMark> claimMarks(const QString &paper, const Claim &claim, const ClaimCheck &check, const RunRecord &run,
                            const QString &metric);

} // namespace paperlab::playground
