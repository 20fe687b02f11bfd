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

#include <math_constants.h>

#include <cstdio>
#include <cstring>

namespace paperlab::kernels::cuda::hopper {

namespace {

constexpr int kBR = 128;            // query rows per block (2 consumer warpgroups x 64)
constexpr int kThreads = 3 * 128;   // producer + 2 consumers

struct FwdParams {
    int seqQ, seqK, qHeads, kvHeads, qTiles;
    float scaleLog2;
};

template <typename T, int D, int BC, int STAGES>
struct FwdSmem {
    static constexpr int kQ = kBR * D;   // elements
    static constexpr int kKV = BC * D;
    static constexpr int bytes = (kQ + 2 * STAGES * kKV) * int(sizeof(T)) + 8 * (1 + 4 * STAGES) + 1024;
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
template <int BC>
__device__ __forceinline__ void softmaxRescale(float (&s)[BC / 8][4], float (&m)[2], float (&l)[2], float scaleLog2,
                                               float (&corr)[2])
{
#pragma unroll
    for (int h = 0; h < 2; ++h) {
        float mx = -CUDART_INF_F;
#pragma unroll
        for (int n = 0; n < BC / 8; ++n)
            mx = fmaxf(mx, fmaxf(s[n][2 * h], s[n][2 * h + 1]));
        mx = quadMax(mx);
        const float mNew = fmaxf(m[h], mx * scaleLog2);
        const float base = mNew == -CUDART_INF_F ? 0.f : mNew;  // fully masked so far: no NaN
        corr[h] = fastExp2(m[h] - base);
        m[h] = mNew;
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

template <typename T, int D, int BC, int STAGES, bool CAUSAL, bool PINGPONG>
__global__ void __launch_bounds__(kThreads, 1)
    flashForwardTma(const __grid_constant__ CUtensorMap mapQ, const __grid_constant__ CUtensorMap mapK,
                    const __grid_constant__ CUtensorMap mapV, const __grid_constant__ CUtensorMap mapO,
                    const FwdParams p)
{
#ifdef PL_HOPPER_PIPELINE
    using Smem = FwdSmem<T, D, BC, STAGES>;
    extern __shared__ unsigned char smemRaw[];
    T* sQ = reinterpret_cast<T*>((reinterpret_cast<uintptr_t>(smemRaw) + 1023) & ~uintptr_t(1023));
    T* sK = sQ + Smem::kQ;
    T* sV = sK + STAGES * Smem::kKV;
    uint64_t* fullQ = reinterpret_cast<uint64_t*>(sV + STAGES * Smem::kKV);
    uint64_t* fullK = fullQ + 1;
    uint64_t* fullV = fullK + STAGES;
    uint64_t* emptyK = fullV + STAGES;
    uint64_t* emptyV = emptyK + STAGES;

    // Longest first: blockIdx.x runs over (batch, head) fastest, so the first wave holds the
    // last (longest, when causal) query tile of every head.
    const int bh = blockIdx.x;
    const int qTile = p.qTiles - 1 - int(blockIdx.y);
    const int b = bh / p.qHeads, h = bh % p.qHeads;
    const int bhk = b * p.kvHeads + h / (p.qHeads / p.kvHeads);
    const int q0 = qTile * kBR;
    const int keyEnd = CAUSAL ? min(p.seqK, q0 + kBR) : p.seqK;
    const int tiles = (keyEnd + BC - 1) / BC;

    const int wg = threadIdx.x / 128;
    if (threadIdx.x == 0) {
        barrierInit(fullQ, 1);
        for (int s = 0; s < STAGES; ++s) {
            barrierInit(fullK + s, 1);
            barrierInit(fullV + s, 1);
            barrierInit(emptyK + s, 8);  // lane 0 of each consumer warp
            barrierInit(emptyV + s, 8);
        }
        ptx::fence_mbarrier_init(ptx::sem_release, ptx::scope_cluster);
    }
    __syncthreads();

    if (wg == 0) {
        registersDown<24>();
        if (threadIdx.x == 0) {
            prefetchTensorMap(&mapK);
            prefetchTensorMap(&mapV);
            barrierExpectBytes(fullQ, kBR * D * sizeof(T));
#pragma unroll
            for (int blk = 0; blk < D / 64; ++blk)
                tmaLoad3d(sQ + blk * kBR * 64, &mapQ, blk * 64, q0, bh, fullQ);
            for (int j = 0; j < tiles; ++j) {
                const int stage = j % STAGES;
                const uint32_t parity = ((j / STAGES) & 1) ^ 1;  // a fresh barrier passes parity 1
                barrierWait(emptyK + stage, parity);
                barrierExpectBytes(fullK + stage, BC * D * sizeof(T));
#pragma unroll
                for (int blk = 0; blk < D / 64; ++blk)
                    tmaLoad3d(sK + stage * Smem::kKV + blk * BC * 64, &mapK, blk * 64, j * BC, bhk, fullK + stage);
                barrierWait(emptyV + stage, parity);
                barrierExpectBytes(fullV + stage, BC * D * sizeof(T));
#pragma unroll
                for (int blk = 0; blk < D / 64; ++blk)
                    tmaLoad3d(sV + stage * Smem::kKV + blk * BC * 64, &mapV, blk * 64, j * BC, bhk, fullV + stage);
            }
        }
    } else {
        registersUp<240>();
        const int cw = wg - 1;  // consumer index: rows cw*64 .. cw*64+63 of the Q tile
        const int lane = threadIdx.x & 31, warp = (threadIdx.x >> 5) & 3;
        const int g = lane >> 2, t = lane & 3;
        const int rowA = q0 + cw * 64 + warp * 16 + g;  // this thread's rows: rowA, rowA + 8
        const int ownBar = 1 + cw, otherBar = 2 - cw;   // ping-pong named barriers 1 and 2

        auto issueS = [&](float(&acc)[BC / 8][4], int stage) {
            const T* kT = sK + stage * Smem::kKV;
            wgmmaFence();
#pragma unroll
            for (int kk = 0; kk < D / 16; ++kk) {
                const int blk = kk >> 2, inner = (kk & 3) * 16;
                const uint64_t da = descSwizzle128(sQ + blk * kBR * 64 + cw * 64 * 64 + inner, 16, 1024);
                const uint64_t db = descSwizzle128(kT + blk * BC * 64 + inner, 16, 1024);
                WgmmaOps<T>::template ss<BC>(acc, da, db, kk > 0);
            }
            wgmmaCommit();
        };
        float o[D / 8][4];
        auto issuePV = [&](const uint32_t(&pa)[BC / 16][4], int stage) {
            const T* vT = sV + stage * Smem::kKV;
            wgmmaFence();
#pragma unroll
            for (int kk = 0; kk < BC / 16; ++kk)
                WgmmaOps<T>::template rsTransB<D>(o, pa[kk], descSwizzle128(vT + kk * 16 * 64, BC * 128, 1024), 1);
            wgmmaCommit();
        };
        auto release = [&](uint64_t* bar) {
            __syncwarp();
            if (lane == 0)
                barrierArrive(bar);
        };
        auto needsMask = [&](int j) {
            const int k0 = j * BC;
            return k0 + BC > p.seqK || (CAUSAL && k0 + BC - 1 > q0 + cw * 64);
        };

#pragma unroll
        for (int d = 0; d < D / 8; ++d)
            o[d][0] = o[d][1] = o[d][2] = o[d][3] = 0.f;
        RowState<D> st{{-CUDART_INF_F, -CUDART_INF_F}, {0.f, 0.f}};

        if (PINGPONG && cw == 1)
            namedArrive(1, 256);  // consumer 0 issues first

        float s[BC / 8][4];
        uint32_t pa[BC / 16][4];
        barrierWait(fullQ, 0);
        barrierWait(fullK, 0);
        if (PINGPONG)
            namedSync(ownBar, 256);
        issueS(s, 0);
        if (PINGPONG)
            namedArrive(otherBar, 256);
        wgmmaWait<0>();
        fenceOperands(s);
        release(emptyK);
        if (needsMask(0))
            maskTile<BC, CAUSAL>(s, 0, p.seqK, rowA, t);
        {
            float corr[2];
            softmaxRescale<BC>(s, st.m, st.l, p.scaleLog2, corr);  // corr unused: O is zero
        }
        packP<T, BC>(pa, s);

        for (int j = 1; j < tiles; ++j) {
            const int stage = j % STAGES, prev = (j - 1) % STAGES;
            barrierWait(fullK + stage, (j / STAGES) & 1);
            if (PINGPONG)
                namedSync(ownBar, 256);
            issueS(s, stage);
            barrierWait(fullV + prev, ((j - 1) / STAGES) & 1);
            issuePV(pa, prev);
            if (PINGPONG)
                namedArrive(otherBar, 256);
            wgmmaWait<1>();  // S_j is ready; PV_{j-1} may still run
            fenceOperands(s);
            release(emptyK + stage);
            if (needsMask(j))
                maskTile<BC, CAUSAL>(s, j * BC, p.seqK, rowA, t);
            float corr[2];
            softmaxRescale<BC>(s, st.m, st.l, p.scaleLog2, corr);
            wgmmaWait<0>();
            fenceOperands(o);
            fenceOperands(pa);
            release(emptyV + prev);
#pragma unroll
            for (int d = 0; d < D / 8; ++d) {
                o[d][0] *= corr[0];
                o[d][1] *= corr[0];
                o[d][2] *= corr[1];
                o[d][3] *= corr[1];
            }
            packP<T, BC>(pa, s);
        }
        {
            const int last = (tiles - 1) % STAGES;
            barrierWait(fullV + last, ((tiles - 1) / STAGES) & 1);
            if (PINGPONG)
                namedSync(ownBar, 256);
            issuePV(pa, last);
            if (PINGPONG && cw == 0)
                namedArrive(otherBar, 256);  // consumer 1 skips its last hand-over: none waits
            wgmmaWait<0>();
            fenceOperands(o);
            release(emptyV + last);
        }

        // Epilogue: normalise, write this warpgroup's 64 rows of O over its own Q rows (only
        // its own wgmmas read them, and those are complete), then one TMA store per 64 columns.
        T* sO = sQ;
#pragma unroll
        for (int half = 0; half < 2; ++half) {
            const float l = quadSum(st.l[half]);
            const float inv = l > 0.f ? 1.f / l : 0.f;
            const int r = cw * 64 + warp * 16 + g + half * 8;
#pragma unroll
            for (int d = 0; d < D / 8; ++d) {
                const int col = d * 8 + 2 * t;
                T* dst = sO + (col >> 6) * kBR * 64 + swizzle128Offset<kBR>(r, (col & 63) >> 3) + (col & 7);
                *reinterpret_cast<uint32_t*>(dst) = Mma<T>::pack(o[d][2 * half] * inv, o[d][2 * half + 1] * inv);
            }
        }
        fenceSharedToAsync();
        namedSync(3 + cw, 128);
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
    const void* ptr[4]{};
    int key[8]{};
    CUtensorMap maps[4];
};

template <typename T, int D, int BC, int STAGES, bool CAUSAL, bool PINGPONG>
int launchForward(const void* q, const void* k, const void* v, void* o, int batch, int qHeads, int kvHeads, int seqQ,
                  int seqK, float scale, cudaStream_t stream)
{
    constexpr bool bf = sizeof(T) == 2 && !std::is_same_v<T, __half>;
    // Tensor maps are rebuilt only when the tensors change (timing loops reuse them).
    static MapCache cache;
    const void* ptrs[4] = {q, k, v, o};
    const int key[8] = {batch, qHeads, kvHeads, seqQ, seqK, D, 0, 0};
    if (std::memcmp(cache.ptr, ptrs, sizeof ptrs) != 0 || std::memcmp(cache.key, key, sizeof key) != 0) {
        if (!encodeAttentionMap(&cache.maps[0], q, bf, D, seqQ, batch * qHeads, kBR) ||
            !encodeAttentionMap(&cache.maps[1], k, bf, D, seqK, batch * kvHeads, BC) ||
            !encodeAttentionMap(&cache.maps[2], v, bf, D, seqK, batch * kvHeads, BC) ||
            !encodeAttentionMap(&cache.maps[3], o, bf, D, seqQ, batch * qHeads, 64))
            return -2;
        std::memcpy(cache.ptr, ptrs, sizeof ptrs);
        std::memcpy(cache.key, key, sizeof key);
    }
    using Smem = FwdSmem<T, D, BC, STAGES>;
    auto kernel = flashForwardTma<T, D, BC, STAGES, CAUSAL, PINGPONG>;
    if (cudaFuncSetAttribute(kernel, cudaFuncAttributeMaxDynamicSharedMemorySize, Smem::bytes) != cudaSuccess)
        return -3;
    FwdParams p{seqQ, seqK, qHeads, kvHeads, (seqQ + kBR - 1) / kBR, float(scale * 1.4426950408889634)};
    dim3 grid(batch * qHeads, p.qTiles);
    kernel<<<grid, kThreads, Smem::bytes, stream>>>(cache.maps[0], cache.maps[1], cache.maps[2], cache.maps[3], p);
    return cudaGetLastError() == cudaSuccess ? 0 : -4;
}

template <typename T, int D, bool PINGPONG>
int dispatchCausal(bool causal, const void* q, const void* k, const void* v, void* o, int batch, int qHeads,
                   int kvHeads, int seqQ, int seqK, float scale, cudaStream_t s)
{
    constexpr int BC = 128, STAGES = D == 128 ? 2 : 3;
    return causal ? launchForward<T, D, BC, STAGES, true, PINGPONG>(q, k, v, o, batch, qHeads, kvHeads, seqQ, seqK,
                                                                     scale, s)
                  : launchForward<T, D, BC, STAGES, false, PINGPONG>(q, k, v, o, batch, qHeads, kvHeads, seqQ, seqK,
                                                                      scale, s);
}

template <bool PINGPONG>
int dispatch(int bf16, int headDim, int causal, const void* q, const void* k, const void* v, void* o, int batch,
             int qHeads, int kvHeads, int seqQ, int seqK, float scale, cudaStream_t s)
{
    if (headDim == 128)
        return bf16 ? dispatchCausal<__nv_bfloat16, 128, PINGPONG>(causal, q, k, v, o, batch, qHeads, kvHeads, seqQ,
                                                                    seqK, scale, s)
                    : dispatchCausal<__half, 128, PINGPONG>(causal, q, k, v, o, batch, qHeads, kvHeads, seqQ, seqK,
                                                            scale, s);
    if (headDim == 64)
        return bf16 ? dispatchCausal<__nv_bfloat16, 64, PINGPONG>(causal, q, k, v, o, batch, qHeads, kvHeads, seqQ,
                                                                   seqK, scale, s)
                    : dispatchCausal<__half, 64, PINGPONG>(causal, q, k, v, o, batch, qHeads, kvHeads, seqQ, seqK,
                                                           scale, s);
    return -1;
}

}  // namespace

}  // namespace paperlab::kernels::cuda::hopper

// C entry point for the dev driver. Tensors are contiguous [batch][heads][seq][head_dim];
// causal needs seq_q == seq_k. Returns 0, or a negative code: -1 shape not built, -2 tensor
// map refused, -3 shared-memory attribute refused, -4 launch error, -5 unknown variant.
extern "C" int paperlab_dev_flash_forward(int variant, int bf16, const void* q, const void* k, const void* v, void* o,
                                          int batch, int qHeads, int kvHeads, int seqQ, int seqK, int headDim,
                                          int causal, float scale, void* stream)
{
    using namespace paperlab::kernels::cuda::hopper;
    const auto s = static_cast<cudaStream_t>(stream);
    switch (variant) {
    case 14:
        return dispatch<false>(bf16, headDim, causal, q, k, v, o, batch, qHeads, kvHeads, seqQ, seqK, scale, s);
    case 15:
        return dispatch<true>(bf16, headDim, causal, q, k, v, o, batch, qHeads, kvHeads, seqQ, seqK, scale, s);
    default:
        return -5;
    }
}

extern "C" const char* paperlab_dev_flash_forward_variants()
{
    return "14: TMA producer warp, 2-3 stage mbarrier ring, 2 consumer warpgroups (setmaxnreg 24/240), "
           "softmax overlapped with the next QK^T and PV wgmmas, O stored by TMA;"
           "15: 14 plus ping-pong of the two consumer warpgroups (named barriers)";
}
