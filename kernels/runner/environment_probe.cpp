#include "runner/environment_probe.h"

#include "runner/ceiling_cache.h"
#include "runner/nvml_probe.h"

#ifdef PAPERLAB_KERNELS_HAVE_CUDA
#include "cuda/ceiling_probe.h"
#endif

#include <fstream>
#include <sys/utsname.h>
#include <thread>

namespace paperlab::kernels::runner {

std::string hostCpuModel()
{
    std::ifstream in("/proc/cpuinfo");
    for (std::string line; std::getline(in, line);) {
        // x86 says "model name", many ARM kernels only "Hardware" or nothing at all.
        if (line.rfind("model name", 0) == 0 || line.rfind("Hardware", 0) == 0) {
            const auto colon = line.find(':');
            if (colon != std::string::npos && colon + 2 <= line.size())
                return line.substr(colon + 2);
        }
    }
    utsname u{};
    return ::uname(&u) == 0 ? std::string(u.machine) : std::string("unknown CPU");
}

namespace {

#ifdef PAPERLAB_KERNELS_HAVE_CUDA
void gpuEnvironment(int index, const ProbeOptions &options, RunEnvironment &env)
{
    const cuda::CudaIdentity id = cuda::cudaIdentity(index);
    if (!id.error.empty()) {
        env.ceilingsNote = env.device + ": " + id.error;
        return;
    }
    env.deviceName = id.name;
    env.uuid = id.uuid;
    env.smCount = id.smCount;
    env.cudaRuntimeVersion = id.runtimeVersion;
    env.cudaDriverVersion = id.driverVersion;
    // The timing loops overwrite four times L2 before every timed repetition (gpu_job.cuh).
    env.l2Flush = true;
    env.l2FlushBytes = id.l2Bytes * 4;

    Nvml nvml;
    env.nvmlNote = nvml.note();
    env.driverVersion = nvml.driverVersion();
    env.start = nvml.sample(id.uuid);
    env.powerLimitWatts = nvml.powerLimitWatts(id.uuid);
    if (!options.measure)
        return;

    // Without NVML the CUDA driver version stands in for the driver in the cache key.
    const std::string driver = env.driverVersion.empty() ? "cuda" + id.driverVersion : env.driverVersion;
    const std::string file = ceilingCacheFile(id.uuid, driver);
    std::string why;
    if (!options.reprobe && !file.empty()) {
        if (auto cached = readCeilingCache(file, why)) {
            env.ceilings = cached->ceilings;
            env.ceilingsMeasuredAt = cached->measuredAt;
            env.ceilingsCached = true;
            env.ceilingsNote = file + (cached->note.empty() ? "" : "; " + cached->note);
            return;
        }
    }
    if (options.progress)
        options.progress(kProbingStage);
    CachedCeilings fresh;
    fresh.uuid = id.uuid;
    fresh.driver = driver;
    fresh.deviceName = id.name;
    fresh.measuredAt = utcNowIso();
    fresh.ceilings = cuda::measureCeilings(index, fresh.note);
    env.ceilings = fresh.ceilings;
    env.ceilingsMeasuredAt = fresh.measuredAt;
    env.ceilingsNote = fresh.note;
    if (file.empty())
        env.ceilingsNote += (env.ceilingsNote.empty() ? "" : "; ") + std::string("not cached: HOME is not set");
    else if (!fresh.ceilings.empty() && !writeCeilingCache(file, fresh, why))
        env.ceilingsNote += (env.ceilingsNote.empty() ? "" : "; ") + why;
}
#endif

} // namespace

RunEnvironment beginEnvironment(const DeviceSelection &device, const ProbeOptions &options)
{
    RunEnvironment env;
    env.device = device.text();
    env.hostCpu = hostCpuModel();
    env.hostCores = int(std::thread::hardware_concurrency());
    env.warmup = options.warmup;
    env.repetitions = options.repetitions;
    if (!device.cuda) {
        env.deviceName = env.hostCpu;
        env.smCount = env.hostCores;
        env.ceilingsNote = "the CPU reference has no measured ceilings";
        return env;
    }
#ifdef PAPERLAB_KERNELS_HAVE_CUDA
    gpuEnvironment(device.index, options, env);
#else
    env.ceilingsNote = "this runner was built without CUDA";
#endif
    return env;
}

void finishEnvironment(RunEnvironment &env)
{
    if (env.uuid.empty())
        return;
    Nvml nvml;
    env.end = nvml.sample(env.uuid);
}

} // namespace paperlab::kernels::runner
