// NVML, opened at run time with dlopen("libnvidia-ml.so.1"), so the runner links nothing
// of it and still starts on a host without the NVIDIA driver: there every answer is empty
// and note() says why.
#pragma once

#include "core/run_environment.h"

#include <string>

namespace paperlab::kernels::runner {

class Nvml {
public:
    // `library`: the shared object to open (the tests name one that does not exist).
    explicit Nvml(const char *library = "libnvidia-ml.so.1");
    ~Nvml();
    Nvml(const Nvml &) = delete;
    Nvml &operator=(const Nvml &) = delete;

    bool available() const { return ok_; }
    std::string note() const { return note_; } // why it is unavailable

    std::string driverVersion();
    // Clocks and power draw of the GPU with this UUID ("GPU-..."); -1 where not known.
    ClockSample sample(const std::string &uuid);
    double powerLimitWatts(const std::string &uuid); // -1 where not known

private:
    void *device(const std::string &uuid);
    template <typename F>
    F symbol(const char *name);

    void *lib_ = nullptr;
    bool ok_ = false;
    std::string note_;
};

} // namespace paperlab::kernels::runner
