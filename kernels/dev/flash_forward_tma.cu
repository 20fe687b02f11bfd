// FlashAttention forward, development variants 14+ (earlier versions 1-13: NOTES.md and
// cuda/flash_attention_fwd.cu, cuda/flash_attention_wgmma.cu). Built as a shared library
// that kernels/dev/run_dev.py loads with ctypes: it checks every variant against a float64
// reference, then times it beside torch SDPA (flash, cuDNN) on the same tensors.
//
// The Hopper pipeline (FlashAttention-3's structure, written from the paper's description):
//   block = 3 warpgroups. Warpgroup 0 is the producer: it gives up registers (setmaxnreg 24)
//   and one thread issues TMA copies of Q once and of K/V tiles into a STAGES-deep ring,
//   each stage completing on a "full" mbarrier with the byte count; consumers free a stage
//   through its "empty" mbarrier. Warpgroups 1 and 2 (240 registers each) own 64 query rows
//   apiece of the 128-row Q tile.
//   Per consumer, tile j: S_j = Q K_j^T is issued, then O += P_{j-1} V_{j-1}; the softmax of
//   S_j runs while that PV wgmma is on the tensor cores (intra-warpgroup overlap); O is
//   rescaled once the PV wait returns.
//   Variant 15 adds ping-pong: named barriers make the two consumer warpgroups take turns
//   issuing their wgmmas, so one's softmax overlaps the other's GEMMs.
//   Causal masking only on the diagonal tile (and the tail tile past seq_k); causal blocks
//   are launched longest-first across all heads. O goes registers -> shared (swizzled) ->
//   TMA store, which clips rows past seq_q.
#include "cuda/hopper/pipeline.cuh"
#include "cuda/hopper/tensor_map.h"
#include "cuda/wgmma_ops.cuh"

#include <cstdio>
#include <cstring>
#include <math_constants.h>
#include <type_traits>

