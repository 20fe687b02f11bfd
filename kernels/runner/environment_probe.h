// Gathers a run's RunEnvironment: the device's identity and versions, NVML clocks and
// power at the start (and, through finishEnvironment, the end), and its measured ceilings,
// read from this host's cache or measured once when missing or when asked to.
#pragma once

#include "core/run_environment.h"
#include "core/run_types.h"

#include <functional>
#include <string>

namespace paperlab::kernels::runner {

constexpr const char *kProbingStage = "measuring this GPU's copy and matrix ceilings, once per device";

struct ProbeOptions {
    bool reprobe = false; // measure even when this device's ceilings are cached
    bool measure = true;  // false: identity and clocks only (no GPU time spent)
    int warmup = 0;       // the run's timing discipline, recorded as given
    int repetitions = 0;
    // Told before the ceilings are measured (seconds of GPU time), so a client can say so.
    std::function<void(const std::string &stage)> progress;
};

RunEnvironment beginEnvironment(const DeviceSelection &device, const ProbeOptions &options);
// The clocks and power at the end of the run.
void finishEnvironment(RunEnvironment &env);

// Host CPU model from /proc/cpuinfo (or the machine name) and its hardware threads.
std::string hostCpuModel();

} // namespace paperlab::kernels::runner
