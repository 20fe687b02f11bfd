#include "runner/environment_json.h"

#include "runner/json_writer.h"

namespace paperlab::kernels::runner {

namespace {

// Unknown clocks and power (-1) are written as null, so a reader cannot take them for 0.
std::string known(double v)
{
    return v < 0 ? "null" : jsonNumber(v);
}

std::string sampleJson(const ClockSample &s)
{
    return JsonObject()
        .raw("sm_clock_mhz", known(s.smClockMhz))
        .raw("mem_clock_mhz", known(s.memClockMhz))
        .raw("power_w", known(s.powerWatts))
        .done();
}

} // namespace

std::string environmentJson(const RunEnvironment &env)
{
    JsonArray ceilings;
    for (const Ceiling &c : env.ceilings)
        ceilings.raw(JsonObject().str("id", c.id).num("value", c.value).str("unit", c.unit).str("how", c.how).done());
    return JsonObject()
        .str("device", env.device)
        .str("device_name", env.deviceName)
        .str("uuid", env.uuid)
        .num("sm_count", env.smCount)
        .str("driver_version", env.driverVersion)
        .str("cuda_runtime_version", env.cudaRuntimeVersion)
        .str("cuda_driver_version", env.cudaDriverVersion)
        .str("host_cpu", env.hostCpu)
        .num("host_cores", env.hostCores)
        .raw("start", sampleJson(env.start))
        .raw("end", sampleJson(env.end))
        .raw("power_limit_w", known(env.powerLimitWatts))
        .str("nvml_note", env.nvmlNote)
        .raw("ceilings", ceilings.done())
        .str("ceilings_measured_at", env.ceilingsMeasuredAt)
        .boolean("ceilings_cached", env.ceilingsCached)
        .str("ceilings_note", env.ceilingsNote)
        .num("warmup", env.warmup)
        .num("repetitions", env.repetitions)
        .boolean("l2_flush", env.l2Flush)
        .num("l2_flush_bytes", double(env.l2FlushBytes))
        .done();
}

} // namespace paperlab::kernels::runner