namespace paperlab::kernels::cuda::hopper {

namespace {

struct FwdParams {
    int seqQ, seqK, qHeads, kvHeads, qTiles;
    float scaleLog2;
    // Block-sparse walk (SPARSE): for query tile i of head bh, kvCount[bh * qTiles + i] key
    // tiles listed at kvList[(bh * qTiles + i) * maxKept ...], any order.
    const int *kvList = nullptr;
    const int *kvCount = nullptr;
    int maxKept = 0;
    // INT8 Q/K (SageAttention): one scale per 64 query rows ([bh][qTiles][NC]) and per key
    // tile ([b*kvHeads][kTiles]).
    const float *qScale = nullptr;
    const float *kScale = nullptr;
    int kTiles = 0;
    int qScaleBlocks = 0; // 64-row Q scale blocks per head (the pre-pass's 2 * ceil(seq / 128))
    // FP8 P V (SageAttention2): V's per-channel scale ([b*kvHeads][D]), applied to O at the end.
    const float *vScale = nullptr;
    // Launch order: false = (batch*head) fastest, longest query tile first (causal balance);
    // true = query tile fastest, so the blocks running at once share a few heads' K/V in L2.
    bool qTileFastest = false;
};

// NC consumer warpgroups of 64 query rows each, plus the producer warpgroup.
template <int NC>
struct FwdShape {
    static constexpr int rows = NC * 64;
    static constexpr int threads = (NC + 1) * 128;
    // Registers per thread after setmaxnreg: the producer keeps 24; the consumers share the
    // rest of the 64K register file (the entry cap is 65536 / threads).
    static constexpr int consumerRegs = NC == 2 ? 240 : 160;
};
// The budgets fit the 64K-entry register file (24 for the producer warpgroup). This also
// keeps consumerRegs referenced in nvcc's host pass, which never sees the device code using it.
static_assert(24 * 128 + 2 * 128 * FwdShape<2>::consumerRegs <= 65536,
              "two consumer warpgroups overflow the register file");
static_assert(24 * 128 + 3 * 128 * FwdShape<3>::consumerRegs <= 65536,
              "three consumer warpgroups overflow the register file");

// TQK: element type of Q and K in shared memory (T, or int8_t for SageAttention's INT8 QK^T).
// The Q region also holds O (type T) in the epilogue.
// FP8PV: V^T tiles of one byte per element (SageAttention2's FP8 P V).
template <typename T, int D, int NC, int BC, int STAGES, typename TQK = T, bool FP8PV = false>
struct FwdSmem {
    static constexpr int rows = FwdShape<NC>::rows;
    static constexpr int qBytes = rows * D * int(sizeof(TQK) > sizeof(T) ? sizeof(TQK) : sizeof(T));
    static constexpr int kBytes = BC * D * int(sizeof(TQK));
    static constexpr int vBytes = BC * D * (FP8PV ? 1 : int(sizeof(T)));
    // FP8 P V: 1 KB of e4m3 ones, the B operand that turns P into its row sums (Sage v12)
    static constexpr int onesBytes = FP8PV ? 1024 : 0;
    static constexpr int bytes = qBytes + STAGES * (kBytes + vBytes) + onesBytes + 8 * (1 + 4 * STAGES) + 1024;
};

// Four floats to four e4m3 bytes (x0 in the lowest), round to nearest, saturating at 448.
__device__ __forceinline__ uint32_t packE4M3x4(float x0, float x1, float x2, float x3)
{
    uint32_t r = 0;
#if defined(__CUDA_ARCH__) && __CUDA_ARCH__ >= 890 // FP8 conversions exist from sm_89 on

    asm("{\n.reg .b16 lo, hi;\n"
        "cvt.rn.satfinite.e4m3x2.f32 lo, %2, %1;\n"
        "cvt.rn.satfinite.e4m3x2.f32 hi, %4, %3;\n"
        "mov.b32 %0, {lo, hi};\n}\n"
        : "=r"(r)
        : "f"(x0), "f"(x1), "f"(x2), "f"(x3));
#endif
    return r;
}

#ifdef PL_HOPPER_PIPELINE
// log2(448): P is scaled to e4m3's largest finite value before it is rounded to FP8.
constexpr float kLog2E4M3Max = 8.807354922057604f;

// Per-thread online-softmax state for the 2 rows (g, g+8) a thread holds of its warp's 16.
template <int D>
struct RowState {
    float m[2];
    float l[2];
};

// Masks keys past seq_k and, causally, keys after the row. Only called on tiles that need it.
template <int BC, bool CAUSAL>
__device__ __forceinline__ void maskTile(float (&s)[BC / 8][4], int k0, int seqK, int rowA, int t)
{
#pragma unroll
    for (int n = 0; n < BC / 8; ++n)
#pragma unroll
        for (int e = 0; e < 4; ++e) {
            const int key = k0 + n * 8 + 2 * t + (e & 1);
            if (key >= seqK || (CAUSAL && key > rowA + (e >> 1) * 8))
                s[n][e] = -CUDART_INF_F;
        }
}

// Turns raw scores into unnormalised probabilities against the updated running max; returns
// the factor (per row half) by which the accumulated O and l must be scaled.
// Row half h of this thread's tile: updates the running max and returns the exponent base
// (0 for rows fully masked so far, so no (-inf) - (-inf) NaN) and the O/l correction factor.
template <int BC>
__device__ __forceinline__ float updateRowMax(const float (&s)[BC / 8][4], int h, float &m, float scaleLog2,
                                              float &corr)
{
    float mx = -CUDART_INF_F;
#pragma unroll
    for (int n = 0; n < BC / 8; ++n)
        mx = fmaxf(mx, fmaxf(s[n][2 * h], s[n][2 * h + 1]));
    mx = quadMax(mx);
    const float mNew = fmaxf(m, mx * scaleLog2);
    const float base = mNew == -CUDART_INF_F ? 0.f : mNew;
    corr = fastExp2(m - base);
    m = mNew;
    return base;
}

// expOffset (log2 of a power-of-two-free constant c) makes P = c * exp(..): FP8 P uses
// c = 448 to fill e4m3's range; l carries the same factor, so O / l is unchanged.
template <int BC>
__device__ __forceinline__ void softmaxRescale(float (&s)[BC / 8][4], float (&m)[2], float (&l)[2], float scaleLog2,
                                               float (&corr)[2], float expOffset = 0.f)
{
#pragma unroll
    for (int h = 0; h < 2; ++h) {
        const float base = updateRowMax<BC>(s, h, m[h], scaleLog2, corr[h]) - expOffset;
        float sum = 0.f;
#pragma unroll
        for (int n = 0; n < BC / 8; ++n) {
            s[n][2 * h] = fastExp2(fmaf(s[n][2 * h], scaleLog2, -base));
            s[n][2 * h + 1] = fastExp2(fmaf(s[n][2 * h + 1], scaleLog2, -base));
            sum += s[n][2 * h] + s[n][2 * h + 1];
        }
        l[h] = l[h] * corr[h] + sum;
    }
}

// 2^x on the FMA and ALU pipes (FlashAttention-4's way of relieving the special-function
// unit): x = n + f with n the nearest integer (by the 1.5 * 2^23 rounding trick), 2^f on
// [-0.5, 0.5] by a quadratic (relative error 1.7e-3, far below e4m3's 6%), and n added to
// the exponent bits. x is clamped at -126 so 2^n stays a normal float.
__device__ __forceinline__ float polyExp2(float x)
{
    x = fmaxf(x, -126.f);
    const float t = x + 12582912.f;
    const float f = x - (t - 12582912.f);
    const float p = fmaf(fmaf(0.23841957f, f, 0.70343537f), f, 1.00044281f);
    return __int_as_float(__float_as_int(p) + (__float_as_int(t) << 23));
}

// Sage v10/v11: the online-softmax step straight from the s32 scores of a tile that needs no
// mask. The row max is taken on the integers (IMNMX, no conversion first); each score then
// becomes the exponent argument in one FFMA on its magic-number float (bits of 1.5 * 2^23 +
// s, exact for |s| < 2^22), the 1.5 * 2^23 * scale folded into the bias: no I2F, which
// shares the special-function pipe with the exponentials (it turned out not to: ncu counts
// only the exponentials on the XU pipe, NOTES.md). POLY: that many of every 8 chunks of 8 keys
// take polyExp2 instead of MUFU. !SUM: the row sums come from the tensor cores (Sage v12).
template <int BC, int POLY, bool SUM = true>
__device__ __forceinline__ void softmaxInt(const int (&acc)[BC / 8][4], float (&s)[BC / 8][4], float (&m)[2],
                                           float (&l)[2], float scaleLog2, float (&corr)[2], float expOffset)
{
#pragma unroll
    for (int h = 0; h < 2; ++h) {
        int mx = max(acc[0][2 * h], acc[0][2 * h + 1]);
#pragma unroll
        for (int n = 1; n < BC / 8; ++n)
            mx = max(mx, max(acc[n][2 * h], acc[n][2 * h + 1]));
        mx = max(mx, __shfl_xor_sync(0xffffffffu, mx, 1));
        mx = max(mx, __shfl_xor_sync(0xffffffffu, mx, 2));
        const float mNew = fmaxf(m[h], float(mx) * scaleLog2);
        corr[h] = fastExp2(m[h] - mNew);
        m[h] = mNew;
        const float bias = fmaf(-12582912.f, scaleLog2, expOffset - mNew);
        float sum[2] = {0.f, 0.f};
#pragma unroll
        for (int n = 0; n < BC / 8; ++n)
#pragma unroll
            for (int e = 2 * h; e < 2 * h + 2; ++e) {
                const float x = fmaf(__int_as_float(acc[n][e] + 0x4B400000), scaleLog2, bias);
                // POLY of every 8 chunks on the FMA pipe, spread out (2: chunks 3, 7; 3: 2, 5, 7)
                constexpr unsigned polyChunks = POLY == 2 ? 0x88u : POLY == 3 ? 0xA4u : 0u;
                s[n][e] = ((polyChunks >> (n & 7)) & 1u) ? polyExp2(x) : fastExp2(x);
                if (SUM)
                    sum[n & 1] += s[n][e];
            }
        if (SUM)
            l[h] = l[h] * corr[h] + (sum[0] + sum[1]);
    }
}

// Sage v15: softmaxInt's step for both of the thread's rows at once, the maxima as balanced
// trees and the two rows' chains interleaved (one warp per scheduler runs the softmax while
// the other warpgroup waits on its wgmmas, so the step's latency is instruction-level
// parallelism within one warp). Row sums come from the tensor cores.
template <int BC, int POLY>
__device__ __forceinline__ void softmaxIntRows(const int (&acc)[BC / 8][4], float (&s)[BC / 8][4], float (&m)[2],
                                               float scaleLog2, float (&corr)[2], float expOffset)
{
    int t0[BC / 8], t1[BC / 8];
#pragma unroll
    for (int n = 0; n < BC / 8; ++n) {
        t0[n] = max(acc[n][0], acc[n][1]);
        t1[n] = max(acc[n][2], acc[n][3]);
    }
    static_assert(BC == 128, "the max trees below are written for 16 chunks");
    auto level = [&](auto width) { // one tree level with a compile-time width (no local memory)
#pragma unroll
        for (int n = 0; n < decltype(width)::value; ++n) {
            t0[n] = max(t0[n], t0[n + decltype(width)::value]);
            t1[n] = max(t1[n], t1[n + decltype(width)::value]);
        }
    };
    level(std::integral_constant<int, 8>{});
    level(std::integral_constant<int, 4>{});
    level(std::integral_constant<int, 2>{});
    level(std::integral_constant<int, 1>{});
    int mx0 = t0[0], mx1 = t1[0];
    mx0 = max(mx0, __shfl_xor_sync(0xffffffffu, mx0, 1));
    mx1 = max(mx1, __shfl_xor_sync(0xffffffffu, mx1, 1));
    mx0 = max(mx0, __shfl_xor_sync(0xffffffffu, mx0, 2));
    mx1 = max(mx1, __shfl_xor_sync(0xffffffffu, mx1, 2));
    const float mNew0 = fmaxf(m[0], float(mx0) * scaleLog2), mNew1 = fmaxf(m[1], float(mx1) * scaleLog2);
    corr[0] = fastExp2(m[0] - mNew0);
    corr[1] = fastExp2(m[1] - mNew1);
    m[0] = mNew0;
    m[1] = mNew1;
    const float b0 = fmaf(-12582912.f, scaleLog2, expOffset - mNew0);
    const float b1 = fmaf(-12582912.f, scaleLog2, expOffset - mNew1);
    constexpr unsigned polyChunks = POLY == 2 ? 0x88u : POLY == 3 ? 0xA4u : 0u;
#pragma unroll
    for (int n = 0; n < BC / 8; ++n)
#pragma unroll
        for (int e = 0; e < 4; ++e) {
            const float x = fmaf(__int_as_float(acc[n][e] + 0x4B400000), scaleLog2, e < 2 ? b0 : b1);
            s[n][e] = ((polyChunks >> (n & 7)) & 1u) ? polyExp2(x) : fastExp2(x);
        }
}

// v21 / Sage v5: the same step with the exponentials on ex2.approx.f16x2, two per MUFU
// operation (the MUFU pipe is a quarter of the FP32 rate and, per warpgroup, the longest
// term of the softmax that the other warpgroup's wgmmas must cover). The arguments are
// formed in fp32 and rounded in pairs; the results are the packed fp16 P fragment itself.
// Row sums: 4 pairs added in fp16 (values <= 8, so rounding stays ~1e-3 of each), then fp32.
template <int BC>
__device__ __forceinline__ void softmaxRescaleF16x2(const float (&s)[BC / 8][4], uint32_t (&pa)[BC / 16][4],
                                                    float (&m)[2], float (&l)[2], float scaleLog2, float (&corr)[2])
{
#pragma unroll
    for (int h = 0; h < 2; ++h) {
        const float base = updateRowMax<BC>(s, h, m[h], scaleLog2, corr[h]);
        float sum = 0.f;
#pragma unroll
        for (int n0 = 0; n0 < BC / 8; n0 += 4) {
            __half2 part = __float2half2_rn(0.f);
#pragma unroll
            for (int n = n0; n < n0 + 4; ++n) {
                const __half2 x =
                    __floats2half2_rn(fmaf(s[n][2 * h], scaleLog2, -base), fmaf(s[n][2 * h + 1], scaleLog2, -base));
                __half2 e; // not h2exp2: that one widens to two fp32 ex2 (see NOTES.md)
                asm("ex2.approx.f16x2 %0, %1;\n"
                    : "=r"(*reinterpret_cast<uint32_t *>(&e))
                    : "r"(*reinterpret_cast<const uint32_t *>(&x)));
                pa[n >> 1][(n & 1) * 2 + h] = *reinterpret_cast<const uint32_t *>(&e);
                part = __hadd2(part, e);
            }
            const float2 f = __half22float2(part);
            sum += f.x + f.y;
        }
        l[h] = l[h] * corr[h] + sum;
    }
}

template <typename T, int BC>
__device__ __forceinline__ void packP(uint32_t (&pa)[BC / 16][4], const float (&s)[BC / 8][4])
{
#pragma unroll
    for (int kk = 0; kk < BC / 16; ++kk) {
        pa[kk][0] = Mma<T>::pack(s[2 * kk][0], s[2 * kk][1]);
        pa[kk][1] = Mma<T>::pack(s[2 * kk][2], s[2 * kk][3]);
        pa[kk][2] = Mma<T>::pack(s[2 * kk + 1][0], s[2 * kk + 1][1]);
        pa[kk][3] = Mma<T>::pack(s[2 * kk + 1][2], s[2 * kk + 1][3]);
    }
}

// P as the A operand of the e4m3 wgmma (k32 per step). The accumulator gives this thread
// keys 2t, 2t+1 of each 8-key chunk; the fragment wants keys 4t..4t+3 and 16+4t..16+4t+3 of
// the 32. Instead of shuffling, the pre-pass stores V^T with each 32-key group permuted so
// that logical key 4t+i is physical key 2t + (i & 1) + 8 (i >> 1) (and + 16 for the upper
// half): exactly what this thread holds, in register order.
template <int BC>
__device__ __forceinline__ void packP8(uint32_t (&pa)[BC / 32][4], const float (&s)[BC / 8][4])
{
#pragma unroll
    for (int kk = 0; kk < BC / 32; ++kk) {
        const int n = 4 * kk;
        pa[kk][0] = packE4M3x4(s[n][0], s[n][1], s[n + 1][0], s[n + 1][1]);
        pa[kk][1] = packE4M3x4(s[n][2], s[n][3], s[n + 1][2], s[n + 1][3]);
        pa[kk][2] = packE4M3x4(s[n + 2][0], s[n + 2][1], s[n + 3][0], s[n + 3][1]);
        pa[kk][3] = packE4M3x4(s[n + 2][2], s[n + 2][3], s[n + 3][2], s[n + 3][3]);
    }
}
#endif

// The logical position of physical key p inside V^T's 32-key groups (inverse of packP8's
// order): bit 3 of p says which of the thread's two 8-key chunks, bits 1-2 the thread t.
__host__ __device__ constexpr int fp8LogicalKey(int p)
{
    const int q = p & 31;
    return (p & ~31) + (q & 16) + 4 * ((q >> 1) & 3) + 2 * ((q >> 3) & 1) + (q & 1);
}

template <typename T, int D, int NC, int BC, int STAGES, bool CAUSAL, bool PINGPONG, bool EARLY_RESCALE,
          bool SPARSE = false, typename TQK = T, bool MAGIC_I2F = false, bool EXP_F16X2 = false, bool FP8PV = false,
          int SAGE_OPTS = 0>
__global__ void __launch_bounds__(FwdShape<NC>::threads, 1)
    flashForwardTma(const __grid_constant__ CUtensorMap mapQ, const __grid_constant__ CUtensorMap mapK,
                    const __grid_constant__ CUtensorMap mapV, const __grid_constant__ CUtensorMap mapO,
                    const FwdParams p)
{
#ifdef PL_HOPPER_PIPELINE
    using Smem = FwdSmem<T, D, NC, BC, STAGES, TQK, FP8PV>;
    using TV = std::conditional_t<FP8PV, uint8_t, T>;
    static_assert(!FP8PV || (BC == 128 && D == 128 && sizeof(TQK) == 1), "FP8 P V is built for hd 128, 128-key tiles");
    constexpr int kBR = FwdShape<NC>::rows;
    constexpr bool INT8 = sizeof(TQK) == 1;
    constexpr int kAtom = 128 / int(sizeof(TQK)); // elements of Q/K per 128-byte swizzle row
    constexpr int kStep = 32 / int(sizeof(TQK));  // K extent of one wgmma (k16 f16, k32 s8)
    extern __shared__ unsigned char smemRaw[];
    unsigned char *smem =
        reinterpret_cast<unsigned char *>((reinterpret_cast<uintptr_t>(smemRaw) + 1023) & ~uintptr_t(1023));
    TQK *sQ = reinterpret_cast<TQK *>(smem);
    TQK *sK = reinterpret_cast<TQK *>(smem + Smem::qBytes);
    TV *sV = reinterpret_cast<TV *>(smem + Smem::qBytes + STAGES * Smem::kBytes);
    uint8_t *sOnes = smem + Smem::qBytes + STAGES * (Smem::kBytes + Smem::vBytes);
    uint64_t *fullQ = reinterpret_cast<uint64_t *>(sOnes + Smem::onesBytes);
    // SAGE_OPTS: 1 = softmax on the integer scores, 2 / 8 = 2 / 3 of every 8 chunks'
    // exponentials on polyExp2, 4 = row sums by wgmma against ones, O rescaled only when a
    // row's max moved, next tile's K scale loaded a tile ahead.
    constexpr bool kIntSoftmax = SAGE_OPTS & 1;
    constexpr int kPoly = (SAGE_OPTS & 8) ? 3 : (SAGE_OPTS & 2) ? 2 : 0;
    constexpr bool kRowSumMma = FP8PV && (SAGE_OPTS & 4);
    constexpr bool kRowsTogether = kRowSumMma && (SAGE_OPTS & 32); // 32: softmaxIntRows
    uint64_t *fullK = fullQ + 1;
    uint64_t *fullV = fullK + STAGES;
    uint64_t *emptyK = fullV + STAGES;
    uint64_t *emptyV = emptyK + STAGES;

    // Longest first: blockIdx.x runs over (batch, head) fastest, so the first wave holds the
    // last (longest, when causal) query tile of every head.
    const int bh = p.qTileFastest ? int(blockIdx.y) : int(blockIdx.x);
    const int qTile = p.qTileFastest ? int(blockIdx.x) : p.qTiles - 1 - int(blockIdx.y);
    const int b = bh / p.qHeads, h = bh % p.qHeads;
    const int bhk = b * p.kvHeads + h / (p.qHeads / p.kvHeads);
    const int q0 = qTile * kBR;
    const int keyEnd = CAUSAL ? min(p.seqK, q0 + kBR) : p.seqK;
    const int *list = SPARSE ? p.kvList + (size_t(bh) * p.qTiles + qTile) * p.maxKept : nullptr;
    const int tiles = SPARSE ? p.kvCount[bh * p.qTiles + qTile] : (keyEnd + BC - 1) / BC;
    auto keyTile = [&](int j) { return SPARSE ? __ldg(list + j) : j; };

    const int wg = threadIdx.x / 128;
    if constexpr (FP8PV) {
        for (int i = threadIdx.x; i < Smem::onesBytes / 4; i += blockDim.x)
            reinterpret_cast<uint32_t *>(sOnes)[i] = 0x38383838u; // e4m3 1.0
        fenceSharedToAsync();
    }
    if (threadIdx.x == 0) {
        barrierInit(fullQ, 1);
        for (int s = 0; s < STAGES; ++s) {
            barrierInit(fullK + s, 1);
            barrierInit(fullV + s, 1);
            barrierInit(emptyK + s, 4 * NC); // lane 0 of each consumer warp
            barrierInit(emptyV + s, 4 * NC);
        }
        ptx::fence_mbarrier_init(ptx::sem_release, ptx::scope_cluster);
    }
    __syncthreads();

    if (wg == 0) {
        registersDown<24>();
        if (threadIdx.x == 0) {
            prefetchTensorMap(&mapK);
            prefetchTensorMap(&mapV);
            barrierExpectBytes(fullQ, kBR * D * sizeof(TQK));
#pragma unroll
            for (int blk = 0; blk < D / kAtom; ++blk)
                tmaLoad3d(sQ + blk * kBR * kAtom, &mapQ, blk * kAtom, q0, bh, fullQ);
            for (int j = 0; j < tiles; ++j) {
                const int stage = j % STAGES;
                const uint32_t parity = ((j / STAGES) & 1) ^ 1; // a fresh barrier passes parity 1
                barrierWait(emptyK + stage, parity);
                barrierExpectBytes(fullK + stage, Smem::kBytes);
#pragma unroll
                for (int blk = 0; blk < D / kAtom; ++blk)
                    tmaLoad3d(sK + stage * BC * D + blk * BC * kAtom, &mapK, blk * kAtom, keyTile(j) * BC, bhk,
                              fullK + stage);
                barrierWait(emptyV + stage, parity);
                barrierExpectBytes(fullV + stage, Smem::vBytes);
                if constexpr (FP8PV) // V^T: D rows of 128 keys (one swizzle atom)
                    tmaLoad3d(sV + stage * BC * D, &mapV, keyTile(j) * BC, 0, bhk, fullV + stage);
                else
#pragma unroll
                    for (int blk = 0; blk < D / 64; ++blk)
                        tmaLoad3d(sV + stage * BC * D + blk * BC * 64, &mapV, blk * 64, keyTile(j) * BC, bhk,
                                  fullV + stage);
            }
        }
    } else {
        registersUp<FwdShape<NC>::consumerRegs>();
        const int cw = wg - 1; // consumer index: rows cw*64 .. cw*64+63 of the Q tile
        const int lane = threadIdx.x & 31, warp = (threadIdx.x >> 5) & 3;
        const int g = lane >> 2, t = lane & 3;
        const int rowA = q0 + cw * 64 + warp * 16 + g; // this thread's rows: rowA, rowA + 8
        // Ping-pong: consumers issue their wgmmas in turn 0, 1, .., NC-1, 0, ..; consumer c
        // waits on named barrier 1 + c and hands over on the next one's.
        const int ownBar = 1 + cw, otherBar = 1 + (cw + 1) % NC;
        constexpr int kPair = 256; // the waiting warpgroup and the one handing over

        using SAcc = std::conditional_t<INT8, int, float>;
        auto issueS = [&](SAcc(&acc)[BC / 8][4], int stage) {
            const TQK *kT = sK + stage * BC * D;
            wgmmaFence();
#pragma unroll
            for (int kk = 0; kk < D / kStep; ++kk) {
                // K-major operands: 32 bytes per step inside a 128-byte swizzle row, the next
                // atom block every 4 steps.
                const int blk = kk >> 2, inner = (kk & 3) * kStep;
                const uint64_t da = descSwizzle128(sQ + blk * kBR * kAtom + cw * 64 * kAtom + inner, 16, 1024);
                const uint64_t db = descSwizzle128(kT + blk * BC * kAtom + inner, 16, 1024);
                if constexpr (INT8)
                    WgmmaS8::template ss<BC>(acc, da, db, kk > 0);
                else
                    WgmmaOps<T>::template ss<BC>(acc, da, db, kk > 0);
            }
            wgmmaCommit();
        };
        // INT8: the s32 scores become floats; the dequantisation (Q block scale x K tile
        // scale) is folded into the softmax's log2 scale.
        // Sage v4 (MAGIC_I2F): I2F runs at a quarter of the FP32 rate, as slow as the exp it
        // precedes; |S| <= 127^2 * 128 < 2^22, so adding the bits of 1.5 * 2^23 and
        // subtracting it as a float converts exactly with one integer and one float add.
        auto scoresReady = [&](float(&dst)[BC / 8][4], SAcc(&acc)[BC / 8][4]) {
            fenceOperands(acc);
#pragma unroll
            for (int n = 0; n < BC / 8; ++n)
#pragma unroll
                for (int e = 0; e < 4; ++e) {
                    if constexpr (INT8 && MAGIC_I2F)
                        dst[n][e] = __int_as_float(int(acc[n][e]) + 0x4B400000) - 12582912.f;
                    else
                        dst[n][e] = float(acc[n][e]);
                }
        };
        auto tileScale = [&](int j) {
            if constexpr (INT8)
                // Q scales per 64 rows ([bh][qScaleBlocks]); rows past seq_q read the last one
                return p.scaleLog2 *
                       __ldg(p.qScale + size_t(bh) * p.qScaleBlocks + min(qTile * NC + cw, p.qScaleBlocks - 1)) *
                       __ldg(p.kScale + size_t(bhk) * p.kTiles + keyTile(j));
            else
                return p.scaleLog2;
        };
        float o[D / 8][4];
        float lAcc[1][4] = {{0.f, 0.f, 0.f, 0.f}}; // Sage v12: rows g (cols 0, 1) and g + 8 (cols 2, 3)
        float lSum[2] = {0.f, 0.f};                // of the tiles so far, in fp32
        auto addTileSums = [&] {
            if constexpr (kRowSumMma) {
                lSum[0] += lAcc[0][0];
                lSum[1] += lAcc[0][2];
            }
        };
        constexpr int kPSteps = FP8PV ? BC / 32 : BC / 16; // A fragments of P per tile
        auto issuePV = [&](const uint32_t(&pa)[kPSteps][4], int stage) {
            const TV *vT = sV + stage * BC * D;
            wgmmaFence();
#pragma unroll
            for (int kk = 0; kk < kPSteps; ++kk) {
                if constexpr (FP8PV) { // V^T K-major: 32 keys = 32 bytes of each 128-byte row
                    WgmmaE4M3::rs<D>(o, pa[kk], descSwizzle128(vT + kk * 32, 16, 1024), 1);
                    // every column of P x ones is P's row sum; this tile's alone (kk == 0 clears it):
                    // the tensor cores keep ~22 bits of an FP8 sum, so summing all tiles there
                    // lost several % of l (two-level accumulation, as SageAttention2 does for O)
                    if constexpr (kRowSumMma)
                        WgmmaE4M3::rs<8>(lAcc, pa[kk], descSwizzle128(sOnes + kk * 32, 16, 1024), kk > 0);
                } else
                    WgmmaOps<T>::template rsTransB<D>(o, pa[kk], descSwizzle128(vT + kk * 16 * 64, BC * 128, 1024), 1);
            }
            wgmmaCommit();
        };
        auto release = [&](uint64_t *bar) {
            __syncwarp();
            if (lane == 0)
                barrierArrive(bar);
        };
        auto needsMask = [&](int j) {
            const int k0 = keyTile(j) * BC;
            return k0 + BC > p.seqK || (CAUSAL && k0 + BC - 1 > q0 + cw * 64);
        };

#pragma unroll
        for (int d = 0; d < D / 8; ++d)
            o[d][0] = o[d][1] = o[d][2] = o[d][3] = 0.f;
        RowState<D> st{{-CUDART_INF_F, -CUDART_INF_F}, {0.f, 0.f}};

        if (PINGPONG && cw == NC - 1)
            namedArrive(1, kPair); // consumer 0 issues first

        float s[BC / 8][4];
        SAcc sAcc[BC / 8][4];
        uint32_t pa[kPSteps][4];
        barrierWait(fullQ, 0);
        barrierWait(fullK, 0);
        if (PINGPONG)
            namedSync(ownBar, kPair);
        issueS(sAcc, 0);
        if (PINGPONG)
            namedArrive(otherBar, kPair);
        wgmmaWait<0>();
        scoresReady(s, sAcc);
        release(emptyK);
        if (needsMask(0))
            maskTile<BC, CAUSAL>(s, keyTile(0) * BC, p.seqK, rowA, t);
        float corr[2];
        // One online-softmax step: P packed into pa, corr the factor for O and l.
        uint32_t paNext[EXP_F16X2 ? BC / 16 : 1][4]; // P of tile j while PV_{j-1} reads pa
        auto softmaxStep = [&](float scaleLog2) {
            if constexpr (EXP_F16X2 && std::is_same_v<T, __half>) {
                softmaxRescaleF16x2<BC>(s, paNext, st.m, st.l, scaleLog2, corr);
            } else if constexpr (FP8PV) {
                softmaxRescale<BC>(s, st.m, st.l, scaleLog2, corr, kLog2E4M3Max);
                packP8<BC>(pa, s);
            } else {
                softmaxRescale<BC>(s, st.m, st.l, scaleLog2, corr);
                packP<T, BC>(pa, s);
            }
        };
        softmaxStep(tileScale(0)); // corr unused: O is zero
        float scaleCur = 0.f, scaleNext = kRowSumMma && tiles > 1 ? tileScale(1) : 0.f;
        auto scaleOf = [&](int j) { return kRowSumMma ? scaleCur : tileScale(j); };
        auto takeNextP = [&] {
            if constexpr (EXP_F16X2 && std::is_same_v<T, __half>) {
#pragma unroll
                for (int kk = 0; kk < BC / 16; ++kk)
#pragma unroll
                    for (int e = 0; e < 4; ++e)
                        pa[kk][e] = paNext[kk][e];
            }
        };
        takeNextP();
        auto rescaleO = [&] {
            if constexpr (kRowSumMma) {
                // once the running max settles most tiles leave it unchanged: skip 64 FMULs
                if (!__any_sync(0xffffffffu, corr[0] != 1.f || corr[1] != 1.f))
                    return;
                lSum[0] *= corr[0];
                lSum[1] *= corr[1];
            }
#pragma unroll
            for (int d = 0; d < D / 8; ++d) {
                o[d][0] *= corr[0];
                o[d][1] *= corr[0];
                o[d][2] *= corr[1];
                o[d][3] *= corr[1];
            }
        };

        for (int j = 1; j < tiles; ++j) {
            const int stage = j % STAGES, prev = (j - 1) % STAGES;
            barrierWait(fullK + stage, (j / STAGES) & 1);
            if (PINGPONG)
                namedSync(ownBar, kPair);
            issueS(sAcc, stage);
            if constexpr (kRowSumMma) { // the K scale of tile j + 1, loaded under this tile's work
                scaleCur = scaleNext;
                if (j + 1 < tiles)
                    scaleNext = tileScale(j + 1);
            }
            // v19: the previous tile's rescale of O runs here, while S_j is on the tensor
            // cores, instead of between the PV wait and the next issue (the critical path).
            if (EARLY_RESCALE && j > 1)
                rescaleO();
            barrierWait(fullV + prev, ((j - 1) / STAGES) & 1);
            issuePV(pa, prev);
            if (PINGPONG)
                namedArrive(otherBar, kPair);
            wgmmaWait<1>(); // S_j is ready; PV_{j-1} may still run
            bool softmaxDone = false;
            if constexpr (INT8 && kIntSoftmax) {
                if (!needsMask(j)) {
                    fenceOperands(sAcc);
                    release(emptyK + stage);
                    if constexpr (kRowsTogether)
                        softmaxIntRows<BC, kPoly>(sAcc, s, st.m, scaleOf(j), corr, kLog2E4M3Max);
                    else
                        softmaxInt<BC, kPoly, !kRowSumMma>(sAcc, s, st.m, st.l, scaleOf(j), corr,
                                                           FP8PV ? kLog2E4M3Max : 0.f);
                    softmaxDone = true;
                }
            }
            if (!softmaxDone) {
                scoresReady(s, sAcc);
                release(emptyK + stage);
                if (needsMask(j))
                    maskTile<BC, CAUSAL>(s, keyTile(j) * BC, p.seqK, rowA, t);
            }
            if constexpr (EXP_F16X2 && std::is_same_v<T, __half>) {
                softmaxStep(tileScale(j)); // into paNext: PV_{j-1} still reads pa
                wgmmaWait<0>();
                fenceOperands(o);
                fenceOperands(pa);
                release(emptyV + prev);
                takeNextP();
            } else {
                if (!softmaxDone)
                    softmaxRescale<BC>(s, st.m, st.l, scaleOf(j), corr, FP8PV ? kLog2E4M3Max : 0.f);
                wgmmaWait<0>();
                fenceOperands(o);
                fenceOperands(lAcc);
                fenceOperands(pa);
                release(emptyV + prev);
                addTileSums();
                if constexpr (FP8PV)
                    packP8<BC>(pa, s);
                else
                    packP<T, BC>(pa, s);
            }
            if (!EARLY_RESCALE)
                rescaleO();
        }
        {
            const int last = (tiles - 1) % STAGES;
            if (EARLY_RESCALE && tiles > 1)
                rescaleO();
            barrierWait(fullV + last, ((tiles - 1) / STAGES) & 1);
            if (PINGPONG)
                namedSync(ownBar, kPair);
            issuePV(pa, last);
            if (PINGPONG && cw != NC - 1)
                namedArrive(otherBar, kPair); // the last consumer's final hand-over has no taker
            wgmmaWait<0>();
            fenceOperands(o);
            fenceOperands(lAcc);
            release(emptyV + last);
            addTileSums();
        }

        // Epilogue: normalise, write this warpgroup's 64 rows of O over its own Q rows (only
        // its own wgmmas read them, and those are complete), then one TMA store per 64 columns.
        T *sO = reinterpret_cast<T *>(smem);
#pragma unroll
        for (int half = 0; half < 2; ++half) {
            const float l = kRowSumMma ? lSum[half] : quadSum(st.l[half]);
            const float inv = l > 0.f ? 1.f / l : 0.f;
            const int r = cw * 64 + warp * 16 + g + half * 8;
#pragma unroll
            for (int d = 0; d < D / 8; ++d) {
                const int col = d * 8 + 2 * t;
                T *dst = sO + (col >> 6) * kBR * 64 + swizzle128Offset<kBR>(r, (col & 63) >> 3) + (col & 7);
                float s0 = inv, s1 = inv;
                if constexpr (FP8PV) { // V's channel scales
                    const float2 vs = __ldg(reinterpret_cast<const float2 *>(p.vScale + size_t(bhk) * D + col));
                    s0 *= vs.x;
                    s1 *= vs.y;
                }
                *reinterpret_cast<uint32_t *>(dst) = Mma<T>::pack(o[d][2 * half] * s0, o[d][2 * half + 1] * s1);
            }
        }
        fenceSharedToAsync();
        namedSync(NC + 1 + cw, 128);
        if ((threadIdx.x & 127) == 0) {
#pragma unroll
            for (int blk = 0; blk < D / 64; ++blk)
                tmaStore3d(&mapO, blk * 64, q0 + cw * 64, bh, sO + blk * kBR * 64 + cw * 64 * 64);
            tmaStoreCommitAndDrain();
        }
    }
#endif
}

struct MapCache {
    const void *ptr[4]{};
    int key[8]{};
    CUtensorMap maps[4];
};

template <typename T, int D, int NC, int BC, int STAGES, bool CAUSAL, bool PINGPONG, bool EARLY, bool F16X2 = false>
int launchForward(const void *q, const void *k, const void *v, void *o, int batch, int qHeads, int kvHeads, int seqQ,
                  int seqK, float scale, cudaStream_t stream, bool qTileFastest = false)
{
    constexpr bool bf = std::is_same_v<T, __nv_bfloat16>;
    constexpr int BR = FwdShape<NC>::rows;
    // Tensor maps are rebuilt only when the tensors change (timing loops reuse them).
    static MapCache cache;
    const void *ptrs[4] = {q, k, v, o};
    const int key[8] = {batch, qHeads, kvHeads, seqQ, seqK, D, 0, 0};
    if (std::memcmp(cache.ptr, ptrs, sizeof ptrs) != 0 || std::memcmp(cache.key, key, sizeof key) != 0) {
        if (!encodeAttentionMap(&cache.maps[0], q, bf, D, seqQ, batch * qHeads, BR) ||
            !encodeAttentionMap(&cache.maps[1], k, bf, D, seqK, batch * kvHeads, BC) ||
            !encodeAttentionMap(&cache.maps[2], v, bf, D, seqK, batch * kvHeads, BC) ||
            !encodeAttentionMap(&cache.maps[3], o, bf, D, seqQ, batch * qHeads, 64))
            return -2;
        std::memcpy(cache.ptr, ptrs, sizeof ptrs);
        std::memcpy(cache.key, key, sizeof key);
    }
    using Smem = FwdSmem<T, D, NC, BC, STAGES>;
    static_assert(Smem::bytes <= 227 * 1024, "shared memory over the sm_90 limit");
    auto kernel = flashForwardTma<T, D, NC, BC, STAGES, CAUSAL, PINGPONG, EARLY, false, T, false, F16X2>;
    if (cudaFuncSetAttribute(kernel, cudaFuncAttributeMaxDynamicSharedMemorySize, Smem::bytes) != cudaSuccess)
        return -3;
    FwdParams p{seqQ, seqK, qHeads, kvHeads, (seqQ + BR - 1) / BR, float(scale * 1.4426950408889634)};
    p.qTileFastest = qTileFastest;
    const dim3 grid = qTileFastest ? dim3(p.qTiles, batch * qHeads) : dim3(batch * qHeads, p.qTiles);
    kernel<<<grid, FwdShape<NC>::threads, Smem::bytes, stream>>>(cache.maps[0], cache.maps[1], cache.maps[2],
                                                                 cache.maps[3], p);
    return cudaGetLastError() == cudaSuccess ? 0 : -4;
}

// One development variant: its configuration per head dim (BC 0 = shape not built).
struct VariantConfig {
    int nc, bc, stages;
    bool pingpong;
};

template <typename T, int D, int NC, int BC, int STAGES, bool PP, bool EARLY = false, bool F16X2 = false>
int launchEither(bool causal, const void *q, const void *k, const void *v, void *o, int batch, int qHeads, int kvHeads,
                 int seqQ, int seqK, float scale, cudaStream_t s, bool l2Order = false)
{
    // l2Order: non-causal grids run query tile fastest (all tiles equal, so no balance to keep).
    return causal ? launchForward<T, D, NC, BC, STAGES, true, PP, EARLY, F16X2>(q, k, v, o, batch, qHeads, kvHeads,
                                                                                seqQ, seqK, scale, s)
                  : launchForward<T, D, NC, BC, STAGES, false, PP, EARLY, F16X2>(q, k, v, o, batch, qHeads, kvHeads,
                                                                                 seqQ, seqK, scale, s, l2Order);
}

template <typename T, int D>
int launchVariant(int variant, bool causal, const void *q, const void *k, const void *v, void *o, int batch, int qHeads,
                  int kvHeads, int seqQ, int seqK, float scale, cudaStream_t s)
{
    constexpr int ST = D == 128 ? 2 : 3;
    switch (variant) {
    case 14: // pipeline, no ping-pong
        return launchEither<T, D, 2, 128, ST, false>(causal, q, k, v, o, batch, qHeads, kvHeads, seqQ, seqK, scale, s);
    case 15: // + ping-pong
        return launchEither<T, D, 2, 128, ST, true>(causal, q, k, v, o, batch, qHeads, kvHeads, seqQ, seqK, scale, s);
    case 16: // 15 with 176-key tiles (FlashAttention-3's non-causal hd128 tile)
        return launchEither<T, D, 2, 176, 2, true>(causal, q, k, v, o, batch, qHeads, kvHeads, seqQ, seqK, scale, s);
    case 17: // 3 consumer warpgroups (192 rows), ping-pong in turn; hd64 only (160 registers)
        if constexpr (D == 64)
            return launchEither<T, D, 3, 128, 3, true>(causal, q, k, v, o, batch, qHeads, kvHeads, seqQ, seqK, scale,
                                                       s);
        return -1;
    case 18: // 14 with one more stage
        return launchEither<T, D, 2, 128, ST + 1, false>(causal, q, k, v, o, batch, qHeads, kvHeads, seqQ, seqK, scale,
                                                         s);
    case 19: // 15 (hd128) / 17 (hd64) with O rescaled while S_j runs
        if constexpr (D == 64)
            return launchEither<T, D, 3, 128, 3, true, true>(causal, q, k, v, o, batch, qHeads, kvHeads, seqQ, seqK,
                                                             scale, s);
        else
            return launchEither<T, D, 2, 128, 2, true, true>(causal, q, k, v, o, batch, qHeads, kvHeads, seqQ, seqK,
                                                             scale, s);
    case 21: // 15 (hd128) with the exponentials on ex2.f16x2 (fp16 only; bf16 runs as 15)
        if constexpr (D == 128)
            return launchEither<T, D, 2, 128, 2, true, false, true>(causal, q, k, v, o, batch, qHeads, kvHeads, seqQ,
                                                                    seqK, scale, s);
        return -1;
    case 22: // 15 (hd128) / 17 (hd64) with non-causal grids query-tile fastest (L2 reuse of K/V)
        if constexpr (D == 64)
            return launchEither<T, D, 3, 128, 3, true>(causal, q, k, v, o, batch, qHeads, kvHeads, seqQ, seqK, scale, s,
                                                       true);
        else
            return launchEither<T, D, 2, 128, 2, true>(causal, q, k, v, o, batch, qHeads, kvHeads, seqQ, seqK, scale, s,
                                                       true);
    case 23: // 16 (176-key tiles) with the same order
        return launchEither<T, D, 2, 176, 2, true>(causal, q, k, v, o, batch, qHeads, kvHeads, seqQ, seqK, scale, s,
                                                   true);
    case 20: // 19 without ping-pong
        if constexpr (D == 64)
            return launchEither<T, D, 3, 128, 3, false, true>(causal, q, k, v, o, batch, qHeads, kvHeads, seqQ, seqK,
                                                              scale, s);
        else
            return launchEither<T, D, 2, 128, 2, false, true>(causal, q, k, v, o, batch, qHeads, kvHeads, seqQ, seqK,
                                                              scale, s);
    default:
        return -5;
    }
}

} // namespace

} // namespace paperlab::kernels::cuda::hopper

