// Refuses a point that cannot fit before anything is allocated: the kernel's estimate of
// host and device bytes against what the host has available and the device holds. Without
// it a huge point aborts the CPU runner with std::bad_alloc or gets it killed mid-fill.
#pragma once

#include "core/kernel_spec.h"

#include <cstdint>
#include <optional>
#include <string>

namespace paperlab::kernels {

struct MemoryLimits {
    std::uint64_t hostBytes = 0;   // available now (MemAvailable); 0: unknown, not checked
    std::uint64_t deviceBytes = 0; // of the run's device; 0: CPU run or unknown
};

// The host's available memory and, for a CUDA run, the device's size.
MemoryLimits memoryLimits(const DeviceSelection &device);

// out_of_memory naming the parameters, the bytes needed and the bytes there are; nullopt
// when the point fits or the kernel gives no estimate.
std::optional<RunError> checkPointMemory(const KernelSpec &kernel, const ParamSet &params, const std::string &variant,
                                         const MemoryLimits &limits);

// "1.5 GiB", "980 MiB", "12 KiB": for messages.
std::string formatBytes(std::uint64_t bytes);

// The error for an allocation that failed anyway (std::bad_alloc, cudaErrorMemoryAllocation).
RunError allocationFailed(const ParamSet &params, const std::string &variant);

} // namespace paperlab::kernels
