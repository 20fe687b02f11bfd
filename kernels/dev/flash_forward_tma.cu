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


struct FwdParams {
    int seqQ, seqK, qHeads, kvHeads, qTiles;
    float scaleLog2;
    // Block-sparse walk (SPARSE): for query tile i of head bh, kvCount[bh * qTiles + i] key
    // tiles listed at kvList[(bh * qTiles + i) * maxKept ...], any order.
    const int* kvList = nullptr;
    const int* kvCount = nullptr;
    int maxKept = 0;
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

template <typename T, int D, int NC, int BC, int STAGES>
struct FwdSmem {
    static constexpr int kQ = FwdShape<NC>::rows * D;   // elements
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

template <typename T, int D, int NC, int BC, int STAGES, bool CAUSAL, bool PINGPONG, bool EARLY_RESCALE,
          bool SPARSE = false>
__global__ void __launch_bounds__(FwdShape<NC>::threads, 1)
    flashForwardTma(const __grid_constant__ CUtensorMap mapQ, const __grid_constant__ CUtensorMap mapK,
                    const __grid_constant__ CUtensorMap mapV, const __grid_constant__ CUtensorMap mapO,
                    const FwdParams p)
{
#ifdef PL_HOPPER_PIPELINE
    using Smem = FwdSmem<T, D, NC, BC, STAGES>;
    constexpr int kBR = FwdShape<NC>::rows;
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
    const int* list = SPARSE ? p.kvList + (size_t(bh) * p.qTiles + qTile) * p.maxKept : nullptr;
    const int tiles = SPARSE ? p.kvCount[bh * p.qTiles + qTile] : (keyEnd + BC - 1) / BC;
    auto keyTile = [&](int j) { return SPARSE ? __ldg(list + j) : j; };

    const int wg = threadIdx.x / 128;
    if (threadIdx.x == 0) {
        barrierInit(fullQ, 1);
        for (int s = 0; s < STAGES; ++s) {
            barrierInit(fullK + s, 1);
            barrierInit(fullV + s, 1);
            barrierInit(emptyK + s, 4 * NC);  // lane 0 of each consumer warp
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
                    tmaLoad3d(sK + stage * Smem::kKV + blk * BC * 64, &mapK, blk * 64, keyTile(j) * BC, bhk,
                              fullK + stage);
                barrierWait(emptyV + stage, parity);
                barrierExpectBytes(fullV + stage, BC * D * sizeof(T));
#pragma unroll
                for (int blk = 0; blk < D / 64; ++blk)
                    tmaLoad3d(sV + stage * Smem::kKV + blk * BC * 64, &mapV, blk * 64, keyTile(j) * BC, bhk,
                              fullV + stage);
            }
        }
    } else {
        registersUp<FwdShape<NC>::consumerRegs>();
        const int cw = wg - 1;  // consumer index: rows cw*64 .. cw*64+63 of the Q tile
        const int lane = threadIdx.x & 31, warp = (threadIdx.x >> 5) & 3;
        const int g = lane >> 2, t = lane & 3;
        const int rowA = q0 + cw * 64 + warp * 16 + g;  // this thread's rows: rowA, rowA + 8
        // Ping-pong: consumers issue their wgmmas in turn 0, 1, .., NC-1, 0, ..; consumer c
        // waits on named barrier 1 + c and hands over on the next one's.
        const int ownBar = 1 + cw, otherBar = 1 + (cw + 1) % NC;
        constexpr int kPair = 256;  // the waiting warpgroup and the one handing over

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
            const int k0 = keyTile(j) * BC;
            return k0 + BC > p.seqK || (CAUSAL && k0 + BC - 1 > q0 + cw * 64);
        };

#pragma unroll
        for (int d = 0; d < D / 8; ++d)
            o[d][0] = o[d][1] = o[d][2] = o[d][3] = 0.f;
        RowState<D> st{{-CUDART_INF_F, -CUDART_INF_F}, {0.f, 0.f}};

        if (PINGPONG && cw == NC - 1)
            namedArrive(1, kPair);  // consumer 0 issues first

