// Low-bit selection metadata, shared by the float64 CPU reference and the GPU kernels that build
// it: Quest's per-page key bounds (8 bits) and Double Sparsity's label keys (8 or 4 bits).
//
// Both sides must arrive at the same integers, or the reference would not be checking the
// GPU's policy. So every decision is made in double arithmetic that is exact or correctly
// rounded on host and device alike: a code (|c| <= 128) times a float scale is exact in
// double, divisions are IEEE, and floor/ceil/rint are exact.
//
// Quest (bounds_bits 8): per page one float scale s >= amax / 127 (amax: the page's largest
// |key| over all channels); per channel the minimum rounded down and the maximum rounded up
// onto the grid c * s. The rounded bounds enclose the exact ones, so sum_c max(q_c mn_c, q_c mx_c)
// stays an upper bound of q.k over the page: the policy is still Quest's, over 2 bytes per
// channel and page instead of 4.
//
// Double Sparsity (label_bits 8 or 4): per token one scale (a value an fp16 holds exactly,
// stored as fp16) and the label keys rounded to the nearest code, clamped to [-127, 127] (4 bits:
// [-7, 7], two codes a byte, the even label in the low nibble). The label scores only rank
// tokens, so nearest rounding is what keeps the ranking closest.
#pragma once

#include "core/host_device.h"

#include <cmath>

namespace paperlab::kernels::int8meta {

constexpr int kCodeMax = 127;
// Codes are stored biased (c + 128, one unsigned byte; 4-bit codes c + 8, one nibble) so that the
// GPU turns a code into a float with one byte permute and one add (2^23 + u as float bits, minus
// 2^23 + the bias).
constexpr int kCodeBias = 128;
PL_HD constexpr int codeMax(int bits)
{
    return (1 << (bits - 1)) - 1;
}
PL_HD constexpr int codeBias(int bits)
{
    return 1 << (bits - 1);
}

// Quest's page scale: the float nearest amax / 127, raised one step if 127 s would fall short of
// amax, so every rounded bound fits [-127, 127]. Zero for an all-zero page.
PL_HD float boundScale(double amax)
{
    float s = float(amax / kCodeMax);
    if (double(s) * kCodeMax < amax)
        s = nextafterf(s, 3.0e38f);
    return s;
}

// The largest c with c * s <= x: the grid point at or below x (0 when s is 0, then x is 0).
PL_HD int floorCode(double x, float s)
{
    if (!(s > 0.f))
        return 0;
    int c = int(floor(x / double(s)));
    if (double(c) * s > x)
        --c;
    else if (double(c + 1) * s <= x)
        ++c;
    return c;
}

// The smallest c with c * s >= x: the grid point at or above x.
PL_HD int ceilCode(double x, float s)
{
    return -floorCode(-x, s);
}

// Double Sparsity's token scale: amax / codeMax(bits) rounded to the nearest value of fp16's
// precision (11 significant bits; below 2^-14 a multiple of 2^-24), so the GPU stores it as an
// fp16 exactly.
PL_HD double labelScale(double amax, int bits)
{
    const double v = amax / codeMax(bits);
    if (v < 6.103515625e-05) // 2^-14: fp16's subnormal range
        return rint(v * 16777216.0) / 16777216.0;
    int e = 0;
    const double m = frexp(v, &e); // v = m 2^e, m in [0.5, 1)
    return ldexp(rint(m * 2048.0) / 2048.0, e);
}

// The nearest code to x on the grid c * s, clamped to [-codeMax, codeMax] (0 when s is 0).
PL_HD int nearestCode(double x, double s, int bits)
{
    if (!(s > 0.0))
        return 0;
    const double c = rint(x / s), m = codeMax(bits);
    return int(c > m ? m : c < -m ? -m : c);
}

} // namespace paperlab::kernels::int8meta
