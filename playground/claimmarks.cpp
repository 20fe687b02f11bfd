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
    const bool measured =
        check.outcome == ClaimCheck::Outcome::Reproduced || check.outcome == ClaimCheck::Outcome::NotReproduced;
    if (measured) {
        // Charts are narrow beside the form: the point compared ("(seq_len 16384): ...") goes
        // on a line of its own.
        QString text = claimCheckText(claim, check);
        if (const qsizetype cut = text.lastIndexOf(QLatin1String(" (")); cut > 0)
            text[cut] = QLatin1Char('\n');
        label += QLatin1Char('\n') + text;
    }

    if (claim.metric == u"throughput" && claimRunMetric(claim) == metric)
        return {ClaimMark{metric, claim.value, std::nan(""), label}};
    if (claim.metric != u"speedup" || claim.baselineVariant.isEmpty() || !(claim.value > 0) ||
        !(isTimeMetric(metric) || isRateMetric(metric)))
        return {};
    // Drawn at the compared point of this run: where our method's point would be if it were
    // as much faster than the baseline as claimed (the baseline may be another kernel's run,
    // so it is reached through the measured ratio, not through its own points).
    if (!measured || check.runId != run.id || !(check.measured > 0))
        return {};
    for (const RunPoint &p : run.points) {
        if (p.variant != claim.variant || p.x != check.x || !p.error.isEmpty() || !p.metrics.contains(metric))
            continue;
        const double ours = p.metrics.value(metric);
        const double y =
            isTimeMetric(metric) ? ours * check.measured / claim.value : ours * claim.value / check.measured;
        return {ClaimMark{metric, y, p.x, label}};
    }
    return {};
}

} // namespace paperlab::playground