// C entry point for the dev driver. Tensors are contiguous [batch][heads][seq][head_dim];
// causal needs seq_q == seq_k. Returns 0, or a negative code: -1 shape not built for this
// variant, -2 tensor map refused, -3 shared-memory attribute refused, -4 launch error,
// -5 unknown variant.
extern "C" int paperlab_dev_flash_forward(int variant, int bf16, const void *q, const void *k, const void *v, void *o,
                                          int batch, int qHeads, int kvHeads, int seqQ, int seqK, int headDim,
                                          int causal, float scale, void *stream)
{
    using namespace paperlab::kernels::cuda::hopper;
    const auto s = static_cast<cudaStream_t>(stream);
    if (headDim == 128)
        return bf16 ? launchVariant<__nv_bfloat16, 128>(variant, causal, q, k, v, o, batch, qHeads, kvHeads, seqQ, seqK,
                                                        scale, s)
                    : launchVariant<__half, 128>(variant, causal, q, k, v, o, batch, qHeads, kvHeads, seqQ, seqK, scale,
                                                 s);
    if (headDim == 64)
        return bf16 ? launchVariant<__nv_bfloat16, 64>(variant, causal, q, k, v, o, batch, qHeads, kvHeads, seqQ, seqK,
                                                       scale, s)
                    : launchVariant<__half, 64>(variant, causal, q, k, v, o, batch, qHeads, kvHeads, seqQ, seqK, scale,
                                                s);
    return -1;
}

