// The second pass of every split-KV decode here (Flash-Decoding, the fused KIVI decode, the
// sparse selection decode): each split wrote its normalized partial output and its
// log-sum-exp (log2 domain); the combine weights them by exp2(lse - max) and sums.
// Partials are laid out [rows][splits][D] and [rows][splits], one block per query row.
#pragma once

#include <algorithm>
#include <cmath>
#include <cuda_runtime.h>
#include <math_constants.h>

namespace paperlab::kernels::cuda {

template <typename T, int D>
__global__ void combineSplitsKernel(const float *__restrict__ partO, const float *__restrict__ partLse,
                                    T *__restrict__ o, int splits)
{
    // Launched as a programmatic dependent of the split kernel (launchCombineSplits' pdl), the
    // block may start before the splits finish: wait for them here (a no-op otherwise).
#if defined(__CUDA_ARCH__) && __CUDA_ARCH__ >= 900
    cudaGridDependencySynchronize();
#endif
    const size_t row = blockIdx.x;
    const float *lse = partLse + row * splits;
    float mMax = -CUDART_INF_F;
    for (int s = 0; s < splits; ++s)
        mMax = fmaxf(mMax, lse[s]);
    for (int c = threadIdx.x; c < D; c += blockDim.x) {
        float l = 0.f, acc = 0.f;
        for (int s = 0; s < splits; ++s) {
            const float w = lse[s] == -CUDART_INF_F ? 0.f : exp2f(lse[s] - mMax);
            l += w;
            acc += w * partO[(row * splits + s) * D + c];
        }
        o[row * D + c] = T(l > 0.f ? acc / l : 0.f);
    }
}

// Launches kernel(args...) allowed to start while the stream's previous kernel finishes
// (programmatic dependent launch, sm_90): its launch latency overlaps the previous kernel's
// tail; the kernel must call cudaGridDependencySynchronize() before it reads that kernel's output.
template <typename... Params, typename... Args>
cudaError_t launchDependent(void (*kernel)(Params...), dim3 grid, dim3 block, size_t smem, cudaStream_t stream,
                            Args... args)
{
    cudaLaunchConfig_t cfg = {};
    cfg.gridDim = grid;
    cfg.blockDim = block;
    cfg.dynamicSmemBytes = smem;
    cfg.stream = stream;
    cudaLaunchAttribute attr[1];
    attr[0].id = cudaLaunchAttributeProgrammaticStreamSerialization;
    attr[0].val.programmaticStreamSerializationAllowed = 1;
    cfg.attrs = attr;
    cfg.numAttrs = 1;
    return cudaLaunchKernelEx(&cfg, kernel, Params(args)...);
}

template <typename T, int D>
inline void launchCombineSplits(const float *partO, const float *partLse, T *o, int rows, int splits,
                                cudaStream_t stream = nullptr, bool pdl = false)
{
    if (pdl)
        launchDependent(combineSplitsKernel<T, D>, dim3(rows), dim3(D), 0, stream, partO, partLse, o, splits);
    else
        combineSplitsKernel<T, D><<<rows, D, 0, stream>>>(partO, partLse, o, splits);
}

// Enough blocks to fill every SM with whole waves (the FlashAttention-2 heuristic: the
// fewest splits whose wave efficiency is within 85% of the best), at least minKeys each.
inline int chooseSplits(int blocks, int kvLen, int slots, int minKeys = 256, int maxSplitsCap = 128)
{
    const int maxSplits = std::max(1, std::min(maxSplitsCap, (kvLen + minKeys - 1) / minKeys));
    auto efficiency = [&](int s) {
        const double n = double(blocks) * s / slots;
        return n / std::ceil(n);
    };
    double best = 0;
    for (int s = 1; s <= maxSplits; ++s)
        best = std::max(best, efficiency(s));
    for (int s = 1; s <= maxSplits; ++s)
        if (efficiency(s) >= 0.85 * best)
            return s;
    return 1;
}

} // namespace paperlab::kernels::cuda
