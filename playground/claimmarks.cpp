#include "claimmarks.h"

namespace paperlab::playground {
namespace {

// Times shrink with a speedup; rates (TFLOP/s, GB/s) grow with it.
bool isTimeMetric(const QString &metric)
{
    return metric.endsWith(QLatin1String("_ms")) || metric.endsWith(QLatin1String("_us"));
}

bool isRateMetric(const QString &metric)
{
    return metric.startsWith(QLatin1String("tflops")) || metric == u"gbps";
}

} // namespace

QList<ClaimMark> claimMarks(const QString &paper, const Claim &claim, const ClaimCheck &check, const RunRecord &run,
                            const QString &metric)
{
    QString label = QStringLiteral("%1 %2").arg(paper, claimSummary(claim));
    const bool measured = check.outcome == ClaimCheck::Outcome::Reproduced || check.outcome == ClaimCheck::Outcome::NotReproduced;
    if (measured)
        label += QStringLiteral("; ") + claimCheckText(claim, check);

    if (claim.metric == u"throughput" && claimRunMetric(claim) == metric)
        return {ClaimMark{metric, claim.value, std::nan(""), label}};
    if (claim.metric != u"speedup" || claim.baselineVariant.isEmpty() || !(claim.value > 0)
        || !(isTimeMetric(metric) || isRateMetric(metric)))
        return {};
    // The compared point when the claim was measured in this run; else the baseline's
    // point nearest the claim's shape (the largest swept when it names none).
    const bool sameRun = measured && check.runId == run.id;
    double x = sameRun ? check.x : std::nan("");
    const RunPoint *base = nullptr;
    for (const RunPoint &p : run.points) {
        if (p.variant != claim.baselineVariant || !p.error.isEmpty() || !p.metrics.contains(metric)) continue;
        if (sameRun) {
            if (p.x == x) base = &p;
            continue;
        }
        const double target = claim.at > 0 && run.setup.sweepParam == claim.sweepParam ? claim.at : HUGE_VAL;
        const auto distance = [target](double v) { return std::isinf(target) ? -v : std::abs(std::log(v / target)); };
        if (!base || (p.x > 0 && distance(p.x) < distance(base->x))) base = &p;
    }
    if (!base)
        return {};
    const double baseline = base->metrics.value(metric);
    const double y = isTimeMetric(metric) ? baseline / claim.value : baseline * claim.value;
    return {ClaimMark{metric, y, base->x, label}};
}

} // namespace paperlab::playground