namespace paperlab::kernels::cuda::hopper {
namespace {

// Block-sparse forward on the same pipeline: 128-token blocks (the 128-row query tile of two
// consumer warpgroups and the 128-key tile), ping-pong on, the dense v15 configuration.
template <typename T, int D, bool CAUSAL>
int launchSparse(const void *q, const void *k, const void *v, void *o, const int *list, const int *count, int maxKept,
                 int batch, int qHeads, int kvHeads, int seq, float scale, cudaStream_t stream)
{
    constexpr int NC = 2, BC = 128, STAGES = D == 128 ? 2 : 3;
    constexpr bool bf = std::is_same_v<T, __nv_bfloat16>;
    CUtensorMap maps[4];
    if (!encodeAttentionMap(&maps[0], q, bf, D, seq, batch * qHeads, 128) ||
        !encodeAttentionMap(&maps[1], k, bf, D, seq, batch * kvHeads, BC) ||
        !encodeAttentionMap(&maps[2], v, bf, D, seq, batch * kvHeads, BC) ||
        !encodeAttentionMap(&maps[3], o, bf, D, seq, batch * qHeads, 64))
        return -2;
    using Smem = FwdSmem<T, D, NC, BC, STAGES>;
    auto kernel = flashForwardTma<T, D, NC, BC, STAGES, CAUSAL, true, false, true>;
    if (cudaFuncSetAttribute(kernel, cudaFuncAttributeMaxDynamicSharedMemorySize, Smem::bytes) != cudaSuccess)
        return -3;
    FwdParams p{seq, seq, qHeads, kvHeads, (seq + 127) / 128, float(scale * 1.4426950408889634), list, count, maxKept};
    dim3 grid(batch * qHeads, p.qTiles);
    kernel<<<grid, FwdShape<NC>::threads, Smem::bytes, stream>>>(maps[0], maps[1], maps[2], maps[3], p);
    return cudaGetLastError() == cudaSuccess ? 0 : -4;
}

template <typename T, int D>
int launchSparseEither(bool causal, const void *q, const void *k, const void *v, void *o, const int *list,
                       const int *count, int maxKept, int batch, int qHeads, int kvHeads, int seq, float scale,
                       cudaStream_t s)
{
    return causal ? launchSparse<T, D, true>(q, k, v, o, list, count, maxKept, batch, qHeads, kvHeads, seq, scale, s)
                  : launchSparse<T, D, false>(q, k, v, o, list, count, maxKept, batch, qHeads, kvHeads, seq, scale, s);
}

} // namespace
} // namespace paperlab::kernels::cuda::hopper

