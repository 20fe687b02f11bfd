// The runner's side of kernels/baselines/torch_baseline.py: one long-lived python3 process
// on this host that runs PyTorch SDPA (flash, cuDNN, efficient) or FlashInfer on the
// runner's own inputs, timed the runner's way. Baseline variants ask it whether they can
// run here (with the reason when not) and run their points through it. No Qt, no CUDA.
#pragma once

#include "core/half_bits.h"
#include "core/run_types.h"

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace paperlab::kernels::baselines {

// The baseline variants a kernel can offer, as the helper names them.
extern const char *const kTorchFlash;
extern const char *const kTorchCudnn;
extern const char *const kTorchEfficient;
extern const char *const kFlashInfer;

struct SdpaJob {
    std::string backend; // one of the names above
    int device = 0;
    DType dtype = DType::F16;
    int batch = 1, qHeads = 1, kvHeads = 1, seqQ = 1, seqK = 1, headDim = 64;
    bool causal = false;
    double scale = 0;
    const std::uint16_t *q = nullptr; // batch, head, sequence, dim
    const std::uint16_t *k = nullptr;
    const std::uint16_t *v = nullptr;
    int repetitions = 10;
    int warmup = 2;
    const CancelToken *cancel = nullptr;
};

struct SdpaResult {
    std::vector<double> timesMs;
    std::vector<std::uint16_t> output; // batch, head, sequence, dim
    std::optional<RunError> error;
};

class TorchHelper {
public:
    static TorchHelper &instance();
    ~TorchHelper();

    // Empty when `backend` can run on this host; otherwise why not (no python3, no torch,
    // no CUDA device, no FlashInfer). The helper is asked once per process.
    std::string unavailableReason(const std::string &backend);
    SdpaResult run(const SdpaJob &job);

    // Where the helper script is: $PAPERLAB_TORCH_BASELINE, beside the runner (installed),
    // or the source tree this runner was built from.
    static std::string scriptPath();

private:
    TorchHelper() = default;
    bool ensureStarted(std::string &why);
    void stop();
    bool sendLine(const std::string &line);
    // One reply line; nullopt when the helper died, the timeout passed, or `cancel` fired.
    std::optional<std::string> readLine(int timeoutMs, const CancelToken *cancel, std::string &why);

    std::mutex mutex_;
    int pid_ = -1;
    int toHelper_ = -1, fromHelper_ = -1;
    std::string buffered_;
    bool probed_ = false;
    std::map<std::string, std::string> unavailable_;
};

} // namespace paperlab::kernels::baselines
