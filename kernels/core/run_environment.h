// Where and how a run was measured: the device's identity and versions, its clocks and
// power at the start and end of the run, the copy and matrix ceilings measured on it, and
// the timing discipline (warm-up, repetitions, L2 flush). Sent with the run's summary so a
// chart can draw measured ceilings instead of datasheet figures. Plain data, no CUDA.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace paperlab::kernels {

// One measured roof: "copy" (GB/s, device-to-device copy, bytes read + written) or
// "matrix_fp16" / "matrix_bf16" (TFLOP/s, cuBLAS GEMM, fp32 accumulate) / "matrix_int8"
// (TOP/s, int32 accumulate).
struct Ceiling {
    std::string id;
    double value = 0;
    std::string unit;
    std::string how; // what was timed, e.g. "cuBLAS GEMM 8192^3 fp16 in, fp32 accumulate, median of 10"
};

// Clocks and power at one moment; negative: unknown (NVML absent or not supported).
struct ClockSample {
    double smClockMhz = -1;
    double memClockMhz = -1;
    double powerWatts = -1;
};

struct RunEnvironment {
    std::string device;             // "cpu", "cuda:0"
    std::string deviceName;         // GPU name, or the host CPU's model
    std::string uuid;               // GPU UUID ("GPU-..."); empty for the CPU
    int smCount = 0;                // GPU multiprocessors; CPU: hardware threads
    std::string driverVersion;      // NVIDIA driver ("570.124.06"); empty without NVML
    std::string cudaRuntimeVersion; // "12.8"
    std::string cudaDriverVersion;  // the CUDA version the driver supports, "12.8"
    std::string hostCpu;            // host CPU model
    int hostCores = 0;              // host hardware threads
    ClockSample start, end;
    double powerLimitWatts = -1;
    std::string nvmlNote; // why clocks/power/driver are empty, when they are

    std::vector<Ceiling> ceilings;  // empty for the CPU
    std::string ceilingsMeasuredAt; // UTC, ISO 8601
    bool ceilingsCached = false;    // read from this host's cache rather than measured now
    std::string ceilingsNote;       // why there are none, or where the cache is

    int warmup = 0;
    int repetitions = 0;
    bool l2Flush = false;           // every timed repetition starts with L2 overwritten
    std::uint64_t l2FlushBytes = 0; // bytes written to flush it

    const Ceiling *findCeiling(const std::string &id) const
    {
        for (const auto &c : ceilings)
            if (c.id == id)
                return &c;
        return nullptr;
    }
};

} // namespace paperlab::kernels