// Block-sparse attention (MoBA / XAttention masks) walking kept 128-token key blocks from a
// compact list: list [batch*q_heads][ceil(seq/128)][max_kept] int32, count
// [batch*q_heads][ceil(seq/128)]. Causal: listed blocks must be at or before the query
// block; the diagonal one is masked element-wise. Same return codes as the dense entry.
extern "C" int paperlab_dev_block_sparse_forward(int bf16, const void *q, const void *k, const void *v, void *o,
                                                 const int *list, const int *count, int maxKept, int batch, int qHeads,
                                                 int kvHeads, int seq, int headDim, int causal, float scale,
                                                 void *stream)
{
    using namespace paperlab::kernels::cuda::hopper;
    const auto s = static_cast<cudaStream_t>(stream);
    if (headDim == 128)
        return bf16 ? launchSparseEither<__nv_bfloat16, 128>(causal, q, k, v, o, list, count, maxKept, batch, qHeads,
                                                             kvHeads, seq, scale, s)
                    : launchSparseEither<__half, 128>(causal, q, k, v, o, list, count, maxKept, batch, qHeads, kvHeads,
                                                      seq, scale, s);
    if (headDim == 64)
        return bf16 ? launchSparseEither<__nv_bfloat16, 64>(causal, q, k, v, o, list, count, maxKept, batch, qHeads,
                                                            kvHeads, seq, scale, s)
                    : launchSparseEither<__half, 64>(causal, q, k, v, o, list, count, maxKept, batch, qHeads, kvHeads,
                                                     seq, scale, s);
    return -1;
}

