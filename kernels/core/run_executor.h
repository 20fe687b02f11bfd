// Validates a RunRequest into concrete points and runs them, reporting through callbacks.
// Shared by the CLI/JSON mode and the protobuf mode of paperlab-runner.
#pragma once

#include "core/kernel_spec.h"

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace paperlab::kernels {

struct PreparedRun {
    const KernelSpec *kernel = nullptr;
    RunRequest request;
    DeviceSelection device;
    std::vector<std::string> variants;
    std::vector<ParamSet> points; // one per sweep value (one when there is no sweep)
    // Per point: why its sweep value was refused (empty ParamSet in `points`); the other
    // points still run, so one bad value does not cost a sweep its good ones.
    std::vector<std::optional<RunError>> pointErrors;
    std::vector<std::string> sweepTexts; // each point's sweep value as given
};

std::optional<RunError> prepareRun(const RunRequest &request, PreparedRun &out);

struct RunCallbacks {
    std::function<void(int done, int total, const std::string &stage)> progress;
    std::function<void(const PointResult &)> point;
};

RunSummary executeRun(const PreparedRun &run, const RunCallbacks &callbacks, const CancelToken &cancel);

} // namespace paperlab::kernels
