// The compute devices this process can use, for --devices, the protocol and the UI.
#pragma once

#include "core/run_types.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace paperlab::kernels {

struct DeviceInfo {
    std::string id; // "cpu", "cuda:0", ...
    std::string name;
    int smCount = 0; // CUDA multiprocessors; CPU: hardware threads
    std::uint64_t memoryBytes = 0;
    int ccMajor = 0;
    int ccMinor = 0;
};

struct DeviceReport {
    std::vector<DeviceInfo> devices; // always starts with the CPU
    std::string note;                // e.g. "no CUDA device: <driver message>"
    int cudaDeviceCount() const { return int(devices.size()) - 1; }
};

DeviceReport listDevices();

// "cpu", "cuda" (= cuda:0) or "cuda:N"; checks that the device exists.
std::optional<RunError> parseDevice(const std::string &text, DeviceSelection &out);

} // namespace paperlab::kernels