// ---- SageAttention on the pipeline: INT8 Q K^T on the s8 wgmma, fp16/bf16 P V ----------------
namespace paperlab::kernels::cuda::hopper {
namespace {

__device__ __forceinline__ float2 toFloat2(__half2 v)
{
    return __half22float2(v);
}
__device__ __forceinline__ float2 toFloat2(__nv_bfloat162 v)
{
    return __bfloat1622float2(v);
}
template <typename T>
using Pair = std::conditional_t<std::is_same_v<T, __half>, __half2, __nv_bfloat162>;

// Channel means of K per (batch, kv head), hd 128: SageAttention's smoothing. Subtracting a
// per-channel constant from every key adds a per-row constant to the scores, which softmax
// ignores, and removes the channel offsets that would otherwise set the INT8 scale.
// Grid (b*kvHeads, ceil(seq/256)); 128 threads = 64 channel pairs x 2 row phases.
template <typename T>
__global__ void __launch_bounds__(128) keyChannelMean(const T *k, float *mean, int seq)
{
    const int bhk = blockIdx.x, r0 = blockIdx.y * 256;
    const int c2 = threadIdx.x & 63, phase = threadIdx.x >> 6;
    const Pair<T> *base = reinterpret_cast<const Pair<T> *>(k + size_t(bhk) * seq * 128);
    float a = 0.f, b = 0.f;
    const int rEnd = min(seq, r0 + 256);
    for (int r = r0 + phase; r < rEnd; r += 2) {
        const float2 f = toFloat2(base[size_t(r) * 64 + c2]);
        a += f.x;
        b += f.y;
    }
    __shared__ float part[2][128];
    part[phase][2 * c2] = a;
    part[phase][2 * c2 + 1] = b;
    __syncthreads();
    atomicAdd(mean + bhk * 128 + threadIdx.x, (part[0][threadIdx.x] + part[1][threadIdx.x]) / float(seq));
}

// V to FP8 e4m3 for SageAttention2's P V: one scale per channel (absmax / 448 over the
// sequence, so the scale factors out of the sum over keys and is applied to O at the end),
// written transposed ([b*kvHeads][128 channels][seqPad keys], K-major for the wgmma) with
// each 32-key group in packP8's order. Keys past seq are zeros. One 128-key tile of one head.
// Each thread reads 32 bytes of one key (a full sector); a warp's byte stores for one channel
// land in 8 distinct words of one tile row, so they do not conflict.
template <typename T>
__device__ __forceinline__ void quantizeValueTile(const T *v, uint8_t *v8, const float *vAbsMax, float *vScale, int seq,
                                                  int seqPad, int bhk, int tileIdx)
{
    const int key0 = tileIdx * 128;
    __shared__ __align__(16) uint8_t tile[128][128];
    __shared__ float inv[128];
    if (threadIdx.x < 128) {
        const float a = vAbsMax[bhk * 128 + threadIdx.x];
        const float scale = a > 0.f ? a / 448.f : 1.f;
        inv[threadIdx.x] = 1.f / scale;
        if (tileIdx == 0)
            vScale[bhk * 128 + threadIdx.x] = scale;
    }
    __syncthreads();
    const int key = threadIdx.x & 127, col = fp8LogicalKey(key);
    for (int cg = threadIdx.x >> 7; cg < 8; cg += 2) {
        const int c0 = cg * 16;
        uint4 raw[2] = {make_uint4(0, 0, 0, 0), make_uint4(0, 0, 0, 0)};
        if (key0 + key < seq) {
            const uint4 *src = reinterpret_cast<const uint4 *>(v + (size_t(bhk) * seq + key0 + key) * 128 + c0);
            raw[0] = src[0];
            raw[1] = src[1];
        }
        const Pair<T> *h = reinterpret_cast<const Pair<T> *>(raw);
#pragma unroll
        for (int e = 0; e < 8; e += 2) {
            const float2 f0 = toFloat2(h[e]), f1 = toFloat2(h[e + 1]);
            const int c = c0 + 2 * e;
            const uint32_t w = packE4M3x4(f0.x * inv[c], f0.y * inv[c + 1], f1.x * inv[c + 2], f1.y * inv[c + 3]);
#pragma unroll
            for (int i = 0; i < 4; ++i)
                tile[c + i][col] = uint8_t(w >> (8 * i));
        }
    }
    __syncthreads();
    for (int i = threadIdx.x; i < 128 * 8; i += 256) {
        const int c = i >> 3, chunk = i & 7;
        *reinterpret_cast<uint4 *>(v8 + (size_t(bhk) * 128 + c) * seqPad + key0 + chunk * 16) =
            *reinterpret_cast<const uint4 *>(&tile[c][chunk * 16]);
    }
}

// One block of ROWS x 128 elements to int8 with one absmax scale (per 64 query rows / per
// 128-key tile: the granularity the attention kernel dequantises with). 256 threads, each
// holding ROWS/16 chunks of 8 elements in registers between the max and the store.
template <typename T, int ROWS>
__device__ __forceinline__ void quantizeBlock(const T *src, int8_t *dst, float *scaleOut, const float *mean,
                                              int rowsValid)
{
    constexpr int CH = ROWS * 16 / 256;
    float v[CH][8];
    float amax = 0.f;
#pragma unroll
    for (int i = 0; i < CH; ++i) {
        const int chunk = threadIdx.x + i * 256, row = chunk >> 4, col = (chunk & 15) * 8;
        if (row < rowsValid) {
            const uint4 raw = *reinterpret_cast<const uint4 *>(src + size_t(row) * 128 + col);
            const Pair<T> *h = reinterpret_cast<const Pair<T> *>(&raw);
#pragma unroll
            for (int e = 0; e < 4; ++e) {
                const float2 f = toFloat2(h[e]);
                v[i][2 * e] = f.x - (mean ? mean[col + 2 * e] : 0.f);
                v[i][2 * e + 1] = f.y - (mean ? mean[col + 2 * e + 1] : 0.f);
            }
        } else {
#pragma unroll
            for (int e = 0; e < 8; ++e)
                v[i][e] = 0.f;
        }
#pragma unroll
        for (int e = 0; e < 8; ++e)
            amax = fmaxf(amax, fabsf(v[i][e]));
    }
#pragma unroll
    for (int o = 16; o > 0; o >>= 1)
        amax = fmaxf(amax, __shfl_xor_sync(0xffffffffu, amax, o));
    __shared__ float warpMax[8];
    if ((threadIdx.x & 31) == 0)
        warpMax[threadIdx.x >> 5] = amax;
    __syncthreads();
    amax = warpMax[0];
#pragma unroll
    for (int w = 1; w < 8; ++w)
        amax = fmaxf(amax, warpMax[w]);
    const float scale = amax > 0.f ? amax / 127.f : 1.f;
    const float inv = 1.f / scale;
#pragma unroll
    for (int i = 0; i < CH; ++i) {
        const int chunk = threadIdx.x + i * 256, row = chunk >> 4, col = (chunk & 15) * 8;
        if (row < rowsValid) {
            uint32_t w[2] = {0, 0};
#pragma unroll
            for (int e = 0; e < 8; ++e) {
                const int qv = max(-127, min(127, __float2int_rn(v[i][e] * inv)));
                w[e >> 2] |= uint32_t(qv & 0xFF) << (8 * (e & 3));
            }
            *reinterpret_cast<uint2 *>(dst + size_t(row) * 128 + col) = make_uint2(w[0], w[1]);
        }
    }
    if (threadIdx.x == 0)
        *scaleOut = scale;
}

// One launch quantises Q (64-row blocks, first qBlocks grid blocks) and smoothed K (128-row
// blocks, the rest): a single bandwidth-bound pass over Q and K.
// Block b of the Q/K part of a pre-pass grid: the first bhQ*qTiles*2 blocks quantise Q (64
// rows each), the next ones smoothed K (128 keys each). Returns false for blocks past them.
template <typename T>
__device__ __forceinline__ bool quantizeQOrKBlock(int b, const T *q, const T *k, int8_t *q8, int8_t *k8, float *qScale,
                                                  float *kScale, const float *kMean, int seq, int bhQ, int bhK,
                                                  int qTiles, int kTiles)
{
    const int qBlocks = bhQ * qTiles * 2;
    if (b < qBlocks) {
        const int bh = b / (qTiles * 2), blk = b % (qTiles * 2);
        const int row0 = blk * 64;
        const size_t off = (size_t(bh) * seq + row0) * 128;
        quantizeBlock<T, 64>(q + off, q8 + off, qScale + b, nullptr, min(64, seq - row0));
        return true;
    }
    const int i = b - qBlocks;
    if (i >= bhK * kTiles)
        return false;
    const int bhk = i / kTiles, tile = i % kTiles;
    const int row0 = tile * 128;
    const size_t off = (size_t(bhk) * seq + row0) * 128;
    quantizeBlock<T, 128>(k + off, k8 + off, kScale + i, kMean + bhk * 128, min(128, seq - row0));
    return true;
}

// One launch quantises Q and smoothed K: a single bandwidth-bound pass over both.
template <typename T>
__global__ void __launch_bounds__(256)
    quantizeQK(const T *q, const T *k, int8_t *q8, int8_t *k8, float *qScale, float *kScale, const float *kMean,
               int seq, int bhQ, int bhK, int qTiles, int kTiles)
{
    quantizeQOrKBlock<T>(blockIdx.x, q, k, q8, k8, qScale, kScale, kMean, seq, bhQ, bhK, qTiles, kTiles);
}

// Sage pre-pass v2 (FP8 versions): K's channel sums and V's channel absolute maxima in one
// pass with 16-byte loads (keyChannelMean's 4-byte loads left it well under the copy rate):
// thread = 8 channels of every 16th row of a 256-row slice. Grid (b*kvHeads, ceil(seq/256)).
template <typename T>
__global__ void __launch_bounds__(256) keyValueStats(const T *k, const T *v, float *kMean, float *vAbsMax, int seq)
{
    const int bhk = blockIdx.x, r0 = blockIdx.y * 256;
    const int c0 = (threadIdx.x & 15) * 8, rg = threadIdx.x >> 4;
    float sum[8] = {0.f, 0.f, 0.f, 0.f, 0.f, 0.f, 0.f, 0.f}, amax[8] = {0.f, 0.f, 0.f, 0.f, 0.f, 0.f, 0.f, 0.f};
    const size_t base = size_t(bhk) * seq * 128 + c0;
    const int rEnd = min(seq, r0 + 256);
    for (int r = r0 + rg; r < rEnd; r += 16) {
        const uint4 kr = *reinterpret_cast<const uint4 *>(k + base + size_t(r) * 128);
        const uint4 vr = *reinterpret_cast<const uint4 *>(v + base + size_t(r) * 128);
        const Pair<T> *kh = reinterpret_cast<const Pair<T> *>(&kr);
        const Pair<T> *vh = reinterpret_cast<const Pair<T> *>(&vr);
#pragma unroll
        for (int e = 0; e < 4; ++e) {
            const float2 a = toFloat2(kh[e]), b = toFloat2(vh[e]);
            sum[2 * e] += a.x;
            sum[2 * e + 1] += a.y;
            amax[2 * e] = fmaxf(amax[2 * e], fabsf(b.x));
            amax[2 * e + 1] = fmaxf(amax[2 * e + 1], fabsf(b.y));
        }
    }
    __shared__ float ks[16][128], vs[16][128];
#pragma unroll
    for (int e = 0; e < 8; ++e) {
        ks[rg][c0 + e] = sum[e];
        vs[rg][c0 + e] = amax[e];
    }
    __syncthreads();
    if (threadIdx.x < 128) {
        float a = 0.f, b = 0.f;
#pragma unroll
        for (int g = 0; g < 16; ++g) {
            a += ks[g][threadIdx.x];
            b = fmaxf(b, vs[g][threadIdx.x]);
        }
        atomicAdd(kMean + bhk * 128 + threadIdx.x, a / float(seq));
        atomicMax(reinterpret_cast<int *>(vAbsMax) + bhk * 128 + threadIdx.x, __float_as_int(b));
    }
}

// One launch for Q, smoothed K (INT8, as quantizeQK) and V (e4m3 V^T, quantizeValueTile).
template <typename T>
__global__ void __launch_bounds__(256)
    quantizeQKV(const T *q, const T *k, const T *v, int8_t *q8, int8_t *k8, uint8_t *v8, float *qScale, float *kScale,
                const float *kMean, const float *vAbsMax, float *vScale, int seq, int bhQ, int bhK, int qTiles,
                int kTiles)
{
    if (quantizeQOrKBlock<T>(blockIdx.x, q, k, q8, k8, qScale, kScale, kMean, seq, bhQ, bhK, qTiles, kTiles))
        return;
    {
        const int i = blockIdx.x - bhQ * qTiles * 2 - bhK * kTiles;
        quantizeValueTile<T>(v, v8, vAbsMax, vScale, seq, kTiles * 128, i / kTiles, i % kTiles);
    }
}

struct SageBuffers {
    int8_t *q8;
    int8_t *k8;
    float *qScale; // [b*qHeads][ceil(seq/128)][2]
    float *kScale; // [b*kvHeads][ceil(seq/128)]
    float *kMean;  // [b*kvHeads][128]
};

// The attention launch of every Sage version: INT8 Q/K tensor maps, V as fp16/bf16 tiles or,
// with FP8PV, as e4m3 V^T (keys padded to 128), the pipeline kernel with its options.
// NC consumer warpgroups of 64 query rows (Sage v17: 3).
template <typename T, bool CAUSAL, int STAGES, bool MAGIC, bool F16X2, bool FP8PV, int OPTS, int NC = 2>
int launchSageAttention(void *o, const void *v, const SageBuffers &w, const float *vScale, int batch, int qHeads,
                        int kvHeads, int seq, float scale, cudaStream_t stream, bool l2Order)
{
    constexpr int D = 128, BC = 128, BR = FwdShape<NC>::rows;
    const int qTiles = (seq + BR - 1) / BR, kTiles = (seq + BC - 1) / BC;
    constexpr bool bf = std::is_same_v<T, __nv_bfloat16>;
    CUtensorMap maps[4];
    const bool vMap =
        FP8PV ? encodeAttentionMap(&maps[2], v, CU_TENSOR_MAP_DATA_TYPE_UINT8, 1, kTiles * BC, D, batch * kvHeads, D)
              : encodeAttentionMap(&maps[2], v, bf, D, seq, batch * kvHeads, BC);
    if (!encodeAttentionMap(&maps[0], w.q8, CU_TENSOR_MAP_DATA_TYPE_UINT8, 1, D, seq, batch * qHeads, BR) ||
        !encodeAttentionMap(&maps[1], w.k8, CU_TENSOR_MAP_DATA_TYPE_UINT8, 1, D, seq, batch * kvHeads, BC) || !vMap ||
        !encodeAttentionMap(&maps[3], o, bf, D, seq, batch * qHeads, 64))
        return -2;
    using Smem = FwdSmem<T, D, NC, BC, STAGES, int8_t, FP8PV>;
    static_assert(Smem::bytes <= 227 * 1024, "shared memory over the sm_90 limit");
    auto kernel = flashForwardTma<T, D, NC, BC, STAGES, CAUSAL, true, false, false, int8_t, MAGIC, F16X2, FP8PV, OPTS>;
    if (cudaFuncSetAttribute(kernel, cudaFuncAttributeMaxDynamicSharedMemorySize, Smem::bytes) != cudaSuccess)
        return -3;
    FwdParams p{seq, seq, qHeads, kvHeads, qTiles, float(scale * 1.4426950408889634)};
    p.qScale = w.qScale;
    p.kScale = w.kScale;
    p.kTiles = kTiles;
    p.qScaleBlocks = 2 * ((seq + 127) / 128);
    p.vScale = vScale;
    p.qTileFastest = l2Order && !CAUSAL; // v22's order: resident blocks share a few heads' K/V
    const dim3 grid = p.qTileFastest ? dim3(qTiles, batch * qHeads) : dim3(batch * qHeads, qTiles);
    kernel<<<grid, FwdShape<NC>::threads, Smem::bytes, stream>>>(maps[0], maps[1], maps[2], maps[3], p);
    return cudaGetLastError() == cudaSuccess ? 0 : -4;
}

template <typename T, bool CAUSAL, bool MAGIC, bool F16X2>
int launchSage(int parts, const void *q, const void *k, const void *v, void *o, const SageBuffers &w, int batch,
               int qHeads, int kvHeads, int seq, float scale, cudaStream_t stream, bool l2Order)
{
    constexpr int D = 128, BC = 128, STAGES = 2;
    const int qTiles = (seq + 127) / 128, kTiles = (seq + BC - 1) / BC;
    if (parts & 1) {
        if (cudaMemsetAsync(w.kMean, 0, sizeof(float) * batch * kvHeads * D, stream) != cudaSuccess)
            return -4;
        keyChannelMean<T>
            <<<dim3(batch * kvHeads, (seq + 255) / 256), 128, 0, stream>>>(static_cast<const T *>(k), w.kMean, seq);
        quantizeQK<T><<<batch * qHeads * qTiles * 2 + batch * kvHeads * kTiles, 256, 0, stream>>>(
            static_cast<const T *>(q), static_cast<const T *>(k), w.q8, w.k8, w.qScale, w.kScale, w.kMean, seq,
            batch * qHeads, batch * kvHeads, qTiles, kTiles);
        if (cudaGetLastError() != cudaSuccess)
            return -4;
    }
    if (!(parts & 2))
        return 0;
    return launchSageAttention<T, CAUSAL, STAGES, MAGIC, F16X2, false, 0>(o, v, w, nullptr, batch, qHeads, kvHeads, seq,
                                                                          scale, stream, l2Order);
}

// Sage v7 (SageAttention2's FP8 P V): the v6 pipeline with P rounded to e4m3 (x 448) and V
// read as e4m3 V^T tiles, P V on the e4m3 wgmma (k32: half the v6 P V instructions).
struct SageFp8Buffers {
    SageBuffers qk;
    uint8_t *v8;    // [b*kvHeads][128][seqPad] e4m3, seqPad = seq rounded up to 128
    float *vScale;  // [b*kvHeads][128]
    float *vAbsMax; // [b*kvHeads][128], pre-pass scratch
};

template <typename T, bool CAUSAL, int STAGES, bool MAGIC = false, int OPTS = 0, int NC = 2>
int launchSageFp8(int parts, const void *q, const void *k, const void *v, void *o, const SageFp8Buffers &w, int batch,
                  int qHeads, int kvHeads, int seq, float scale, cudaStream_t stream, bool l2Order)
{
    constexpr int D = 128, BC = 128;
    const int qTiles = (seq + 127) / 128, kTiles = (seq + BC - 1) / BC;
    if (parts & 1) {
        if (cudaMemsetAsync(w.qk.kMean, 0, sizeof(float) * batch * kvHeads * D, stream) != cudaSuccess ||
            cudaMemsetAsync(w.vAbsMax, 0, sizeof(float) * batch * kvHeads * D, stream) != cudaSuccess)
            return -4;
        keyValueStats<T><<<dim3(batch * kvHeads, (seq + 255) / 256), 256, 0, stream>>>(
            static_cast<const T *>(k), static_cast<const T *>(v), w.qk.kMean, w.vAbsMax, seq);
        quantizeQKV<T><<<batch * qHeads * qTiles * 2 + 2 * batch * kvHeads * kTiles, 256, 0, stream>>>(
            static_cast<const T *>(q), static_cast<const T *>(k), static_cast<const T *>(v), w.qk.q8, w.qk.k8, w.v8,
            w.qk.qScale, w.qk.kScale, w.qk.kMean, w.vAbsMax, w.vScale, seq, batch * qHeads, batch * kvHeads, qTiles,
            kTiles);
        if (cudaGetLastError() != cudaSuccess)
            return -4;
    }
    if (!(parts & 2))
        return 0;
    return launchSageAttention<T, CAUSAL, STAGES, MAGIC, false, true, OPTS, NC>(o, w.v8, w.qk, w.vScale, batch, qHeads,
                                                                                kvHeads, seq, scale, stream, l2Order);
}

} // namespace
} // namespace paperlab::kernels::cuda::hopper

