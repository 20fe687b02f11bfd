#include "runner/nvml_probe.h"

#include <dlfcn.h>

namespace paperlab::kernels::runner {

namespace {

// The few NVML entry points used, declared here so no NVML header is needed to build.
using NvmlReturn = int; // nvmlReturn_t; 0 is NVML_SUCCESS
using NvmlDevice = void *;
constexpr NvmlReturn kSuccess = 0;
constexpr int kClockSm = 1;  // NVML_CLOCK_SM
constexpr int kClockMem = 2; // NVML_CLOCK_MEM

using InitFn = NvmlReturn (*)();
using ShutdownFn = NvmlReturn (*)();
using DriverVersionFn = NvmlReturn (*)(char *, unsigned);
using ByUuidFn = NvmlReturn (*)(const char *, NvmlDevice *);
using ClockFn = NvmlReturn (*)(NvmlDevice, int, unsigned *);
using PowerFn = NvmlReturn (*)(NvmlDevice, unsigned *);

} // namespace

template <typename F>
F Nvml::symbol(const char *name)
{
    return ok_ ? reinterpret_cast<F>(::dlsym(lib_, name)) : nullptr;
}

Nvml::Nvml(const char *library)
{
    lib_ = ::dlopen(library, RTLD_NOW | RTLD_LOCAL);
    if (!lib_) {
        const char *why = ::dlerror();
        note_ = std::string("NVML unavailable (") + (why ? why : library) + "): no clocks, power or driver version";
        return;
    }
    ok_ = true;
    auto init = symbol<InitFn>("nvmlInit_v2");
    if (!init || init() != kSuccess) {
        ok_ = false;
        note_ = std::string("NVML unavailable: ") + library + " did not initialise; no clocks, power or driver version";
    }
}

Nvml::~Nvml()
{
    if (ok_)
        if (auto shutdown = symbol<ShutdownFn>("nvmlShutdown"))
            shutdown();
    if (lib_)
        ::dlclose(lib_);
}

std::string Nvml::driverVersion()
{
    char text[96] = {};
    auto fn = symbol<DriverVersionFn>("nvmlSystemGetDriverVersion");
    return fn && fn(text, sizeof text) == kSuccess ? std::string(text) : std::string();
}

void *Nvml::device(const std::string &uuid)
{
    NvmlDevice dev = nullptr;
    auto fn = symbol<ByUuidFn>("nvmlDeviceGetHandleByUUID");
    return fn && fn(uuid.c_str(), &dev) == kSuccess ? dev : nullptr;
}

ClockSample Nvml::sample(const std::string &uuid)
{
    ClockSample s;
    NvmlDevice dev = device(uuid);
    if (!dev)
        return s;
    unsigned v = 0;
    if (auto clock = symbol<ClockFn>("nvmlDeviceGetClockInfo")) {
        if (clock(dev, kClockSm, &v) == kSuccess)
            s.smClockMhz = v;
        if (clock(dev, kClockMem, &v) == kSuccess)
            s.memClockMhz = v;
    }
    if (auto power = symbol<PowerFn>("nvmlDeviceGetPowerUsage"); power && power(dev, &v) == kSuccess)
        s.powerWatts = v / 1000.0; // milliwatts
    return s;
}

double Nvml::powerLimitWatts(const std::string &uuid)
{
    NvmlDevice dev = device(uuid);
    unsigned mw = 0;
    auto fn = symbol<PowerFn>("nvmlDeviceGetEnforcedPowerLimit");
    return dev && fn && fn(dev, &mw) == kSuccess ? mw / 1000.0 : -1.0;
}

} // namespace paperlab::kernels::runner
