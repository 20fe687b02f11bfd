#include "runcsvwriter.h"

#include "csvwriter.h"
#include "safefile.h"

#include <QFile>

namespace paperlab {

QString runToCsv(const RunRecord &run)
{
    QStringList metricIds;
    for (const RunPoint &p : run.points)
        for (auto it = p.metrics.cbegin(); it != p.metrics.cend(); ++it)
            if (!metricIds.contains(it.key()))
                metricIds << it.key();
    const QString sweep = run.setup.sweepParam.isEmpty() ? QStringLiteral("point") : run.setup.sweepParam;
    const QStringList header =
        QStringList{QStringLiteral("kernel"), QStringLiteral("device"), QStringLiteral("variant"), sweep} + metricIds +
        QStringList{QStringLiteral("error")};
    QList<QStringList> rows;
    rows.reserve(run.points.size());
    for (const RunPoint &p : run.points) {
        QStringList row{run.setup.kernel, run.setup.device, p.variant,
                        p.sweepValue.isEmpty() ? QString::number(p.x, 'g', 12) : p.sweepValue};
        for (const QString &m : metricIds)
            row << (p.metrics.contains(m) ? QString::number(p.metrics.value(m), 'g', 10) : QString());
        row << p.error;
        rows << row;
    }
    return csvText(header, rows);
}

bool writeRunCsv(const RunRecord &run, const QString &path, QString *error)
{
    return writeFileAtomically(path, runToCsv(run).toUtf8(), error);
}

} // namespace paperlab
