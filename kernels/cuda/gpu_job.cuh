// Host-side plumbing shared by the CUDA variants: error capture, device buffers, L2
// flushing, and the poison-then-time loop.
#pragma once

#include "cuda/attention_cuda.h"

#include <algorithm>
#include <cuda_runtime.h>
#include <optional>
#include <string>
#include <vector>

namespace paperlab::kernels::cuda {

inline RunError cudaFailure(cudaError_t e, const char *what)
{
    ErrorCode code = e == cudaErrorMemoryAllocation ? ErrorCode::OutOfMemory : ErrorCode::CudaError;
    return RunError{code, "", std::string(what) + ": " + cudaGetErrorString(e)};
}

#define PL_CUDA_TRY(expr)                                                                                              \
    do {                                                                                                               \
        cudaError_t e_ = (expr);                                                                                       \
        if (e_ != cudaSuccess) {                                                                                       \
            result.error = cudaFailure(e_, #expr);                                                                     \
            return result;                                                                                             \
        }                                                                                                              \
    } while (0)

class DeviceBuffer {
public:
    DeviceBuffer() = default;
    DeviceBuffer(const DeviceBuffer &) = delete;
    DeviceBuffer &operator=(const DeviceBuffer &) = delete;
    ~DeviceBuffer() { cudaFree(ptr_); }
    cudaError_t alloc(size_t bytes)
    {
        bytes_ = bytes;
        return cudaMalloc(&ptr_, bytes ? bytes : 16);
    }
    template <typename T = void>
    T *get() const
    {
        return static_cast<T *>(ptr_);
    }
    size_t bytes() const { return bytes_; }

private:
    void *ptr_ = nullptr;
    size_t bytes_ = 0;
};

// Uploads the three inputs and allocates the output. Output keeps q's shape.
struct AttentionBuffers {
    DeviceBuffer q, k, v, o, flush;
    cudaError_t setUp(const GpuAttentionJob &job)
    {
        const auto &s = job.shape;
        size_t qb = s.qElements() * 2, kvb = s.kvElements() * 2;
        cudaError_t e;
        if ((e = q.alloc(qb)) || (e = k.alloc(kvb)) || (e = v.alloc(kvb)) || (e = o.alloc(qb)))
            return e;
        if ((e = cudaMemcpy(q.get(), job.inputs.q, qb, cudaMemcpyHostToDevice)) ||
            (e = cudaMemcpy(k.get(), job.inputs.k, kvb, cudaMemcpyHostToDevice)) ||
            (e = cudaMemcpy(v.get(), job.inputs.v, kvb, cudaMemcpyHostToDevice)))
            return e;
        // Writing this between runs evicts the inputs from L2, so every timed run reads
        // from device memory like the first one (the same as triton's do_bench).
        int dev = 0, l2 = 0;
        cudaGetDevice(&dev);
        cudaDeviceGetAttribute(&l2, cudaDevAttrL2CacheSize, dev);
        return flush.alloc(size_t(l2) * 4);
    }
};

// Poison the output, flush L2, then time `launch` between two events; repeated.
template <typename Launch>
bool timeLaunches(const GpuAttentionJob &job, AttentionBuffers &buf, GpuAttentionResult &result, Launch launch)
{
    cudaEvent_t start, stop;
    cudaEventCreate(&start);
    cudaEventCreate(&stop);
    bool ok = true;
    for (int rep = -job.warmup; rep < job.repetitions && ok; ++rep) {
        if (job.cancel && job.cancel->cancelled()) {
            result.error = RunError{ErrorCode::Cancelled, "", "cancelled"};
            ok = false;
            break;
        }
        cudaMemsetAsync(buf.o.get(), 0xff, buf.o.bytes()); // 0xffff is NaN in fp16 and bf16
        cudaMemsetAsync(buf.flush.get(), rep & 0xff, buf.flush.bytes());
        cudaEventRecord(start);
        launch();
        cudaEventRecord(stop);
        cudaError_t e = cudaEventSynchronize(stop);
        if (e == cudaSuccess)
            e = cudaGetLastError();
        if (e != cudaSuccess) {
            result.error = cudaFailure(e, "kernel launch");
            ok = false;
            break;
        }
        float ms = 0;
        cudaEventElapsedTime(&ms, start, stop);
        if (rep >= 0)
            result.timesMs.push_back(ms);
    }
    cudaEventDestroy(start);
    cudaEventDestroy(stop);
    if (ok) {
        result.output.resize(job.shape.qElements());
        cudaError_t e = cudaMemcpy(result.output.data(), buf.o.get(), buf.o.bytes(), cudaMemcpyDeviceToHost);
        if (e != cudaSuccess) {
            result.error = cudaFailure(e, "copy output");
            ok = false;
        }
    }
    return ok;
}

// Times a sequence of launches with CUDA events: `warmup` untimed runs, then `repetitions`
// timed ones; before each, L2 is flushed and (if given) the output poisoned with NaN bits.
// `fn` launches and returns the first launch error (or cudaSuccess).
struct LaunchTimer {
    int warmup = 2;
    int repetitions = 10;
    const CancelToken *cancel = nullptr;
    const DeviceBuffer *flush = nullptr;
    const DeviceBuffer *poison = nullptr;
    const char *what = "kernel launch";

    template <typename Fn>
    std::optional<RunError> run(Fn fn, std::vector<double> &times) const
    {
        times.clear();
        cudaEvent_t start, stop;
        cudaEventCreate(&start);
        cudaEventCreate(&stop);
        std::optional<RunError> err;
        for (int rep = -warmup; rep < std::max(repetitions, 1) && !err; ++rep) {
            if (cancel && cancel->cancelled()) {
                err = RunError{ErrorCode::Cancelled, "", "cancelled"};
                break;
            }
            if (poison)
                cudaMemsetAsync(poison->get(), 0xff, poison->bytes());
            if (flush)
                cudaMemsetAsync(flush->get(), rep & 0xff, flush->bytes());
            cudaEventRecord(start);
            cudaError_t e = fn();
            cudaEventRecord(stop);
            const cudaError_t s = cudaEventSynchronize(stop);
            if (e == cudaSuccess)
                e = s != cudaSuccess ? s : cudaGetLastError();
            if (e != cudaSuccess) {
                err = cudaFailure(e, what);
                break;
            }
            float ms = 0;
            cudaEventElapsedTime(&ms, start, stop);
            if (rep >= 0)
                times.push_back(ms);
        }
        cudaEventDestroy(start);
        cudaEventDestroy(stop);
        return err;
    }
};

} // namespace paperlab::kernels::cuda
