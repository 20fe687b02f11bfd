#include "runenvironment.h"

#include <QJsonArray>

namespace paperlab {

namespace {

// Unknown readings are null in the JSON, never 0, so "0 W" cannot be mistaken for a fact.
QJsonValue known(double v)
{
    return v < 0 ? QJsonValue(QJsonValue::Null) : QJsonValue(v);
}
double readKnown(const QJsonValue &v)
{
    return v.isDouble() ? v.toDouble() : -1;
}

QJsonObject clockJson(const ClockReading &c)
{
    return {{QStringLiteral("sm_clock_mhz"), known(c.smClockMhz)},
            {QStringLiteral("mem_clock_mhz"), known(c.memClockMhz)},
            {QStringLiteral("power_w"), known(c.powerWatts)}};
}

ClockReading readClock(const QJsonObject &o)
{
    return {readKnown(o.value(QStringLiteral("sm_clock_mhz"))), readKnown(o.value(QStringLiteral("mem_clock_mhz"))),
            readKnown(o.value(QStringLiteral("power_w")))};
}

} // namespace

const MeasuredCeiling *RunEnvironment::ceiling(const QString &id) const
{
    for (const MeasuredCeiling &c : ceilings)
        if (c.id == id)
            return &c;
    return nullptr;
}

QJsonObject environmentToJson(const RunEnvironment &e)
{
    QJsonArray ceilings;
    for (const MeasuredCeiling &c : e.ceilings)
        ceilings.append(QJsonObject{{QStringLiteral("id"), c.id},
                                    {QStringLiteral("value"), c.value},
                                    {QStringLiteral("unit"), c.unit},
                                    {QStringLiteral("how"), c.how}});
    return {
        {QStringLiteral("device"), e.device},
        {QStringLiteral("device_name"), e.deviceName},
        {QStringLiteral("uuid"), e.uuid},
        {QStringLiteral("sm_count"), e.smCount},
        {QStringLiteral("driver_version"), e.driverVersion},
        {QStringLiteral("cuda_runtime_version"), e.cudaRuntimeVersion},
        {QStringLiteral("cuda_driver_version"), e.cudaDriverVersion},
        {QStringLiteral("host_cpu"), e.hostCpu},
        {QStringLiteral("host_cores"), e.hostCores},
        {QStringLiteral("start"), clockJson(e.start)},
        {QStringLiteral("end"), clockJson(e.end)},
        {QStringLiteral("power_limit_w"), known(e.powerLimitWatts)},
        {QStringLiteral("nvml_note"), e.nvmlNote},
        {QStringLiteral("ceilings"), ceilings},
        {QStringLiteral("ceilings_measured_at"), e.ceilingsMeasuredAt},
        {QStringLiteral("ceilings_cached"), e.ceilingsCached},
        {QStringLiteral("ceilings_note"), e.ceilingsNote},
        {QStringLiteral("warmup"), e.warmup},
        {QStringLiteral("repetitions"), e.repetitions},
        {QStringLiteral("l2_flush"), e.l2Flush},
        {QStringLiteral("l2_flush_bytes"), double(e.l2FlushBytes)},
    };
}

RunEnvironment environmentFromJson(const QJsonObject &o)
{
    auto str = [&](const char *key) { return o.value(QLatin1String(key)).toString(); };
    RunEnvironment e;
    e.device = str("device");
    e.deviceName = str("device_name");
    e.uuid = str("uuid");
    e.smCount = o.value(QStringLiteral("sm_count")).toInt();
    e.driverVersion = str("driver_version");
    e.cudaRuntimeVersion = str("cuda_runtime_version");
    e.cudaDriverVersion = str("cuda_driver_version");
    e.hostCpu = str("host_cpu");
    e.hostCores = o.value(QStringLiteral("host_cores")).toInt();
    e.start = readClock(o.value(QStringLiteral("start")).toObject());
    e.end = readClock(o.value(QStringLiteral("end")).toObject());
    e.powerLimitWatts = readKnown(o.value(QStringLiteral("power_limit_w")));
    e.nvmlNote = str("nvml_note");
    for (const QJsonValue &v : o.value(QStringLiteral("ceilings")).toArray()) {
        const QJsonObject c = v.toObject();
        const double value = c.value(QStringLiteral("value")).toDouble();
        if (value > 0) // a ceiling of 0 or less would draw a roof on the axis
            e.ceilings.append({c.value(QStringLiteral("id")).toString(), value,
                               c.value(QStringLiteral("unit")).toString(), c.value(QStringLiteral("how")).toString()});
    }
    e.ceilingsMeasuredAt = str("ceilings_measured_at");
    e.ceilingsCached = o.value(QStringLiteral("ceilings_cached")).toBool();
    e.ceilingsNote = str("ceilings_note");
    e.warmup = o.value(QStringLiteral("warmup")).toInt();
    e.repetitions = o.value(QStringLiteral("repetitions")).toInt();
    e.l2Flush = o.value(QStringLiteral("l2_flush")).toBool();
    e.l2FlushBytes = qint64(o.value(QStringLiteral("l2_flush_bytes")).toDouble());
    return e;
}

} // namespace paperlab