        float s[BC / 8][4];
        uint32_t pa[BC / 16][4];
        barrierWait(fullQ, 0);
        barrierWait(fullK, 0);
        if (PINGPONG)
            namedSync(ownBar, kPair);
        issueS(s, 0);
        if (PINGPONG)
            namedArrive(otherBar, kPair);
        wgmmaWait<0>();
        fenceOperands(s);
        release(emptyK);
        if (needsMask(0))
            maskTile<BC, CAUSAL>(s, keyTile(0) * BC, p.seqK, rowA, t);
        float corr[2];
        softmaxRescale<BC>(s, st.m, st.l, p.scaleLog2, corr);  // corr unused: O is zero
        packP<T, BC>(pa, s);
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
            issueS(s, stage);
            // v19: the previous tile's rescale of O runs here, while S_j is on the tensor
            // cores, instead of between the PV wait and the next issue (the critical path).
            if (EARLY_RESCALE && j > 1)
                rescaleO();
            barrierWait(fullV + prev, ((j - 1) / STAGES) & 1);
            issuePV(pa, prev);
            if (PINGPONG)
                namedArrive(otherBar, kPair);
            wgmmaWait<1>();  // S_j is ready; PV_{j-1} may still run
            fenceOperands(s);
            release(emptyK + stage);
            if (needsMask(j))
                maskTile<BC, CAUSAL>(s, keyTile(j) * BC, p.seqK, rowA, t);
            softmaxRescale<BC>(s, st.m, st.l, p.scaleLog2, corr);
            wgmmaWait<0>();
            fenceOperands(o);
            fenceOperands(pa);
            release(emptyV + prev);
            if (!EARLY_RESCALE)
                rescaleO();
            packP<T, BC>(pa, s);
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
                namedArrive(otherBar, kPair);  // the last consumer's final hand-over has no taker
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
    const void* ptr[4]{};
    int key[8]{};
    CUtensorMap maps[4];
};

template <typename T, int D, int NC, int BC, int STAGES, bool CAUSAL, bool PINGPONG, bool EARLY>
int launchForward(const void* q, const void* k, const void* v, void* o, int batch, int qHeads, int kvHeads, int seqQ,
                  int seqK, float scale, cudaStream_t stream)
{
    constexpr bool bf = std::is_same_v<T, __nv_bfloat16>;
    constexpr int BR = FwdShape<NC>::rows;
    // Tensor maps are rebuilt only when the tensors change (timing loops reuse them).
    static MapCache cache;
    const void* ptrs[4] = {q, k, v, o};
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
    auto kernel = flashForwardTma<T, D, NC, BC, STAGES, CAUSAL, PINGPONG, EARLY>;
    if (cudaFuncSetAttribute(kernel, cudaFuncAttributeMaxDynamicSharedMemorySize, Smem::bytes) != cudaSuccess)
        return -3;
    FwdParams p{seqQ, seqK, qHeads, kvHeads, (seqQ + BR - 1) / BR, float(scale * 1.4426950408889634)};
    dim3 grid(batch * qHeads, p.qTiles);
    kernel<<<grid, FwdShape<NC>::threads, Smem::bytes, stream>>>(cache.maps[0], cache.maps[1], cache.maps[2],
                                                                 cache.maps[3], p);
    return cudaGetLastError() == cudaSuccess ? 0 : -4;
}

// One development variant: its configuration per head dim (BC 0 = shape not built).
struct VariantConfig {
    int nc, bc, stages;
    bool pingpong;
};

template <typename T, int D, int NC, int BC, int STAGES, bool PP, bool EARLY = false>
int launchEither(bool causal, const void* q, const void* k, const void* v, void* o, int batch, int qHeads, int kvHeads,
                 int seqQ, int seqK, float scale, cudaStream_t s)
{
    return causal ? launchForward<T, D, NC, BC, STAGES, true, PP, EARLY>(q, k, v, o, batch, qHeads, kvHeads, seqQ, seqK,
                                                                         scale, s)
                  : launchForward<T, D, NC, BC, STAGES, false, PP, EARLY>(q, k, v, o, batch, qHeads, kvHeads, seqQ, seqK,
                                                                          scale, s);
}

template <typename T, int D>
int launchVariant(int variant, bool causal, const void* q, const void* k, const void* v, void* o, int batch,
                  int qHeads, int kvHeads, int seqQ, int seqK, float scale, cudaStream_t s)
{
    constexpr int ST = D == 128 ? 2 : 3;
    switch (variant) {
    case 14:  // pipeline, no ping-pong
        return launchEither<T, D, 2, 128, ST, false>(causal, q, k, v, o, batch, qHeads, kvHeads, seqQ, seqK, scale, s);
    case 15:  // + ping-pong
        return launchEither<T, D, 2, 128, ST, true>(causal, q, k, v, o, batch, qHeads, kvHeads, seqQ, seqK, scale, s);
    case 16:  // 15 with 176-key tiles (FlashAttention-3's non-causal hd128 tile)
        return launchEither<T, D, 2, 176, 2, true>(causal, q, k, v, o, batch, qHeads, kvHeads, seqQ, seqK, scale, s);
    case 17:  // 3 consumer warpgroups (192 rows), ping-pong in turn; hd64 only (160 registers)
        if constexpr (D == 64)
            return launchEither<T, D, 3, 128, 3, true>(causal, q, k, v, o, batch, qHeads, kvHeads, seqQ, seqK, scale,
                                                       s);
        return -1;
    case 18:  // 14 with one more stage
        return launchEither<T, D, 2, 128, ST + 1, false>(causal, q, k, v, o, batch, qHeads, kvHeads, seqQ, seqK, scale,
                                                         s);
    case 19:  // 15 (hd128) / 17 (hd64) with O rescaled while S_j runs
        if constexpr (D == 64)
            return launchEither<T, D, 3, 128, 3, true, true>(causal, q, k, v, o, batch, qHeads, kvHeads, seqQ, seqK,
                                                             scale, s);
        else
            return launchEither<T, D, 2, 128, 2, true, true>(causal, q, k, v, o, batch, qHeads, kvHeads, seqQ, seqK,
                                                             scale, s);
    case 20:  // 19 without ping-pong
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

}  // namespace

}  // namespace paperlab::kernels::cuda::hopper

// C entry point for the dev driver. Tensors are contiguous [batch][heads][seq][head_dim];
// causal needs seq_q == seq_k. Returns 0, or a negative code: -1 shape not built for this
// variant, -2 tensor map refused, -3 shared-memory attribute refused, -4 launch error,
// -5 unknown variant.
extern "C" int paperlab_dev_flash_forward(int variant, int bf16, const void* q, const void* k, const void* v, void* o,
                                          int batch, int qHeads, int kvHeads, int seqQ, int seqK, int headDim,
                                          int causal, float scale, void* stream)
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
int launchSparse(const void* q, const void* k, const void* v, void* o, const int* list, const int* count, int maxKept,
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
int launchSparseEither(bool causal, const void* q, const void* k, const void* v, void* o, const int* list,
                       const int* count, int maxKept, int batch, int qHeads, int kvHeads, int seq, float scale,
                       cudaStream_t s)
{
    return causal ? launchSparse<T, D, true>(q, k, v, o, list, count, maxKept, batch, qHeads, kvHeads, seq, scale, s)
                  : launchSparse<T, D, false>(q, k, v, o, list, count, maxKept, batch, qHeads, kvHeads, seq, scale, s);
}

}  // namespace
}  // namespace paperlab::kernels::cuda::hopper

// Block-sparse attention (MoBA / XAttention masks) walking kept 128-token key blocks from a
// compact list: list [batch*q_heads][ceil(seq/128)][max_kept] int32, count
// [batch*q_heads][ceil(seq/128)]. Causal: listed blocks must be at or before the query
// block; the diagonal one is masked element-wise. Same return codes as the dense entry.
extern "C" int paperlab_dev_block_sparse_forward(int bf16, const void* q, const void* k, const void* v, void* o,
                                                 const int* list, const int* count, int maxKept, int batch,
                                                 int qHeads, int kvHeads, int seq, int headDim, int causal,
                                                 float scale, void* stream)
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
