#include "runname.h"

#include "devicedefaults.h"

#include <QRegularExpression>

namespace paperlab::playground {

namespace {

// Numbers compare by value ("0.50" is the default "0.5"); everything else by text.
bool sameValue(const QString &a, const QString &b)
{
    bool okA = false, okB = false;
    const double x = a.toDouble(&okA), y = b.toDouble(&okB);
    return okA && okB ? x == y : a == b;
}

} // namespace

QString defaultRunName(const RunSetup &setup, const KernelInfo &kernel, const QString &deviceName)
{
    QStringList parts;
    if (!setup.variants.isEmpty())
        parts << setup.variants.join(QStringLiteral(", "));
    // "CPU (float64 reference)" -> "CPU": the detail is the same for every run on it.
    static const QRegularExpression detail(QStringLiteral("\\s*\\(.*\\)\\s*$"));
    QString device = QString(deviceName).remove(detail);
    parts << (device.isEmpty() ? setup.device : device);
    if (!setup.sweepParam.isEmpty() && !setup.sweepValues.isEmpty()) {
        const QString range = setup.sweepValues.size() == 1
                                  ? setup.sweepValues.first()
                                  : QStringLiteral("%1–%2").arg(setup.sweepValues.first(), setup.sweepValues.last());
        parts << QStringLiteral("%1 %2").arg(setup.sweepParam, range);
    }
    // Compared with what the form starts with on this kind of device (small CPU shapes).
    const DeviceDefaults start = defaultsFor(kernel, setup.device != QLatin1String("cpu"));
    QStringList changed;
    for (const ParamInfo &p : kernel.params) {
        if (p.name == setup.sweepParam || !setup.fixed.contains(p.name))
            continue;
        const QString value = setup.fixed.value(p.name);
        if (!sameValue(value, start.values.value(p.name, p.defaultValue)))
            changed << QStringLiteral("%1=%2").arg(p.name, value);
    }
    if (!changed.isEmpty())
        parts << changed.join(QStringLiteral(", "));
    return parts.join(QStringLiteral(" · "));
}

} // namespace paperlab::playground