// SageAttention (v1 numerics: INT8 Q and smoothed K, per-block scales, 16-bit P V) on the
// pipeline, hd 128. parts: 1 = quantisation pre-pass, 2 = attention, 3 = both; + 4 = Sage
// v3 (scores converted by I2F), + 8 = v5 (v4 with ex2.f16x2 exponentials, fp16 only); neither:
// v4 (exact integer-to-float by a magic add); + 16: non-causal grid query-tile fastest (with
// + 4: Sage v6). Workspace:
// q8 [b][qHeads][seq][128] and k8 [b][kvHeads][seq][128] int8, scales and means as in
// SageBuffers. Same return codes as the dense entry.
extern "C" int paperlab_dev_sage_forward(int parts, int bf16, const void *q, const void *k, const void *v, void *o,
                                         void *q8, void *k8, float *qScale, float *kScale, float *kMean, int batch,
                                         int qHeads, int kvHeads, int seq, int headDim, int causal, float scale,
                                         void *stream)
{
    using namespace paperlab::kernels::cuda::hopper;
    if (headDim != 128)
        return -1;
    const SageBuffers w{static_cast<int8_t *>(q8), static_cast<int8_t *>(k8), qScale, kScale, kMean};
    const auto s = static_cast<cudaStream_t>(stream);
    auto run = [&](auto type, auto magic, auto f16x2) {
        using T = decltype(type);
        constexpr bool M = decltype(magic)::value, F = decltype(f16x2)::value;
        const bool l2Order = parts & 16;
        return causal
                   ? launchSage<T, true, M, F>(parts & 3, q, k, v, o, w, batch, qHeads, kvHeads, seq, scale, s, l2Order)
                   : launchSage<T, false, M, F>(parts & 3, q, k, v, o, w, batch, qHeads, kvHeads, seq, scale, s,
                                                l2Order);
    };
    const bool v3 = parts & 4, v5 = parts & 8;
    if (bf16)
        return v3 ? run(__nv_bfloat16{}, std::false_type{}, std::false_type{})
                  : run(__nv_bfloat16{}, std::true_type{}, std::false_type{});
    if (v5)
        return run(__half{}, std::true_type{}, std::true_type{});
    return v3 ? run(__half{}, std::false_type{}, std::false_type{})
              : run(__half{}, std::true_type{}, std::false_type{});
}

