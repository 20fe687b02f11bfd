#include "claimoverlays.h"

#include "claimcheck.h"
#include "claimmarks.h"
#include "library.h"
#include "runstore.h"

namespace paperlab::playground {

QList<ChartOverlay> claimOverlays(Library &library, RunStore &store, qint64 paperId, const KernelInfo &kernel,
                                  const QList<RunRecord> &runs)
{
    QList<std::pair<qint64, Claim>> claims;
    if (paperId > 0) {
        for (const Claim &c : library.claims(paperId))
            if (c.kernel == kernel.id)
                claims.append({paperId, c});
    } else {
        claims = library.claimsForKernel(kernel.id);
    }
    QList<ChartOverlay> out;
    QHash<qint64, QString> names;
    for (const auto &[id, claim] : std::as_const(claims)) {
        if (!names.contains(id)) {
            const auto paper = library.paper(id);
            names.insert(id, paper ? (paper->abbr.isEmpty() ? paper->key : paper->abbr) : QString());
        }
        const QList<ClaimCheck> checks = checkClaim(claim, store);
        // Each metric the kernel reports: the chart shows the overlays of the one it plots.
        for (const MetricInfo &metric : kernel.metrics) {
            if (claim.metric == u"throughput") {
                for (const ClaimMark &m : claimMarks(names.value(id), claim, checks.first(), RunRecord{}, metric.id))
                    out.append({m.metric, m.y, m.x, m.label});
                continue;
            }
            for (const RunRecord &run : runs)
                for (const ClaimCheck &check : checks)
                    for (const ClaimMark &m : claimMarks(names.value(id), claim, check, run, metric.id))
                        out.append({m.metric, m.y, m.x, m.label});
        }
    }
    return out;
}

} // namespace paperlab::playground
