// GPU check of the ceiling probe (CTest label "gpu"): on cuda:0, measures the copy and
// matrix ceilings into a fresh cache directory, checks each against what any GPU this
// runner supports can do and cannot exceed, then checks that a second run reads the same
// figures back from the cache instead of measuring again, and that the spread metrics come
// with a real point. Prints the figures. Exit 77 (skip) without a device.
#include "gpu_check_run.h"
#include "runner/ceiling_cache.h"
#include "runner/environment_probe.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <unistd.h>

using namespace paperlab::kernels;
using namespace paperlab::kernels::runner;

namespace {

int failures = 0;

void expect(bool ok, const std::string &what)
{
    std::printf("%s %s\n", ok ? "ok  " : "FAIL", what.c_str());
    if (!ok)
        ++failures;
}

void printSample(const char *when, const ClockSample &s)
{
    std::printf("  %s: SM %.0f MHz, memory %.0f MHz, %.0f W\n", when, s.smClockMhz, s.memClockMhz, s.powerWatts);
}

} // namespace

int main()
{
    if (!gpucheck::announceDevice())
        return gpucheck::kSkipped;
    char dir[] = "/tmp/paperlab-ceilings-XXXXXX";
    if (!::mkdtemp(dir)) {
        std::printf("FAIL cannot create a cache directory\n");
        return 1;
    }
    ::setenv("XDG_CACHE_HOME", dir, 1);

    DeviceSelection gpu{true, 0};
    bool toldProbing = false;
    ProbeOptions options;
    options.progress = [&](const std::string &stage) { toldProbing = stage == kProbingStage; };
    RunEnvironment first = beginEnvironment(gpu, options);
    finishEnvironment(first);
    std::printf("device: %s (%s), %d SMs, driver %s, CUDA runtime %s / driver %s\n", first.deviceName.c_str(),
                first.uuid.c_str(), first.smCount, first.driverVersion.c_str(), first.cudaRuntimeVersion.c_str(),
                first.cudaDriverVersion.c_str());
    printSample("start", first.start);
    printSample("end", first.end);
    std::printf("  power limit %.0f W; %s\n", first.powerLimitWatts, first.nvmlNote.c_str());
    for (const Ceiling &c : first.ceilings)
        std::printf("  %-12s %10.1f %-7s (%s)\n", c.id.c_str(), c.value, c.unit.c_str(), c.how.c_str());
    std::printf("  note: %s\n", first.ceilingsNote.c_str());

    expect(toldProbing, "progress said the ceilings were being measured");
    expect(!first.ceilingsCached, "the first probe measured");
    expect(first.uuid.rfind("GPU-", 0) == 0, "a GPU UUID");
    // Bounds no GPU this runner supports falls outside of (A100 1.5 TB/s .. B200 8 TB/s HBM;
    // dense fp16 312 .. 2500 TFLOP/s): a unit or byte-count slip lands far outside them.
    const Ceiling *copy = first.findCeiling("copy");
    expect(copy && copy->value > 300 && copy->value < 12000, "copy ceiling in GB/s within [300, 12000]");
    for (const char *id : {"matrix_fp16", "matrix_bf16"}) {
        const Ceiling *m = first.findCeiling(id);
        expect(m && m->value > 50 && m->value < 3000, std::string(id) + " in TFLOP/s within [50, 3000]");
    }
    const std::string file = ceilingCacheFile(first.uuid, first.driverVersion.empty() ? "cuda" + first.cudaDriverVersion
                                                                                      : first.driverVersion);
    expect(::access(file.c_str(), R_OK) == 0, "cache written: " + file);

    toldProbing = false;
    RunEnvironment second = beginEnvironment(gpu, options);
    expect(second.ceilingsCached && !toldProbing, "the second probe read the cache");
    const Ceiling *copyAgain = second.findCeiling("copy");
    // The cache keeps nine significant digits (the runner's JSON numbers), not every bit.
    expect(copy && copyAgain && std::fabs(copyAgain->value - copy->value) <= 1e-8 * copy->value,
           "the cached copy ceiling is the measured one");

    options.reprobe = true;
    RunEnvironment third = beginEnvironment(gpu, options);
    expect(!third.ceilingsCached && toldProbing, "--reprobe measured again");

    // A real point carries its spread, ordered around the median.
    gpucheck::check("flash_attention", {{"seq_len", "2048"}, {"tokens", "8192"}}, {}, {"flash"},
                    {"time_ms", "time_ms_p10", "time_ms_p90", "tflops", "tflops_p10", "tflops_p90"});
    failures += gpucheck::failures;

    std::remove(file.c_str());
    std::printf("%s\n", failures ? "FAILED" : "all ceiling checks passed");
    return failures ? 1 : 0;
}
