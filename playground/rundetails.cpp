#include "rundetails.h"

#include <QCoreApplication>

namespace paperlab::playground {

namespace {

QString tr(const char *text, int n = -1)
{
    return QCoreApplication::translate("RunDetails", text, nullptr, n);
}

QString known(double v, const char *unit)
{
    return v < 0 ? tr("unknown") : QStringLiteral("%1 %2").arg(v, 0, 'f', 0).arg(QLatin1String(unit));
}

QString startToEnd(double start, double end, const char *unit)
{
    return QStringLiteral("%1 → %2").arg(known(start, unit), known(end, unit));
}

QString row(const QString &name, const QString &value)
{
    return QStringLiteral("<tr><td><b>%1</b></td><td>%2</td></tr>").arg(name.toHtmlEscaped(), value.toHtmlEscaped());
}

QString environmentHtml(const RunEnvironment &e)
{
    QString h = QStringLiteral("<table cellspacing=\"2\">");
    h += row(tr("Device"), QStringLiteral("%1 (%2)").arg(e.deviceName, e.device));
    if (!e.uuid.isEmpty())
        h += row(tr("UUID"), e.uuid);
    if (e.device.startsWith(QLatin1String("cuda"))) {
        h += row(tr("SMs"), QString::number(e.smCount));
        h += row(tr("Driver"), e.driverVersion.isEmpty() ? tr("unknown") : e.driverVersion);
        h += row(tr("CUDA"), tr("runtime %1, driver %2").arg(e.cudaRuntimeVersion, e.cudaDriverVersion));
        h += row(tr("SM clock"), startToEnd(e.start.smClockMhz, e.end.smClockMhz, "MHz"));
        h += row(tr("Memory clock"), startToEnd(e.start.memClockMhz, e.end.memClockMhz, "MHz"));
        h += row(tr("Power draw"), startToEnd(e.start.powerWatts, e.end.powerWatts, "W"));
        h += row(tr("Power limit"), known(e.powerLimitWatts, "W"));
        if (!e.nvmlNote.isEmpty())
            h += row(tr("NVML"), e.nvmlNote);
    }
    h += row(tr("Host CPU"), tr("%1, %n hardware thread(s)", e.hostCores).arg(e.hostCpu));
    h += row(tr("Warm-up"), tr("%n run(s)", e.warmup));
    h += row(tr("Repetitions"), QString::number(e.repetitions));
    h += row(tr("L2 flush"),
             e.l2Flush
                 ? tr("on, %1 MiB written before every timed run").arg(double(e.l2FlushBytes) / (1 << 20), 0, 'f', 0)
                 : tr("off"));
    for (const MeasuredCeiling &c : e.ceilings)
        h += row(tr("Ceiling %1").arg(c.id), QStringLiteral("%1 %2 — %3").arg(c.value, 0, 'f', 1).arg(c.unit, c.how));
    if (!e.ceilings.isEmpty())
        h += row(tr("Ceilings measured"), e.ceilingsCached ? tr("%1 (from this host's cache)").arg(e.ceilingsMeasuredAt)
                                                           : tr("%1 (for this run)").arg(e.ceilingsMeasuredAt));
    if (!e.ceilingsNote.isEmpty())
        h += row(tr("Ceiling note"), e.ceilingsNote);
    return h + QStringLiteral("</table>");
}

} // namespace

QString runDetailsHtml(const RunRecord &run)
{
    QString h = QStringLiteral("<h3>%1</h3><p>%2 · %3 · %4</p>")
                    .arg(run.name.toHtmlEscaped(), run.setup.kernel.toHtmlEscaped(), run.deviceName.toHtmlEscaped(),
                         run.createdAt.toLocalTime().toString(Qt::ISODate));
    if (run.environments.isEmpty())
        return h + QStringLiteral("<p>%1</p>")
                       .arg(tr("This run was stored without its environment (an older "
                               "PaperLab or runner): no clocks, versions or measured ceilings."));
    for (int i = 0; i < run.environments.size(); ++i) {
        if (run.environments.size() > 1)
            h += QStringLiteral("<h4>%1</h4>").arg(tr("Runner %1 of %2").arg(i + 1).arg(run.environments.size()));
        h += environmentHtml(run.environments[i]);
    }
    return h;
}

} // namespace paperlab::playground
