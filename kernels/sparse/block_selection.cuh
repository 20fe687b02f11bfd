// GPU block selection shared by the block-sparse variants (`sparse` and its 64-key forward,
// `sparse_tma` and the Hopper pipeline): the buffers one shape and selector need, and the
// launches that fill the device mask [batch*q_heads][qBlocks][kBlocks] (1 = keep). Kernels
// and method in sparse/block_sparse.cu.
#pragma once

#include "cuda/gpu_job.cuh"
#include "sparse/block_sparse_cuda.h"
#include "sparse/block_sparse_reference.h"

#include <cstdint>
#include <cublas_v2.h>
#include <cuda_fp16.h>
#include <optional>

namespace paperlab::kernels::cuda {

class GpuBlockSelection {
public:
    GpuBlockSelection() = default;
    GpuBlockSelection(const GpuBlockSelection &) = delete;
    GpuBlockSelection &operator=(const GpuBlockSelection &) = delete;
    ~GpuBlockSelection();

    // q, k: the fp16 inputs already on the device. Dense: the mask of every visible block is
    // written here once and launch() does nothing.
    std::optional<RunError> setUp(const AttentionShape &s, const SparseConfig &c, const __half *q, const __half *k);
    // Enqueues the selection on the default stream.
    void launch();
    // The error of a failed cuBLAS call in some launch() (XAttention's strided scores).
    std::optional<RunError> launchFailure() const
    {
        if (blasOk_)
            return std::nullopt;
        return RunError{ErrorCode::CudaError, "", "cublasGemmEx failed"};
    }
    std::uint8_t *mask() const { return mask_.get<std::uint8_t>(); }
    // The device mask into `out` (synchronous), with its shape.
    cudaError_t copyMaskTo(BlockMask &out) const;
    int qBlocks() const { return qBlocks_; }
    int kBlocks() const { return kBlocks_; }

private:
    AttentionShape s_;
    SparseConfig c_;
    const __half *q_ = nullptr;
    const __half *k_ = nullptr;
    int qBlocks_ = 0, kBlocks_ = 0, P_ = 0;
    std::size_t smem_ = 0;
    DeviceBuffer mask_, qMean_, kMean_, qr_, scores_;
    cublasHandle_t blas_ = nullptr;
    bool blasOk_ = true;
};

// What every block-sparse variant starts with: the inputs uploaded, the output and the L2
// flush buffer allocated (gpu_job.cuh's AttentionBuffers), the selection set up on them.
inline std::optional<RunError> setUpSparseRun(const GpuSparseJob &job, AttentionBuffers &buf,
                                              GpuBlockSelection &selection)
{
    GpuAttentionJob plain;
    plain.shape = job.shape;
    plain.inputs = job.inputs;
    plain.device = job.device;
    if (cudaError_t e = buf.setUp(plain); e != cudaSuccess)
        return cudaFailure(e, "block-sparse inputs");
    return selection.setUp(job.shape, job.config, buf.q.get<__half>(), buf.k.get<__half>());
}

// The timing loop of every block-sparse variant: per repetition the output poisoned and L2
// flushed, then `select` and `attend` timed as the two parts of one step (select_ms, attn_ms,
// their sum). `failure` is asked after each repetition for an error the launches report
// otherwise (cuBLAS, a refused launch).
template <typename Select, typename Attend, typename Failure>
void timeSelectThenAttend(const GpuSparseJob &job, const DeviceBuffer &o, const DeviceBuffer &flush,
                          GpuSparseResult &result, Select select, Attend attend, Failure failure)
{
    const LaunchTimer timer{job.warmup, job.repetitions, job.cancel, &flush, &o, "block-sparse launch"};
    auto part = [](auto fn) {
        return [fn] {
            fn();
            return cudaGetLastError();
        };
    };
    if (auto err =
            timer.runParts(part(select), part(attend), result.timesMs, &result.selectMs, &result.attnMs, failure))
        result.error = err;
}

} // namespace paperlab::kernels::cuda
