// FP8 e4m3 (the "fn" format of the Hopper tensor cores: 4 exponent bits, bias 7, 3 mantissa
// bits, no infinities) as SageAttention2 uses it for P and V, modelled in float64 so the
// simulation rounds exactly where the kernel's cvt.rn.satfinite.e4m3x2 does.
#pragma once

namespace paperlab::kernels {

constexpr double kE4m3Max = 448.0; // 1.75 * 2^8, the largest finite value

// x rounded to the nearest e4m3 value, ties to even; magnitudes beyond 448 saturate to
// ±448 (satfinite), values below the smallest normal 2^-6 land on the subnormal grid of
// step 2^-9, and NaN stays NaN.
double roundToE4m3(double x);

} // namespace paperlab::kernels
