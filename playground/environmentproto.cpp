#include "environmentproto.h"

#include "runner/protocol.h"

namespace paperlab::playground {

namespace {

QString q(const std::string &s)
{
    return QString::fromStdString(s);
}

ClockReading reading(const kernels::ClockSample &s)
{
    return {s.smClockMhz, s.memClockMhz, s.powerWatts};
}

} // namespace

paperlab::RunEnvironment environmentFromProto(const paperlab::runner::RunEnvironment &message)
{
    // The protocol's own reader first, so "unset" means the same (-1: unknown) everywhere.
    const kernels::RunEnvironment e = kernels::runner::fromProto(message);
    paperlab::RunEnvironment out;
    out.device = q(e.device);
    out.deviceName = q(e.deviceName);
    out.uuid = q(e.uuid);
    out.smCount = e.smCount;
    out.driverVersion = q(e.driverVersion);
    out.cudaRuntimeVersion = q(e.cudaRuntimeVersion);
    out.cudaDriverVersion = q(e.cudaDriverVersion);
    out.hostCpu = q(e.hostCpu);
    out.hostCores = e.hostCores;
    out.start = reading(e.start);
    out.end = reading(e.end);
    out.powerLimitWatts = e.powerLimitWatts;
    out.nvmlNote = q(e.nvmlNote);
    for (const kernels::Ceiling &c : e.ceilings)
        out.ceilings.append({q(c.id), c.value, q(c.unit), q(c.how)});
    out.ceilingsMeasuredAt = q(e.ceilingsMeasuredAt);
    out.ceilingsCached = e.ceilingsCached;
    out.ceilingsNote = q(e.ceilingsNote);
    out.warmup = e.warmup;
    out.repetitions = e.repetitions;
    out.l2Flush = e.l2Flush;
    out.l2FlushBytes = qint64(e.l2FlushBytes);
    return out;
}

} // namespace paperlab::playground
