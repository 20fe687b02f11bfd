// Shared by the plain GPU-check executables (label gpu): runs one request through the
// library's own checks (poisoned outputs, float64 references) and prints a line per point.
#pragma once

#include "core/devices.h"
#include "core/run_executor.h"

#include <cstdio>
#include <map>
#include <string>
#include <vector>

namespace paperlab::kernels::gpucheck {

inline int failures = 0, points = 0;

constexpr int kSkipped = 77; // CTest's SKIP_RETURN_CODE for the gpu checks

// Prints the GPU it will check, or why it is skipped; false: the caller returns kSkipped.
inline bool announceDevice()
{
    DeviceReport devices = listDevices();
    if (devices.cudaDeviceCount() == 0) {
        std::printf("skipped: %s\n", devices.note.c_str());
        return false;
    }
    std::printf("device: %s\n", devices.devices[1].name.c_str());
    return true;
}

// floors: metrics a point must reach besides the library's own checks (e.g. a selection's
// agreement with the float64 one), each failure named.
inline void check(const std::string &kernel, const std::map<std::string, std::string> &fixed, const Sweep &sweep,
                  const std::vector<std::string> &variants, const std::vector<std::string> &shownMetrics,
                  const std::map<std::string, double> &floors = {})
{
    RunRequest r;
    r.kernel = kernel;
    r.fixed = fixed;
    r.sweep = sweep;
    r.variants = variants;
    r.device = "cuda:0";
    r.repetitions = 2;
    r.warmup = 1;
    PreparedRun run;
    if (auto err = prepareRun(r, run)) {
        std::printf("FAIL %s: %s\n", kernel.c_str(), err->message.c_str());
        ++failures;
        return;
    }
    CancelToken cancel;
    RunCallbacks cb;
    cb.point = [&](const PointResult &p) {
        ++points;
        std::string shown;
        for (const auto &m : p.metrics)
            for (const auto &id : shownMetrics)
                if (m.id == id)
                    shown += m.id + "=" + std::to_string(m.value) + " ";
        std::string given;
        for (const auto &[k, v] : fixed)
            given += k + "=" + v + " ";
        if (!p.sweepParam.empty())
            given += p.sweepParam + "=" + p.sweepValue;
        std::string below;
        for (const auto &m : p.metrics)
            if (auto f = floors.find(m.id); f != floors.end() && !(m.value >= f->second))
                below += m.id + " " + std::to_string(m.value) + " below " + std::to_string(f->second) + "; ";
        const bool failed = p.error || !below.empty();
        std::printf("%s %s %-7s %s| %s %s%s\n", failed ? "FAIL" : "ok  ", kernel.c_str(), p.variant.c_str(),
                    shown.c_str(), given.c_str(), below.c_str(), p.error ? p.error->message.c_str() : "");
        if (failed)
            ++failures;
    };
    executeRun(run, cb, cancel);
}

} // namespace paperlab::kernels::gpucheck
