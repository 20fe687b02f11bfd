// Requests, results and errors exchanged between the runner front ends (CLI, protobuf)
// and the kernels. Mirrors runner.proto but has no protobuf dependency.
#pragma once

#include "core/param_set.h"

#include <atomic>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace paperlab::kernels {

enum class ErrorCode {
    Unknown = 0,
    BadRequest = 1,
    UnknownKernel = 2,
    BadParameter = 3,
    UnknownVariant = 4,
    NoDevice = 5,
    CudaError = 6,
    OutOfMemory = 7,
    MalformedMessage = 8,
    Cancelled = 9,
    AccuracyCheckFailed = 10,
};

struct RunError {
    ErrorCode code = ErrorCode::Unknown;
    std::string parameter; // the offending parameter or field, when there is one
    std::string message;
};

const char *errorCodeName(ErrorCode code);

struct Sweep {
    std::string param;
    std::vector<std::string> values;
    // Position of each value in the client's whole sweep (seeds its inputs); empty: 0, 1, ...
    std::vector<std::uint32_t> positions;
};

struct RunRequest {
    std::string kernel;
    std::map<std::string, std::string> fixed;
    Sweep sweep;                       // empty param: a single point
    std::vector<std::string> variants; // empty: every variant that runs on the device
    std::string device = "cpu";        // "cpu", "cuda", "cuda:N"
    int repetitions = 10;
    int warmup = 2;
    std::uint64_t seed = 1;
    bool wantMask = false; // block-sparse kernels attach the block mask of the first variant
};

struct Metric {
    std::string id;
    double value = 0;
    std::string unit;
};

// One (query block x key block) mask, row-major, one byte per block (1 = computed): batch 0,
// head 0 of a block-sparse point, so the playground can draw what the selector chose.
struct BlockMaskImage {
    int rows = 0;
    int cols = 0;
    std::vector<std::uint8_t> bits;
};

struct PointOutcome {
    std::vector<Metric> metrics;
    // Every timed repetition (ms); the runner adds their p10/p90 beside the median.
    std::vector<double> timesMs;
    std::optional<RunError> error;
    std::optional<BlockMaskImage> mask; // only when PointContext::wantMask and the kernel has one
};

struct PointResult {
    int index = 0;
    std::string sweepParam;
    std::string sweepValue;
    std::string variant;
    std::string device;
    ParamSet params;
    std::vector<Metric> metrics;
    std::optional<RunError> error;
    std::optional<BlockMaskImage> mask;
};

struct RunSummary {
    int points = 0;
    int failed = 0;
    double wallSeconds = 0;
    bool cancelled = false;
};

// What one point needs, estimated from its parameters before anything is allocated.
struct MemoryNeed {
    std::uint64_t hostBytes = 0;
    std::uint64_t deviceBytes = 0; // 0 for CPU variants
};

// Set from another thread (a Cancel message, stdin closing); polled between repetitions.
class CancelToken {
public:
    void cancel() { flag_.store(true); }
    bool cancelled() const { return flag_.load(); }
    void reset() { flag_.store(false); }

private:
    std::atomic<bool> flag_{false};
};

struct DeviceSelection {
    bool cuda = false;
    int index = 0;
    std::string text() const { return cuda ? "cuda:" + std::to_string(index) : "cpu"; }
};

struct PointContext {
    ParamSet params;
    std::string variant;
    DeviceSelection device;
    int repetitions = 10;
    int warmup = 2;
    std::uint64_t seed = 1;
    bool wantMask = false;
    const CancelToken *cancel = nullptr;
};

// The run settings every GPU job takes from its point (device, repetitions, warm-up, cancel).
template <typename Job>
void copyRunSettings(const PointContext &ctx, Job &job)
{
    job.device = ctx.device.index;
    job.repetitions = ctx.repetitions;
    job.warmup = ctx.warmup;
    job.cancel = ctx.cancel;
}

} // namespace paperlab::kernels
