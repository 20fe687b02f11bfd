#include "core/devices.h"

#include "core/param_set.h"

#include <thread>

#ifdef PAPERLAB_KERNELS_HAVE_CUDA
#include "cuda/cuda_devices.h"
#endif

namespace paperlab::kernels {

DeviceReport listDevices()
{
    DeviceReport report;
    DeviceInfo cpu;
    cpu.id = "cpu";
    cpu.name = "CPU (float64 reference)";
    cpu.smCount = int(std::thread::hardware_concurrency());
    report.devices.push_back(cpu);
#ifdef PAPERLAB_KERNELS_HAVE_CUDA
    std::string note;
    for (auto &d : cuda::listCudaDevices(note))
        report.devices.push_back(d);
    report.note = note;
#else
    report.note = "no CUDA device: this runner was built without CUDA";
#endif
    return report;
}

std::optional<RunError> parseDevice(const std::string &text, DeviceSelection &out)
{
    if (text == "cpu" || text.empty()) {
        out = DeviceSelection{};
        return std::nullopt;
    }
    std::int64_t index = 0;
    if (text == "cuda")
        index = 0;
    else if (text.rfind("cuda:", 0) != 0 || !parseInt(text.substr(5), index) || index < 0)
        return RunError{ErrorCode::BadRequest, "device", "device '" + text + "' is not cpu, cuda or cuda:N"};
    DeviceReport report = listDevices();
    if (index >= report.cudaDeviceCount()) {
        std::string why = report.cudaDeviceCount() == 0
                              ? report.note
                              : "only " + std::to_string(report.cudaDeviceCount()) + " CUDA device(s)";
        return RunError{ErrorCode::NoDevice, "device", "device '" + text + "' is not available: " + why};
    }
    out.cuda = true;
    out.index = int(index);
    return std::nullopt;
}

} // namespace paperlab::kernels
