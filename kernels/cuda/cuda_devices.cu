#include "cuda/cuda_devices.h"

#include <cuda_runtime.h>

namespace paperlab::kernels::cuda {

std::vector<DeviceInfo> listCudaDevices(std::string &note)
{
    std::vector<DeviceInfo> out;
    int count = 0;
    cudaError_t err = cudaGetDeviceCount(&count);
    if (err != cudaSuccess || count == 0) {
        note = std::string("no CUDA device: ") + (err != cudaSuccess ? cudaGetErrorString(err) : "none found");
        cudaGetLastError(); // clear the sticky-free error so later calls start clean
        return out;
    }
    for (int i = 0; i < count; ++i) {
        cudaDeviceProp prop{};
        if (cudaGetDeviceProperties(&prop, i) != cudaSuccess)
            continue;
        DeviceInfo d;
        d.id = "cuda:" + std::to_string(i);
        d.name = prop.name;
        d.smCount = prop.multiProcessorCount;
        d.memoryBytes = prop.totalGlobalMem;
        d.ccMajor = prop.major;
        d.ccMinor = prop.minor;
        out.push_back(d);
    }
    return out;
}

} // namespace paperlab::kernels::cuda