// Sage v7: SageAttention2's numerics on the pipeline (INT8 Q and smoothed K with per-block
// scales, FP8 e4m3 P (x 448) and V (per-channel scales) with fp32 accumulators), hd 128.
// parts: 1 = pre-pass (K means and V channel maxima in one pass, then Q/K INT8 and V^T e4m3),
// 2 = attention, 3 = both; + 4: three K/V stages instead of two (the FP8 V tile is half as
// big); + 16: non-causal grid query-tile fastest; + 32 (v9): scores converted by the magic-number
// add instead of I2F; + 64 (v10): unmasked tiles' softmax on the integer scores (softmaxInt);
// + 96 (v11): v10 with a quarter of the exponentials on polyExp2; + 128 (v12): v11 with the row
// sums on the tensor cores (P x e4m3 ones, m64n8k32), O rescaled only when a row max moved and
// the K scale loaded a tile ahead; + 160 (v13): v12 with 3 of 8 exponentials on polyExp2;
// + 128 + 4 (v14): v12 with three stages; + 192 (v15): v12 with both rows' softmax interleaved
// (softmaxIntRows); + 192 + 4 (v16): v15 with three stages; + 224 + 4 / + 224 (v17 / v18): v16 / v15
// with three consumer warpgroups (192-row tiles, 160 registers each). v9-v13 and v15 use two stages. Workspace as
// SageBuffers plus v8 [b][kvHeads][128][ceil(seq/128)*128] bytes, vScale and vAbsMax [b][kvHeads][128] floats.
extern "C" int paperlab_dev_sage_fp8_forward(int parts, int bf16, const void *q, const void *k, const void *v, void *o,
                                             void *q8, void *k8, void *v8, float *qScale, float *kScale, float *kMean,
                                             float *vScale, float *vAbsMax, int batch, int qHeads, int kvHeads, int seq,
                                             int headDim, int causal, float scale, void *stream)
{
    using namespace paperlab::kernels::cuda::hopper;
    if (headDim != 128)
        return -1;
    const SageFp8Buffers w{{static_cast<int8_t *>(q8), static_cast<int8_t *>(k8), qScale, kScale, kMean},
                           static_cast<uint8_t *>(v8),
                           vScale,
                           vAbsMax};
    const auto s = static_cast<cudaStream_t>(stream);
    const bool l2Order = parts & 16, threeStages = parts & 4;
    const int softmax = (parts >> 5) & 7; // 1: v9, 2: v10, 3: v11, 4: v12 (v14), 5: v13, 6: v15 (v16), 7: v17/18
    auto run = [&](auto type) {
        using T = decltype(type);
        auto with = [&](auto magic, auto opts, auto stages, auto nc) {
            constexpr bool M = decltype(magic)::value;
            constexpr int O = decltype(opts)::value, S = decltype(stages)::value, N = decltype(nc)::value;
            return causal ? launchSageFp8<T, true, S, M, O, N>(parts & 3, q, k, v, o, w, batch, qHeads, kvHeads, seq,
                                                               scale, s, l2Order)
                          : launchSageFp8<T, false, S, M, O, N>(parts & 3, q, k, v, o, w, batch, qHeads, kvHeads, seq,
                                                                scale, s, l2Order);
        };
        using No = std::false_type;
        using Two = std::integral_constant<int, 2>;
        using Three = std::integral_constant<int, 3>;
        switch (softmax) {
        case 1: // v9
            return with(std::true_type{}, std::integral_constant<int, 0>{}, Two{}, Two{});
        case 2: // v10
            return with(No{}, std::integral_constant<int, 1>{}, Two{}, Two{});
        case 3: // v11
            return with(No{}, std::integral_constant<int, 3>{}, Two{}, Two{});
        case 4: // v12, or v14 with three stages
            if (threeStages)
                return with(No{}, std::integral_constant<int, 7>{}, Three{}, Two{});
            return with(No{}, std::integral_constant<int, 7>{}, Two{}, Two{});
        case 5: // v13
            return with(No{}, std::integral_constant<int, 13>{}, Two{}, Two{});
        case 6: // v15, or v16 with three stages
            if (threeStages)
                return with(No{}, std::integral_constant<int, 39>{}, Three{}, Two{});
            return with(No{}, std::integral_constant<int, 39>{}, Two{}, Two{});
        case 7: // v17 (three stages) / v18 (two): v15 with three consumer warpgroups (192-row tiles)
            if (threeStages)
                return with(No{}, std::integral_constant<int, 39>{}, Three{}, Three{});
            return with(No{}, std::integral_constant<int, 39>{}, Two{}, Three{});
        default:
            break;
        }
        if (threeStages)
            return causal ? launchSageFp8<T, true, 3>(parts & 3, q, k, v, o, w, batch, qHeads, kvHeads, seq, scale, s,
                                                      l2Order)
                          : launchSageFp8<T, false, 3>(parts & 3, q, k, v, o, w, batch, qHeads, kvHeads, seq, scale, s,
                                                       l2Order);
        return causal
                   ? launchSageFp8<T, true, 2>(parts & 3, q, k, v, o, w, batch, qHeads, kvHeads, seq, scale, s, l2Order)
                   : launchSageFp8<T, false, 2>(parts & 3, q, k, v, o, w, batch, qHeads, kvHeads, seq, scale, s,
                                                l2Order);
    };
    return bf16 ? run(__nv_bfloat16{}) : run(__half{});
}
