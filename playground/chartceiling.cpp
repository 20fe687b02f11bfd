#include "chartceiling.h"

#include <QCoreApplication>

namespace paperlab::playground {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("ChartCeiling", text);
}

} // namespace

QString measuredCeilingId(const QString &metricId, const RunSetup &setup)
{
    if (metricId == QLatin1String("gbps"))
        return QStringLiteral("copy");
    if (metricId == QLatin1String("tflops"))
        return QStringLiteral("matrix_") + setup.fixed.value(QStringLiteral("dtype"), QStringLiteral("fp16"));
    return {};
}

QString ceilingFigure(double value, const QString &metricId)
{
    if (metricId == QLatin1String("gbps"))
        return value >= 1000 ? QStringLiteral("%1 TB/s").arg(value / 1000, 0, 'f', 2)
                             : QStringLiteral("%1 GB/s").arg(value, 0, 'f', 0);
    return QStringLiteral("%1 TFLOP/s").arg(value, 0, 'f', 0);
}

ChartCeiling measuredCeiling(const QString &metricId, const RunRecord &run)
{
    const QString id = measuredCeilingId(metricId, run.setup);
    if (id.isEmpty())
        return {};
    for (const RunEnvironment &env : run.environments)
        if (const MeasuredCeiling *c = env.ceiling(id)) {
            const QString what = id == QLatin1String("copy") ? tr("copy") : id.mid(7) + QLatin1Char(' ') + tr("matrix");
            return {c->value, tr("measured on %1: %2 %3").arg(env.deviceName, ceilingFigure(c->value, metricId), what),
                    true};
        }
    return {};
}

ChartCeiling chartCeiling(const QString &metricId, const QList<RunRecord> &runs, double fallback,
                          const QString &fallbackSource)
{
    for (const RunRecord &run : runs)
        if (ChartCeiling c = measuredCeiling(metricId, run); c.measured)
            return c;
    if (fallback <= 0 || measuredCeilingId(metricId, {}).isEmpty())
        return {};
    return {fallback, QStringLiteral("%1: %2").arg(fallbackSource, ceilingFigure(fallback, metricId)), false};
}

} // namespace paperlab::playground
