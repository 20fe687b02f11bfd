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
template <typename T, int D, int NC, int BC, int STAGES, typename TQK = T>
struct FwdSmem {
    static constexpr int rows = FwdShape<NC>::rows;
    static constexpr int qBytes = rows * D * int(sizeof(TQK) > sizeof(T) ? sizeof(TQK) : sizeof(T));
    static constexpr int kBytes = BC * D * int(sizeof(TQK));
    static constexpr int vBytes = BC * D * int(sizeof(T));
    static constexpr int bytes = qBytes + STAGES * (kBytes + vBytes) + 8 * (1 + 4 * STAGES) + 1024;
};

#ifdef PL_HOPPER_PIPELINE
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

template <int BC>
__device__ __forceinline__ void softmaxRescale(float (&s)[BC / 8][4], float (&m)[2], float (&l)[2], float scaleLog2,
                                               float (&corr)[2])
{
#pragma unroll
    for (int h = 0; h < 2; ++h) {
        const float base = updateRowMax<BC>(s, h, m[h], scaleLog2, corr[h]);
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
#endif

template <typename T, int D, int NC, int BC, int STAGES, bool CAUSAL, bool PINGPONG, bool EARLY_RESCALE,
          bool SPARSE = false, typename TQK = T, bool MAGIC_I2F = false, bool EXP_F16X2 = false>
__global__ void __launch_bounds__(FwdShape<NC>::threads, 1)
    flashForwardTma(const __grid_constant__ CUtensorMap mapQ, const __grid_constant__ CUtensorMap mapK,
                    const __grid_constant__ CUtensorMap mapV, const __grid_constant__ CUtensorMap mapO,
                    const FwdParams p)
{
#ifdef PL_HOPPER_PIPELINE
    using Smem = FwdSmem<T, D, NC, BC, STAGES, TQK>;
    constexpr int kBR = FwdShape<NC>::rows;
    constexpr bool INT8 = sizeof(TQK) == 1;
    constexpr int kAtom = 128 / int(sizeof(TQK)); // elements of Q/K per 128-byte swizzle row
    constexpr int kStep = 32 / int(sizeof(TQK));  // K extent of one wgmma (k16 f16, k32 s8)
    extern __shared__ unsigned char smemRaw[];
    unsigned char *smem =
        reinterpret_cast<unsigned char *>((reinterpret_cast<uintptr_t>(smemRaw) + 1023) & ~uintptr_t(1023));
    TQK *sQ = reinterpret_cast<TQK *>(smem);
    TQK *sK = reinterpret_cast<TQK *>(smem + Smem::qBytes);
    T *sV = reinterpret_cast<T *>(smem + Smem::qBytes + STAGES * Smem::kBytes);
    uint64_t *fullQ = reinterpret_cast<uint64_t *>(smem + Smem::qBytes + STAGES * (Smem::kBytes + Smem::vBytes));
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
                return p.scaleLog2 * __ldg(p.qScale + (size_t(bh) * p.qTiles + qTile) * NC + cw) *
                       __ldg(p.kScale + size_t(bhk) * p.kTiles + keyTile(j));
            else
                return p.scaleLog2;
        };
        float o[D / 8][4];
        auto issuePV = [&](const uint32_t(&pa)[BC / 16][4], int stage) {
            const T *vT = sV + stage * BC * D;
            wgmmaFence();
#pragma unroll
            for (int kk = 0; kk < BC / 16; ++kk)
                WgmmaOps<T>::template rsTransB<D>(o, pa[kk], descSwizzle128(vT + kk * 16 * 64, BC * 128, 1024), 1);
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
        uint32_t pa[BC / 16][4];
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
            } else {
                softmaxRescale<BC>(s, st.m, st.l, scaleLog2, corr);
                packP<T, BC>(pa, s);
            }
        };
        softmaxStep(tileScale(0)); // corr unused: O is zero
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
            // v19: the previous tile's rescale of O runs here, while S_j is on the tensor
            // cores, instead of between the PV wait and the next issue (the critical path).
            if (EARLY_RESCALE && j > 1)
                rescaleO();
            barrierWait(fullV + prev, ((j - 1) / STAGES) & 1);
            issuePV(pa, prev);
            if (PINGPONG)
                namedArrive(otherBar, kPair);
            wgmmaWait<1>(); // S_j is ready; PV_{j-1} may still run
            scoresReady(s, sAcc);
            release(emptyK + stage);
            if (needsMask(j))
                maskTile<BC, CAUSAL>(s, keyTile(j) * BC, p.seqK, rowA, t);
            if constexpr (EXP_F16X2 && std::is_same_v<T, __half>) {
                softmaxStep(tileScale(j)); // into paNext: PV_{j-1} still reads pa
                wgmmaWait<0>();
                fenceOperands(o);
                fenceOperands(pa);
                release(emptyV + prev);
                takeNextP();
            } else {
                softmaxRescale<BC>(s, st.m, st.l, tileScale(j), corr);
                wgmmaWait<0>();
                fenceOperands(o);
                fenceOperands(pa);
                release(emptyV + prev);
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
            release(emptyV + last);
        }

        // Epilogue: normalise, write this warpgroup's 64 rows of O over its own Q rows (only
        // its own wgmmas read them, and those are complete), then one TMA store per 64 columns.
        T *sO = reinterpret_cast<T *>(smem);
#pragma unroll
        for (int half = 0; half < 2; ++half) {
            const float l = quadSum(st.l[half]);
            const float inv = l > 0.f ? 1.f / l : 0.f;
            const int r = cw * 64 + warp * 16 + g + half * 8;
#pragma unroll
            for (int d = 0; d < D / 8; ++d) {
                const int col = d * 8 + 2 * t;
                T *dst = sO + (col >> 6) * kBR * 64 + swizzle128Offset<kBR>(r, (col & 63) >> 3) + (col & 7);
                *reinterpret_cast<uint32_t *>(dst) = Mma<T>::pack(o[d][2 * half] * inv, o[d][2 * half + 1] * inv);
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
template <typename T>
__global__ void __launch_bounds__(256)
    quantizeQK(const T *q, const T *k, int8_t *q8, int8_t *k8, float *qScale, float *kScale, const float *kMean,
               int seq, int bhQ, int qTiles, int kTiles)
{
    const int qBlocks = bhQ * qTiles * 2;
    if (int(blockIdx.x) < qBlocks) {
        const int bh = blockIdx.x / (qTiles * 2), blk = blockIdx.x % (qTiles * 2);
        const int row0 = blk * 64;
        const size_t off = (size_t(bh) * seq + row0) * 128;
        quantizeBlock<T, 64>(q + off, q8 + off, qScale + blockIdx.x, nullptr, min(64, seq - row0));
    } else {
        const int i = blockIdx.x - qBlocks;
        const int bhk = i / kTiles, tile = i % kTiles;
        const int row0 = tile * 128;
        const size_t off = (size_t(bhk) * seq + row0) * 128;
        quantizeBlock<T, 128>(k + off, k8 + off, kScale + i, kMean + bhk * 128, min(128, seq - row0));
    }
}

struct SageBuffers {
    int8_t *q8;
    int8_t *k8;
    float *qScale; // [b*qHeads][ceil(seq/128)][2]
    float *kScale; // [b*kvHeads][ceil(seq/128)]
    float *kMean;  // [b*kvHeads][128]
};

template <typename T, bool CAUSAL, bool MAGIC, bool F16X2>
int launchSage(int parts, const void *q, const void *k, const void *v, void *o, const SageBuffers &w, int batch,
               int qHeads, int kvHeads, int seq, float scale, cudaStream_t stream, bool l2Order)
{
    constexpr int D = 128, NC = 2, BC = 128, STAGES = 2;
    const int qTiles = (seq + 127) / 128, kTiles = (seq + BC - 1) / BC;
    if (parts & 1) {
        if (cudaMemsetAsync(w.kMean, 0, sizeof(float) * batch * kvHeads * D, stream) != cudaSuccess)
            return -4;
        keyChannelMean<T>
            <<<dim3(batch * kvHeads, (seq + 255) / 256), 128, 0, stream>>>(static_cast<const T *>(k), w.kMean, seq);
        quantizeQK<T><<<batch * qHeads * qTiles * 2 + batch * kvHeads * kTiles, 256, 0, stream>>>(
            static_cast<const T *>(q), static_cast<const T *>(k), w.q8, w.k8, w.qScale, w.kScale, w.kMean, seq,
            batch * qHeads, qTiles, kTiles);
        if (cudaGetLastError() != cudaSuccess)
            return -4;
    }
    if (!(parts & 2))
        return 0;
    constexpr bool bf = std::is_same_v<T, __nv_bfloat16>;
    CUtensorMap maps[4];
    if (!encodeAttentionMap(&maps[0], w.q8, CU_TENSOR_MAP_DATA_TYPE_UINT8, 1, D, seq, batch * qHeads, 128) ||
        !encodeAttentionMap(&maps[1], w.k8, CU_TENSOR_MAP_DATA_TYPE_UINT8, 1, D, seq, batch * kvHeads, BC) ||
        !encodeAttentionMap(&maps[2], v, bf, D, seq, batch * kvHeads, BC) ||
        !encodeAttentionMap(&maps[3], o, bf, D, seq, batch * qHeads, 64))
        return -2;
    using Smem = FwdSmem<T, D, NC, BC, STAGES, int8_t>;
    auto kernel = flashForwardTma<T, D, NC, BC, STAGES, CAUSAL, true, false, false, int8_t, MAGIC, F16X2>;
    if (cudaFuncSetAttribute(kernel, cudaFuncAttributeMaxDynamicSharedMemorySize, Smem::bytes) != cudaSuccess)
        return -3;
    FwdParams p{seq, seq, qHeads, kvHeads, qTiles, float(scale * 1.4426950408889634)};
    p.qScale = w.qScale;
    p.kScale = w.kScale;
    p.kTiles = kTiles;
    p.qTileFastest = l2Order && !CAUSAL; // v22's order: resident blocks share a few heads' K/V
    const dim3 grid = p.qTileFastest ? dim3(qTiles, batch * qHeads) : dim3(batch * qHeads, qTiles);
    kernel<<<grid, FwdShape<NC>::threads, Smem::bytes, stream>>>(maps[0], maps[1], maps[2], maps[3], p);
    return cudaGetLastError() == cudaSuccess ? 0 : -4;
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
