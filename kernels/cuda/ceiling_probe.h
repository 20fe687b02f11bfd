// Measures what one GPU can actually do, so a chart's roofs are this GPU's and not its
// datasheet's: device-to-device copy bandwidth and cuBLAS dense GEMM peaks. Seconds of
// GPU time; the runner caches the result per device and driver (runner/ceiling_cache.h).
#pragma once

#include "core/run_environment.h"

#include <cstdint>
#include <string>
#include <vector>

namespace paperlab::kernels::cuda {

struct CudaIdentity {
    std::string name;
    std::string uuid; // "GPU-xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx", as nvidia-smi prints it
    int smCount = 0;
    std::string runtimeVersion; // "12.8"
    std::string driverVersion;  // the CUDA version the driver supports
    std::uint64_t l2Bytes = 0;
    std::string error; // set when the device could not be asked
};

CudaIdentity cudaIdentity(int device);

// The copy ceiling (GB/s) and the GEMM ceilings (fp16 and bf16 with fp32 accumulate, int8
// with int32 accumulate), each the median of several timed runs. A ceiling that could not
// be measured is left out and `note` says why; the others are kept.
std::vector<Ceiling> measureCeilings(int device, std::string &note);

} // namespace paperlab::kernels::cuda
