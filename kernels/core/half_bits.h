// Host-side fp16/bf16 <-> float conversion on raw 16-bit patterns, so the CPU build
// (no cuda_fp16.h) can make the exact inputs the GPU sees and read its outputs.
#pragma once

#include <cstdint>
#include <cstring>

namespace paperlab::kernels {

enum class DType { F16, BF16 };

inline float bitsToFloat(std::uint32_t u)
{
    float f;
    std::memcpy(&f, &u, 4);
    return f;
}

inline std::uint32_t floatToBits(float f)
{
    std::uint32_t u;
    std::memcpy(&u, &f, 4);
    return u;
}

inline float bf16ToFloat(std::uint16_t h)
{
    return bitsToFloat(std::uint32_t(h) << 16);
}

inline std::uint16_t floatToBf16(float f) // round to nearest even; NaN stays NaN
{
    std::uint32_t u = floatToBits(f);
    if ((u & 0x7fffffffu) > 0x7f800000u)
        return std::uint16_t((u >> 16) | 0x40);
    u += 0x7fffu + ((u >> 16) & 1u);
    return std::uint16_t(u >> 16);
}

inline float f16ToFloat(std::uint16_t h)
{
    std::uint32_t sign = std::uint32_t(h & 0x8000u) << 16;
    std::uint32_t exp = (h >> 10) & 0x1fu;
    std::uint32_t man = h & 0x3ffu;
    if (exp == 0x1f)
        return bitsToFloat(sign | 0x7f800000u | (man << 13));
    if (exp == 0) {
        if (man == 0)
            return bitsToFloat(sign);
        // subnormal: value = man * 2^-24
        float v = float(man) * (1.0f / 16777216.0f);
        return sign ? -v : v;
    }
    return bitsToFloat(sign | ((exp + 112u) << 23) | (man << 13));
}

inline std::uint16_t floatToF16(float f) // round to nearest even
{
    std::uint32_t u = floatToBits(f);
    std::uint16_t sign = std::uint16_t((u >> 16) & 0x8000u);
    std::uint32_t absu = u & 0x7fffffffu;
    if (absu > 0x7f800000u)
        return sign | 0x7e00u;
    if (absu >= 0x477ff000u) // rounds to >= 65520: infinity
        return sign | 0x7c00u;
    if (absu < 0x38800000u) { // below the smallest normal half: subnormal or zero
        float a = bitsToFloat(absu);
        // scale so one half subnormal step is 1.0, then round to nearest even
        float scaled = a * 16777216.0f;
        std::uint32_t r = std::uint32_t(scaled);
        float frac = scaled - float(r);
        if (frac > 0.5f || (frac == 0.5f && (r & 1u)))
            ++r;
        return sign | std::uint16_t(r);
    }
    std::uint32_t mant = absu & 0x7fffffu;
    std::uint32_t exp = (absu >> 23) - 112u;
    std::uint32_t half = (exp << 10) | (mant >> 13);
    std::uint32_t rest = mant & 0x1fffu;
    if (rest > 0x1000u || (rest == 0x1000u && (half & 1u)))
        ++half;
    return sign | std::uint16_t(half);
}

inline float dtypeToFloat(DType t, std::uint16_t h)
{
    return t == DType::F16 ? f16ToFloat(h) : bf16ToFloat(h);
}
inline std::uint16_t floatToDtype(DType t, float f)
{
    return t == DType::F16 ? floatToF16(f) : floatToBf16(f);
}
inline const char *dtypeName(DType t)
{
    return t == DType::F16 ? "fp16" : "bf16";
}

} // namespace paperlab::kernels
