// CUDA device enumeration (implemented in cuda_devices.cu).
#pragma once

#include "core/devices.h"

#include <string>
#include <vector>

namespace paperlab::kernels::cuda {

// Empty list and a "no CUDA device: ..." note when the driver has none to offer.
std::vector<DeviceInfo> listCudaDevices(std::string &note);

} // namespace paperlab::kernels::cuda
