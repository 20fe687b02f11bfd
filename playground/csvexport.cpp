#include "csvexport.h"

#include "safefile.h"

#include <QFile>

namespace paperlab::playground {

namespace {

QString csvField(const QString &s)
{
    if (!s.contains(QLatin1Char(',')) && !s.contains(QLatin1Char('"')) && !s.contains(QLatin1Char('\n')))
        return s;
    QString quoted = s;
    quoted.replace(QLatin1String("\""), QLatin1String("\"\""));
    return QLatin1Char('"') + quoted + QLatin1Char('"');
}

} // namespace

QString runToCsv(const RunRecord &run)
{
    QStringList metricIds;
    for (const RunPoint &p : run.points)
        for (auto it = p.metrics.cbegin(); it != p.metrics.cend(); ++it)
            if (!metricIds.contains(it.key()))
                metricIds << it.key();
    const QString sweep = run.setup.sweepParam.isEmpty() ? QStringLiteral("point") : run.setup.sweepParam;
    QStringList header{QStringLiteral("kernel"), QStringLiteral("device"), QStringLiteral("variant"), csvField(sweep)};
    for (const QString &m : metricIds)
        header << csvField(m);
    header << QStringLiteral("error");
    QString out = header.join(QLatin1Char(',')) + QLatin1Char('\n');
    for (const RunPoint &p : run.points) {
        QStringList row{csvField(run.setup.kernel), csvField(run.setup.device), csvField(p.variant),
                        csvField(p.sweepValue.isEmpty() ? QString::number(p.x, 'g', 12) : p.sweepValue)};
        for (const QString &m : metricIds)
            row << (p.metrics.contains(m) ? QString::number(p.metrics.value(m), 'g', 10) : QString());
        row << csvField(p.error);
        out += row.join(QLatin1Char(',')) + QLatin1Char('\n');
    }
    return out;
}

bool writeRunCsv(const RunRecord &run, const QString &path, QString *error)
{
    return writeFileAtomically(path, runToCsv(run).toUtf8(), error);
}

} // namespace paperlab::playground
