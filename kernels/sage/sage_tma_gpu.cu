// The runner's sage_tma variant: SageAttention on the Hopper pipeline that lives in
// dev/flash_forward_tma.cu (paperlab_dev_sage_forward), as flash_tma is FlashAttention on it.
// This file owns what the runner adds around the development entry: the workspace, the
// refusals with a named parameter, and the timing (pre-pass + attention end to end, and the
// attention alone) with the loop every other variant uses.
#include "cuda/gpu_job.cuh"
#include "sage/sage_cuda.h"
#include "sage/sage_variants.h"

#include <exception>
#include <string>
#include <utility>

// dev/flash_forward_tma.cu. parts: 1 = K mean + quantisation pre-pass, 2 = attention; the
// higher bits pick the development version (see sageTmaForward). 0 or a negative code. The
// FP8 entry adds V^T in e4m3 ([b][kvHeads][128][keys padded to 128]) and V's channel scales.
extern "C" int paperlab_dev_sage_forward(int parts, int bf16, const void *q, const void *k, const void *v, void *o,
                                         void *q8, void *k8, float *qScale, float *kScale, float *kMean, int batch,
                                         int qHeads, int kvHeads, int seq, int headDim, int causal, float scale,
                                         void *stream);
extern "C" int paperlab_dev_sage_fp8_forward(int parts, int bf16, const void *q, const void *k, const void *v, void *o,
                                             void *q8, void *k8, void *v8, float *qScale, float *kScale, float *kMean,
                                             float *vScale, float *vAbsMax, int batch, int qHeads, int kvHeads, int seq,
                                             int headDim, int causal, float scale, void *stream);

namespace paperlab::kernels::cuda {

bool wgmmaAvailable(); // cuda/flash_attention_wgmma.cu

namespace {

constexpr int kPrePass = 1, kAttention = 2;

// Device memory the pre-pass writes and the attention reads, one table row per buffer so a
// version that needs more (FP8 V and its per-channel scales) adds a member and a row.
struct SageTmaWorkspace {
    DeviceBuffer q8, k8, qScale, kScale, kMean, v8, vScale, vAbsMax;

    cudaError_t alloc(const AttentionShape &s)
    {
        const size_t bhQ = size_t(s.batch) * s.qHeads, bhK = size_t(s.batch) * s.kvHeads;
        const size_t keyTiles = (size_t(s.seqK) + kSageTmaKeyTileRows - 1) / kSageTmaKeyTileRows;
        const std::pair<DeviceBuffer *, size_t> table[] = {
            {&q8, s.qElements()},                          // int8 Q [b][qHeads][seq][128]
            {&k8, s.kvElements()},                         // int8 smoothed K [b][kvHeads][seq][128]
            {&qScale, bhQ * keyTiles * 2 * sizeof(float)}, // per 64 query rows (2 per 128-row tile)
            {&kScale, bhK * keyTiles * sizeof(float)},     // per 128-key tile
            {&kMean, bhK * s.headDim * sizeof(float)},     // K channel means
            // FP8 P·V only: V^T in e4m3, keys padded to whole tiles; V's channel scales and maxima
            {&v8, kSageTmaFp8PV ? s.kvElements() / s.seqK * keyTiles * kSageTmaKeyTileRows : 1},
            {&vScale, kSageTmaFp8PV ? bhK * s.headDim * sizeof(float) : 1},
            {&vAbsMax, kSageTmaFp8PV ? bhK * s.headDim * sizeof(float) : 1},
        };
        for (const auto &[buffer, bytes] : table)
            if (const cudaError_t e = buffer->alloc(bytes); e != cudaSuccess)
                return e;
        return cudaSuccess;
    }
};

// The one call into the development pipeline; the version it runs is kSageTmaVersionBits
// (sage/sage_variants.h, beside the simulation's switch for FP8 P·V).
int sageTmaForward(int parts, const GpuSageJob &job, const AttentionBuffers &io, const SageTmaWorkspace &w)
{
    const AttentionShape &s = job.shape;
    const int bf16 = job.inputs.dtype == DType::BF16;
    if constexpr (kSageTmaFp8PV)
        return paperlab_dev_sage_fp8_forward(parts | kSageTmaVersionBits, bf16, io.q.get(), io.k.get(), io.v.get(),
                                             io.o.get(), w.q8.get(), w.k8.get(), w.v8.get(), w.qScale.get<float>(),
                                             w.kScale.get<float>(), w.kMean.get<float>(), w.vScale.get<float>(),
                                             w.vAbsMax.get<float>(), s.batch, s.qHeads, s.kvHeads, s.seqQ, s.headDim,
                                             s.causal, float(s.softmaxScale()), nullptr);
    return paperlab_dev_sage_forward(parts | kSageTmaVersionBits, bf16, io.q.get(), io.k.get(), io.v.get(), io.o.get(),
                                     w.q8.get(), w.k8.get(), w.qScale.get<float>(), w.kScale.get<float>(),
                                     w.kMean.get<float>(), s.batch, s.qHeads, s.kvHeads, s.seqQ, s.headDim, s.causal,
                                     float(s.softmaxScale()), nullptr);
}

GpuSageResult runChecked(const GpuSageJob &job)
{
    GpuSageResult result;
    result.error = sageTmaRefusal(job.shape, job.perToken, job.smoothK);
    if (result.error)
        return result;
    PL_CUDA_TRY(cudaSetDevice(job.device));
    if (!wgmmaAvailable()) {
        result.error =
            RunError{ErrorCode::NoDevice, "variant", "sage_tma needs an sm_90a GPU (H100/H200); sage runs on this one"};
        return result;
    }
    GpuAttentionJob io{job.shape, job.inputs, job.device, job.repetitions, job.warmup, 0, job.cancel};
    AttentionBuffers buf;
    PL_CUDA_TRY(buf.setUp(io));
    SageTmaWorkspace work;
    PL_CUDA_TRY(work.alloc(job.shape));

    int refused = 0; // the dev entry's own code, kept for the message
    auto launch = [&](int parts) {
        return [&, parts]() -> cudaError_t {
            const int code = sageTmaForward(parts, job, buf, work);
            if (code == 0)
                return cudaSuccess;
            refused = code;
            return cudaErrorLaunchFailure;
        };
    };
    LaunchTimer timer{job.warmup, job.repetitions, job.cancel, &buf.flush, &buf.o, "sage_tma"};
    // End to end first: the output checked is the one the whole pipeline wrote over NaN.
    result.error = timer.run(launch(kPrePass | kAttention), result.timesMs);
    if (!result.error) {
        result.output.resize(job.shape.qElements());
        PL_CUDA_TRY(cudaMemcpy(result.output.data(), buf.o.get(), buf.o.bytes(), cudaMemcpyDeviceToHost));
        // The attention alone, on the workspace the runs above left: attn_ms.
        result.error = timer.run(launch(kAttention), result.attnTimesMs);
    }
    if (refused != 0)
        result.error =
            RunError{ErrorCode::CudaError, "launch",
                     "sage_tma launch refused (paperlab_dev_sage_forward code " + std::to_string(refused) + ")"};
    return result;
}

} // namespace

GpuSageResult runSageAttentionTmaGpu(const GpuSageJob &job)
{
    try {
        return runChecked(job);
    } catch (const std::exception &e) { // std::bad_alloc of the host output, say
        GpuSageResult result;
        result.error = RunError{ErrorCode::OutOfMemory, "", std::string("sage_tma: ") + e.what()};
        return result;
    }
}

} // namespace paperlab::kernels::cuda
