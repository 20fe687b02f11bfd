#include "core/memory_check.h"

#include "core/devices.h"

#include <cstdio>
#include <fstream>
#include <sstream>

namespace paperlab::kernels {

namespace {

std::uint64_t availableHostBytes()
{
    // PAPERLAB_RUNNER_HOST_MEMORY (bytes) stands in for MemAvailable: a cgroup or a batch
    // job's memory limit that /proc/meminfo does not show.
    if (const char *v = std::getenv("PAPERLAB_RUNNER_HOST_MEMORY")) {
        char *end = nullptr;
        const unsigned long long n = std::strtoull(v, &end, 10);
        if (end && *end == '\0' && n > 0)
            return n;
    }
    std::ifstream meminfo("/proc/meminfo");
    std::string key, unit;
    std::uint64_t kib = 0;
    while (meminfo >> key >> kib) {
        std::getline(meminfo, unit);
        if (key == "MemAvailable:")
            return kib * 1024;
    }
    return 0;
}

std::string describeParams(const ParamSet &params)
{
    std::string out;
    for (const auto &[name, value] : params.values())
        out += (out.empty() ? "" : ", ") + name + "=" + value;
    return out;
}

} // namespace

std::string formatBytes(std::uint64_t bytes)
{
    static const char *units[] = {"bytes", "KiB", "MiB", "GiB", "TiB", "PiB"};
    double v = double(bytes);
    int u = 0;
    while (v >= 1024 && u < 5) {
        v /= 1024;
        ++u;
    }
    char buf[32];
    std::snprintf(buf, sizeof buf, u == 0 ? "%.0f %s" : "%.1f %s", v, units[u]);
    return buf;
}

MemoryLimits memoryLimits(const DeviceSelection &device)
{
    MemoryLimits limits;
    limits.hostBytes = availableHostBytes();
    if (device.cuda) {
        for (const DeviceInfo &d : listDevices().devices)
            if (d.id == device.text())
                limits.deviceBytes = d.memoryBytes;
    }
    return limits;
}

std::optional<RunError> checkPointMemory(const KernelSpec &kernel, const ParamSet &params, const std::string &variant,
                                         const MemoryLimits &limits)
{
    if (!kernel.memoryNeeded)
        return std::nullopt;
    const MemoryNeed need = kernel.memoryNeeded(params, variant);
    const auto refuse = [&](const char *where, std::uint64_t needed, std::uint64_t have) {
        return RunError{ErrorCode::OutOfMemory, "",
                        "the point " + describeParams(params) + " needs " + formatBytes(needed) + " of " + where +
                            " memory for variant '" + variant + "', more than the " + formatBytes(have) +
                            " there are; refused before allocating"};
    };
    if (limits.hostBytes && need.hostBytes > limits.hostBytes)
        return refuse("host", need.hostBytes, limits.hostBytes);
    if (limits.deviceBytes && need.deviceBytes > limits.deviceBytes)
        return refuse("device", need.deviceBytes, limits.deviceBytes);
    return std::nullopt;
}

RunError allocationFailed(const ParamSet &params, const std::string &variant)
{
    return RunError{ErrorCode::OutOfMemory, "",
                    "an allocation failed for the point " + describeParams(params) + " (variant '" + variant +
                        "'): it needs more memory than there is"};
}

} // namespace paperlab::kernels
