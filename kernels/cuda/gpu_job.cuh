// Host-side plumbing shared by the CUDA variants: error capture, device buffers, L2
// flushing, and the poison-then-time loop.
#pragma once

#include "cuda/attention_cuda.h"

#include <algorithm>
#include <cstdlib>
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

// The L2 flush before each timed run. By default a memset of 4x L2 (as triton's do_bench), which
// leaves L2 full of dirty lines that the timed kernel writes back while it reads;
// PAPERLAB_FLUSH=read evicts by reading the buffer instead, to measure that write-back's share of
// a short step (bench.py's flush_l2 follows the same variable on the PyTorch side).
// (A template so that every translation unit including this header may instantiate it.)
template <int = 0>
__global__ void readFlushKernel(const uint4 *p, size_t n, unsigned *sink)
{
    unsigned acc = 0;
    for (size_t i = blockIdx.x * size_t(blockDim.x) + threadIdx.x; i < n; i += size_t(gridDim.x) * blockDim.x) {
        const uint4 v = p[i];
        acc ^= v.x ^ v.y ^ v.z ^ v.w;
    }
    if (acc == 0x9e3779b9u) // never, in practice; keeps the loads
        *sink = acc;
}

inline bool flushByReading()
{
    static const bool on = [] {
        const char *e = std::getenv("PAPERLAB_FLUSH");
        return e && std::string(e) == "read";
    }();
    return on;
}

inline void flushL2(const DeviceBuffer &flush, int rep)
{
    if (flushByReading()) // the buffer's last 16 bytes are the sink, never read as data
        readFlushKernel<><<<1024, 256>>>(flush.get<uint4>(), flush.bytes() / 16 - 1,
                                         flush.get<unsigned>() + (flush.bytes() / 4 - 4));
    else
        cudaMemsetAsync(flush.get(), rep & 0xff, flush.bytes());
}

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
        return runParts(
            fn, [] { return cudaSuccess; }, times, nullptr, nullptr);
    }

    // A step in two parts (a selection or quantisation, then the attention), one event between
    // them: `times` gets the whole step, `firstTimes` / `secondTimes` each part (when given).
    // `failure` is asked after each repetition for an error the launches report otherwise
    // (cuBLAS, a refused launch); timing stops at the first error.
    template <typename First, typename Second, typename Failure>
    std::optional<RunError> runParts(First first, Second second, std::vector<double> &times,
                                     std::vector<double> *firstTimes, std::vector<double> *secondTimes,
                                     Failure failure) const
    {
        times.clear();
        if (firstTimes)
            firstTimes->clear();
        if (secondTimes)
            secondTimes->clear();
        cudaEvent_t ev[3];
        for (cudaEvent_t &e : ev)
            cudaEventCreate(&e);
        std::optional<RunError> err;
        for (int rep = -warmup; rep < std::max(repetitions, 1) && !err; ++rep) {
            if (cancel && cancel->cancelled()) {
                err = RunError{ErrorCode::Cancelled, "", "cancelled"};
                break;
            }
            if (poison)
                cudaMemsetAsync(poison->get(), 0xff, poison->bytes());
            if (flush)
                flushL2(*flush, rep);
            cudaEventRecord(ev[0]);
            cudaError_t e = first();
            cudaEventRecord(ev[1]);
            if (e == cudaSuccess)
                e = second();
            cudaEventRecord(ev[2]);
            const cudaError_t s = cudaEventSynchronize(ev[2]);
            if (e == cudaSuccess)
                e = s != cudaSuccess ? s : cudaGetLastError();
            if (e != cudaSuccess) {
                err = cudaFailure(e, what);
                break;
            }
            if ((err = failure()))
                break;
            float all = 0, a = 0, b = 0;
            cudaEventElapsedTime(&all, ev[0], ev[2]);
            cudaEventElapsedTime(&a, ev[0], ev[1]);
            cudaEventElapsedTime(&b, ev[1], ev[2]);
            if (rep >= 0) {
                times.push_back(all);
                if (firstTimes)
                    firstTimes->push_back(a);
                if (secondTimes)
                    secondTimes->push_back(b);
            }
        }
        for (cudaEvent_t &e : ev)
            cudaEventDestroy(e);
        return err;
    }

    template <typename First, typename Second>
    std::optional<RunError> runParts(First first, Second second, std::vector<double> &times,
                                     std::vector<double> *firstTimes, std::vector<double> *secondTimes) const
    {
        return runParts(first, second, times, firstTimes, secondTimes, [] { return std::optional<RunError>{}; });
    }
};

// Poison the output, flush L2, then time `launch` between two events; repeated. On success the
// output is copied back into result.output.
template <typename Launch>
bool timeLaunches(const GpuAttentionJob &job, AttentionBuffers &buf, GpuAttentionResult &result, Launch launch)
{
    const LaunchTimer timer{job.warmup, job.repetitions, job.cancel, &buf.flush, &buf.o, "kernel launch"};
    if (auto err = timer.run(
            [&] {
                launch();
                return cudaGetLastError();
            },
            result.timesMs)) {
        result.error = err;
        return false;
    }
    result.output.resize(job.shape.qElements());
    if (cudaError_t e = cudaMemcpy(result.output.data(), buf.o.get(), buf.o.bytes(), cudaMemcpyDeviceToHost)) {
        result.error = cudaFailure(e, "copy output");
        return false;
    }
    return true;
}

} // namespace paperlab::kernels::cuda
