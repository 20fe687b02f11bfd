#include "claimcheck.h"

#include "runstore.h"

#include <QHash>
#include <QMap>

#include <cmath>
#include <limits>

namespace paperlab::playground {
namespace {

// x -> the metric's value, for one variant's successful points of a run.
QMap<double, double> valuesOf(const RunRecord &run, const QString &variant, const QString &metric)
{
    QMap<double, double> out;
    for (const RunPoint &p : run.points) {
        if (p.variant != variant || !p.error.isEmpty())
            continue;
        const auto it = p.metrics.constFind(metric);
        if (it != p.metrics.constEnd() && *it > 0)
            out.insert(p.x, *it);
    }
    return out;
}

// The run was made with the claim's settings ("policy=quest"): a setting the run swept or
// left at its default (absent from `fixed`) does not match.
bool runMatchesSettings(const Claim &claim, const RunRecord &run)
{
    for (const QString &p : claim.params) {
        QString name, value;
        if (!splitClaimParam(p, name, value))
            continue;
        if (run.setup.fixed.value(name) != value)
            return false;
    }
    return true;
}

// Two runs of different kernels measured the same shape: the same swept parameter, and the
// same value for every parameter both set (batch, heads, head_dim; each kernel's own knobs
// are left out).
bool sameShape(const RunRecord &a, const RunRecord &b)
{
    if (a.setup.sweepParam != b.setup.sweepParam)
        return false;
    for (auto it = a.setup.fixed.cbegin(); it != a.setup.fixed.cend(); ++it)
        if (b.setup.fixed.contains(it.key()) && b.setup.fixed.value(it.key()) != it.value())
            return false;
    return true;
}

bool hasVariant(const RunRecord &run, const QString &variant)
{
    for (const RunPoint &p : run.points)
        if (p.variant == variant && p.error.isEmpty())
            return true;
    return false;
}

QString number(double v)
{
    return QString::number(v, 'g', v >= 100 ? 4 : 3);
}

} // namespace

QString claimRunMetric(const Claim &claim)
{
    if (claim.metric == u"speedup")
        return QStringLiteral("time_ms");
    // Only a rate in TFLOP/s compares with the runs' tflops; "73% of peak" needs the peak too.
    if (claim.metric == u"throughput" && claim.unit.compare(u"TFLOP/s", Qt::CaseInsensitive) == 0)
        return QStringLiteral("tflops");
    return {};
}

bool measureClaimInRun(const Claim &claim, const RunRecord &run, ClaimCheck &check)
{
    return measureClaimInRuns(claim, run, run, check);
}

bool measureClaimInRuns(const Claim &claim, const RunRecord &run, const RunRecord &baselineRun, ClaimCheck &check)
{
    const QString metric = claimRunMetric(claim);
    const bool ratio = claim.metric == u"speedup";
    const QMap<double, double> method = valuesOf(run, claim.variant, metric);
    const QMap<double, double> base =
        ratio ? valuesOf(baselineRun, claim.baselineVariant, metric) : QMap<double, double>{};
    QList<double> xs;
    for (auto it = method.cbegin(); it != method.cend(); ++it)
        if (!ratio || base.contains(it.key()))
            xs.append(it.key());
    if (xs.isEmpty())
        return false;
    // The claim's shape when the run swept its parameter (nearest on a log scale: sizes
    // double); else the largest size swept, where papers state their speedups.
    double x = xs.last();
    if (claim.at > 0 && run.setup.sweepParam == claim.sweepParam) {
        double best = std::numeric_limits<double>::infinity();
        for (double candidate : std::as_const(xs)) {
            const double d = candidate > 0 ? std::abs(std::log(candidate / claim.at)) : best;
            if (d < best) {
                best = d;
                x = candidate;
            }
        }
    }
    check.measured = ratio ? base.value(x) / method.value(x) : method.value(x);
    check.x = x;
    check.sweepParam = run.setup.sweepParam;
    check.device = run.deviceName.isEmpty() ? run.setup.device : run.deviceName;
    check.runId = run.id;
    check.outcome = check.measured >= kReproducedShare * claim.value ? ClaimCheck::Outcome::Reproduced
                                                                     : ClaimCheck::Outcome::NotReproduced;
    return true;
}

QList<ClaimCheck> checkClaim(const Claim &claim, RunStore &store)
{
    if (claim.kernel.isEmpty() || claim.variant.isEmpty() || claimRunMetric(claim).isEmpty() || !(claim.value > 0))
        return {ClaimCheck{ClaimCheck::Outcome::NotMeasured}};
    QList<ClaimCheck> out;
    QHash<QString, bool> deviceDone;
    ClaimCheck missingBaseline{ClaimCheck::Outcome::NoRun};
    // A baseline of another kernel comes from that kernel's newest run on the same device
    // over the same shape, loaded once.
    const bool crossKernel = !claim.baselineKernel.isEmpty() && claim.baselineKernel != claim.kernel;
    QList<RunRecord> baselineRuns;
    if (crossKernel && claim.metric == u"speedup") {
        for (const RunRecord &summary : store.runsForKernel(claim.baselineKernel))
            if (auto run = store.load(summary.id); run && hasVariant(*run, claim.baselineVariant))
                baselineRuns.append(*run);
    }
    auto baselineRunFor = [&baselineRuns](const RunRecord &run) {
        for (const RunRecord &b : std::as_const(baselineRuns))
            if (b.deviceName == run.deviceName && sameShape(b, run))
                return b;
        return RunRecord{};
    };
    for (const RunRecord &summary : store.runsForKernel(claim.kernel)) { // newest first
        const auto run = store.load(summary.id);
        if (!run || !runMatchesSettings(claim, *run))
            continue;
        const QString device = run->deviceName.isEmpty() ? run->setup.device : run->deviceName;
        if (deviceDone.value(device))
            continue;
        ClaimCheck check;
        if (measureClaimInRuns(claim, *run, crossKernel ? baselineRunFor(*run) : *run, check)) {
            deviceDone.insert(device, true);
            out.append(check);
        } else if (missingBaseline.outcome == ClaimCheck::Outcome::NoRun && hasVariant(*run, claim.variant)) {
            missingBaseline = {ClaimCheck::Outcome::NoBaselineVariant, 0, device, run->id};
        }
    }
    if (out.isEmpty())
        out.append(missingBaseline);
    return out;
}

QString claimCheckText(const Claim &claim, const ClaimCheck &check)
{
    switch (check.outcome) {
    case ClaimCheck::Outcome::NotMeasured:
        return QStringLiteral("not measured by a PaperLab kernel");
    case ClaimCheck::Outcome::NoRun:
        return QStringLiteral("no run of %1 (%2 vs %3) stored yet")
            .arg(claim.kernel, claim.variant,
                 claim.baselineVariant.isEmpty() ? QStringLiteral("its peak") : claim.baselineVariant);
    case ClaimCheck::Outcome::NoBaselineVariant:
        return QStringLiteral("the runs on %1 have no %2 points to compare with")
            .arg(check.device, claim.baselineVariant);
    case ClaimCheck::Outcome::Reproduced:
    case ClaimCheck::Outcome::NotReproduced:
        break;
    }
    // Three significant digits are what a timing supports ("1.37×", not "1.3712×").
    const QString figure = claim.metric == u"speedup" ? number(check.measured) + QStringLiteral("×")
                                                      : number(check.measured) + QStringLiteral(" TFLOP/s");
    QString where = QStringLiteral("measured %1 on %2").arg(figure, check.device);
    if (!check.sweepParam.isEmpty())
        where += QStringLiteral(" (%1 %2)").arg(check.sweepParam, QString::number(check.x, 'g', 10));
    const bool ok = check.outcome == ClaimCheck::Outcome::Reproduced;
    return QStringLiteral("%1: %2").arg(where, ok ? QStringLiteral("reproduced") : QStringLiteral("not reproduced"));
}

} // namespace paperlab::playground
