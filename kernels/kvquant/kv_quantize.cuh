// The group quantizer on the GPU, in the same float32 arithmetic as quantizeGroup()
// (kvquant_reference.cpp): fp16 scale and minimum, round to nearest even, so GPU codes equal
// the CPU's bit for bit. Shared by the whole-cache quantizer and the close-group kernel.
#pragma once

#include <cstdint>
#include <cuda_fp16.h>

namespace paperlab::kernels::cuda {

__device__ __forceinline__ void groupParams(float mn, float mx, float clip, int levels, __half &sh, float &sf,
                                            __half &mh, float &mf)
{
    // Rounded products, never contracted into an FMA with the subtraction: the CPU rounds each.
    mn = __fmul_rn(mn, clip);
    mx = __fmul_rn(mx, clip);
    sh = __float2half_rn(__fdiv_rn(mx - mn, float(levels)));
    sf = __half2float(sh);
    if (!(sf > 0.f)) {
        sh = __float2half_rn(1.f);
        sf = 1.f;
    }
    mh = __float2half_rn(mn);
    mf = __half2float(mh);
}

__device__ __forceinline__ uint32_t codeOf(float x, float mf, float sf, int levels)
{
    const float q = rintf(__fdiv_rn(x - mf, sf));
    return uint32_t(fminf(fmaxf(q, 0.f), float(levels)));
}

} // namespace paperlab::kernels::cuda
