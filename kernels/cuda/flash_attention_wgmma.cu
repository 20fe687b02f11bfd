// FlashAttention forward on Hopper's warpgroup MMA (wgmma, sm_90a only).
//
// Block = NWG warpgroups, each owning 64 query rows. Q, K and V tiles sit in shared memory
// in the 128-byte-swizzled layout wgmma reads through descriptors: [D/64][rows][64] with
// the 16-byte chunk index XORed with row % 8 (tile bases 1024-byte aligned). S = Q K^T is
// one chain of D/16 shared-shared wgmmas; P stays in registers (the S accumulator layout
// is the A-fragment layout) and O += P V reads V as an N-major operand (transposed B).
// Loads are cp.async, two stages, as in the mma.sync kernel; no TMA or warp specialization
// yet (see NOTES.md).
#include "cuda/attention_tile.cuh"
#include "cuda/gpu_job.cuh"
#include "cuda/wgmma_ops.cuh"

#if defined(__CUDA_ARCH__) && defined(__CUDA_ARCH_FEAT_SM90_ALL)
#define PL_HAVE_WGMMA 1
#endif

namespace paperlab::kernels::cuda {

namespace {

struct WgParams {
    const void *q;
    const void *k;
    const void *v;
    void *o;
    int seqQ, seqK, qHeads, kvHeads;
    float scaleLog2;
};

template <int D, int NWG, int BC, int STAGES>
constexpr int wgSmemBytes()
{
    return (NWG * 64 * D + 2 * STAGES * BC * D) * 2 + 1024; // + alignment slack
}

// Element offset of (row, 16-byte chunk) in a [D/64][ROWS][64] 128B-swizzled tile.
template <int ROWS>
__device__ __forceinline__ int swz128(int row, int chunk)
{
    return (chunk >> 3) * ROWS * 64 + row * 64 + (((chunk & 7) ^ (row & 7)) << 3);
}

template <int ROWS, int D, int THREADS, typename T>
__device__ __forceinline__ void loadTile128(T *tile, const T *g, int row0, int rowLimit, int tid)
{
    constexpr int CHUNKS = D / 8;
#pragma unroll
    for (int i = tid; i < ROWS * CHUNKS; i += THREADS) {
        const int r = i / CHUNKS, c = i % CHUNKS;
        const bool valid = row0 + r < rowLimit;
        cpAsync16(tile + swz128<ROWS>(r, c), g + size_t(valid ? row0 + r : 0) * D + c * 8, valid);
    }
}

#ifdef PL_HAVE_WGMMA
__device__ __forceinline__ uint64_t smemDesc(const void *p, uint32_t lbo, uint32_t sbo)
{
    const uint64_t addr = smemAddr(p);
    return ((addr & 0x3FFFF) >> 4) | (uint64_t((lbo >> 4) & 0x3FFF) << 16) | (uint64_t((sbo >> 4) & 0x3FFF) << 32) |
           (1ull << 62); // 128-byte swizzle
}

__device__ __forceinline__ void wgFence()
{
    asm volatile("wgmma.fence.sync.aligned;\n" ::: "memory");
}
__device__ __forceinline__ void wgCommit()
{
    asm volatile("wgmma.commit_group.sync.aligned;\n" ::: "memory");
}
__device__ __forceinline__ void wgWait0()
{
    asm volatile("wgmma.wait_group.sync.aligned 0;\n" ::: "memory");
}
__device__ __forceinline__ void fenceProxyAsync()
{
    asm volatile("fence.proxy.async.shared::cta;\n" ::: "memory");
}
#endif

template <typename T, int D, int NWG, int BC, bool CAUSAL>
__global__ void __launch_bounds__(NWG * 128) flashFwdWgmmaKernel(const WgParams p)
{
#ifdef PL_HAVE_WGMMA
    constexpr int BR = NWG * 64, THREADS = NWG * 128;
    extern __shared__ unsigned char smemRawWg[];
    T *sQ = reinterpret_cast<T *>((reinterpret_cast<uintptr_t>(smemRawWg) + 1023) & ~uintptr_t(1023));
    T *sK = sQ + BR * D;
    T *sV = sK + 2 * BC * D;

    const int tid = threadIdx.x, lane = tid & 31, warp = tid >> 5, wg = warp >> 2;
    const int qTile = CAUSAL ? int(gridDim.x) - 1 - int(blockIdx.x) : int(blockIdx.x);
    const int bh = blockIdx.y;
    const int b = bh / p.qHeads, h = bh % p.qHeads;
    const int hk = h / (p.qHeads / p.kvHeads);
    const T *Q = static_cast<const T *>(p.q) + size_t(bh) * p.seqQ * D;
    const T *K = static_cast<const T *>(p.k) + (size_t(b) * p.kvHeads + hk) * p.seqK * D;
    const T *V = static_cast<const T *>(p.v) + (size_t(b) * p.kvHeads + hk) * p.seqK * D;
    T *O = static_cast<T *>(p.o) + size_t(bh) * p.seqQ * D;

    const int q0 = qTile * BR;
    const int keyEnd = CAUSAL ? min(p.seqK, q0 + BR) : p.seqK;
    const int tiles = (keyEnd + BC - 1) / BC;

    loadTile128<BR, D, THREADS>(sQ, Q, q0, p.seqQ, tid);
    loadTile128<BC, D, THREADS>(sK, K, 0, p.seqK, tid);
    loadTile128<BC, D, THREADS>(sV, V, 0, p.seqK, tid);
    cpAsyncCommit();

    AttnState<D, 1> st;
    st.init();
    const int g = lane >> 2, t = lane & 3;
    const int wgRow0 = wg * 64;                         // tile row of this warpgroup's first row
    const int rowA = q0 + wgRow0 + (warp & 3) * 16 + g; // this thread's rows: rowA, rowA + 8

    for (int j = 0; j < tiles; ++j) {
        if (j + 1 < tiles) {
            const int stage = (j + 1) & 1;
            loadTile128<BC, D, THREADS>(sK + stage * BC * D, K, (j + 1) * BC, p.seqK, tid);
            loadTile128<BC, D, THREADS>(sV + stage * BC * D, V, (j + 1) * BC, p.seqK, tid);
        }
        cpAsyncCommit();
        cpAsyncWait<1>();
        fenceProxyAsync(); // cp.async wrote through the generic proxy; wgmma reads via async
        __syncthreads();

        const T *kT = sK + (j & 1) * BC * D;
        const T *vT = sV + (j & 1) * BC * D;
        float s[1][BC / 8][4];
        wgFence();
#pragma unroll
        for (int kk = 0; kk < D / 16; ++kk) {
            // K-major operands: step 16 elements (32 bytes) inside a 64-wide swizzle atom,
            // jump to the next atom block every 4 steps.
            const int blk = kk >> 2, inner = (kk & 3) * 16;
            const uint64_t da = smemDesc(sQ + blk * BR * 64 + wgRow0 * 64 + inner, 16, 1024);
            const uint64_t db = smemDesc(kT + blk * BC * 64 + inner, 16, 1024);
            WgmmaOps<T>::template ss<BC>(s[0], da, db, kk > 0);
        }
        wgCommit();
        wgWait0();

        const int k0 = j * BC;
        const bool masked = k0 + BC > p.seqK || (CAUSAL && k0 + BC - 1 > q0 + wgRow0);
        if (masked) {
#pragma unroll
            for (int n = 0; n < BC / 8; ++n)
#pragma unroll
                for (int e = 0; e < 4; ++e) {
                    const int kIdx = k0 + n * 8 + 2 * t + (e & 1);
                    if (kIdx >= p.seqK || (CAUSAL && kIdx > rowA + (e >> 1) * 8))
                        s[0][n][e] = -CUDART_INF_F;
                }
        }
        softmaxStep<D, BC, 1>(st, s, p.scaleLog2);

        uint32_t pa[BC / 16][4];
#pragma unroll
        for (int kk = 0; kk < BC / 16; ++kk) {
            pa[kk][0] = Mma<T>::pack(s[0][2 * kk][0], s[0][2 * kk][1]);
            pa[kk][1] = Mma<T>::pack(s[0][2 * kk][2], s[0][2 * kk][3]);
            pa[kk][2] = Mma<T>::pack(s[0][2 * kk + 1][0], s[0][2 * kk + 1][1]);
            pa[kk][3] = Mma<T>::pack(s[0][2 * kk + 1][2], s[0][2 * kk + 1][3]);
        }
        wgFence();
#pragma unroll
        for (int kk = 0; kk < BC / 16; ++kk) {
            // N-major V: 16 keys = two 8-row groups of 128 B; LBO = next 64-wide column block.
            const uint64_t db = smemDesc(vT + kk * 16 * 64, BC * 128, 1024);
            WgmmaOps<T>::template rsTransB<D>(st.o[0], pa[kk], db, 1);
        }
        wgCommit();
        wgWait0();
        __syncthreads(); // the next iteration refills the stage just read
    }

#pragma unroll
    for (int half = 0; half < 2; ++half) {
        const int row = rowA + half * 8;
        const float l = quadSum(st.l[0][half]);
        const float inv = l > 0.f ? 1.f / l : 0.f;
        if (row < p.seqQ) {
            T *out = O + size_t(row) * D;
#pragma unroll
            for (int d = 0; d < D / 8; ++d)
                *reinterpret_cast<uint32_t *>(out + d * 8 + 2 * t) =
                    Mma<T>::pack(st.o[0][d][2 * half] * inv, st.o[0][d][2 * half + 1] * inv);
        }
    }
#endif
}

// v11: the S = Q K^T wgmma of tile j+1 is issued before the softmax of tile j, so the
// tensor cores work while the warpgroup does exponentials (FlashAttention-3's intra-warpgroup
// overlap); three K/V stages keep the loads one full tile ahead of that.
template <typename T, int D, int NWG, int BC, bool CAUSAL>
__global__ void __launch_bounds__(NWG * 128) flashFwdWgmmaPipelinedKernel(const WgParams p)
{
#ifdef PL_HAVE_WGMMA
    constexpr int BR = NWG * 64, THREADS = NWG * 128, STAGES = 3;
    extern __shared__ unsigned char smemRawWg[];
    T *sQ = reinterpret_cast<T *>((reinterpret_cast<uintptr_t>(smemRawWg) + 1023) & ~uintptr_t(1023));
    T *sK = sQ + BR * D;
    T *sV = sK + STAGES * BC * D;

    const int tid = threadIdx.x, lane = tid & 31, warp = tid >> 5, wg = warp >> 2;
    const int qTile = CAUSAL ? int(gridDim.x) - 1 - int(blockIdx.x) : int(blockIdx.x);
    const int bh = blockIdx.y;
    const int b = bh / p.qHeads, h = bh % p.qHeads;
    const int hk = h / (p.qHeads / p.kvHeads);
    const T *Q = static_cast<const T *>(p.q) + size_t(bh) * p.seqQ * D;
    const T *K = static_cast<const T *>(p.k) + (size_t(b) * p.kvHeads + hk) * p.seqK * D;
    const T *V = static_cast<const T *>(p.v) + (size_t(b) * p.kvHeads + hk) * p.seqK * D;
    T *O = static_cast<T *>(p.o) + size_t(bh) * p.seqQ * D;

    const int q0 = qTile * BR;
    const int keyEnd = CAUSAL ? min(p.seqK, q0 + BR) : p.seqK;
    const int tiles = (keyEnd + BC - 1) / BC;

    auto loadKV = [&](int tile) {
        if (tile < tiles) {
            const int stage = tile % STAGES;
            loadTile128<BC, D, THREADS>(sK + stage * BC * D, K, tile * BC, p.seqK, tid);
            loadTile128<BC, D, THREADS>(sV + stage * BC * D, V, tile * BC, p.seqK, tid);
        }
        cpAsyncCommit(); // one group per tile, empty past the end: keeps the wait counts fixed
    };
    loadTile128<BR, D, THREADS>(sQ, Q, q0, p.seqQ, tid);
    loadKV(0);
    loadKV(1);
    loadKV(2);

    const int wgRow0 = wg * 64;
    auto issueS = [&](float(&acc)[BC / 8][4], int tile) {
        const T *kT = sK + (tile % STAGES) * BC * D;
        wgFence();
#pragma unroll
        for (int kk = 0; kk < D / 16; ++kk) {
            const int blk = kk >> 2, inner = (kk & 3) * 16;
            const uint64_t da = smemDesc(sQ + blk * BR * 64 + wgRow0 * 64 + inner, 16, 1024);
            const uint64_t db = smemDesc(kT + blk * BC * 64 + inner, 16, 1024);
            WgmmaOps<T>::template ss<BC>(acc, da, db, kk > 0);
        }
        wgCommit();
    };

    AttnState<D, 1> st;
    st.init();
    const int g = lane >> 2, t = lane & 3;
    const int rowA = q0 + wgRow0 + (warp & 3) * 16 + g;

    float sCur[1][BC / 8][4], sNext[1][BC / 8][4];
    cpAsyncWait<STAGES - 1>();
    fenceProxyAsync();
    __syncthreads();
    issueS(sCur[0], 0);
    wgWait0();

    for (int j = 0; j < tiles; ++j) {
        if (j + 1 < tiles) {
            cpAsyncWait<STAGES - 2>();
            fenceProxyAsync();
            __syncthreads();
            issueS(sNext[0], j + 1); // runs on the tensor cores during this tile's softmax
        }
        const int k0 = j * BC;
        if (k0 + BC > p.seqK || (CAUSAL && k0 + BC - 1 > q0 + wgRow0)) {
#pragma unroll
            for (int n = 0; n < BC / 8; ++n)
#pragma unroll
                for (int e = 0; e < 4; ++e) {
                    const int kIdx = k0 + n * 8 + 2 * t + (e & 1);
                    if (kIdx >= p.seqK || (CAUSAL && kIdx > rowA + (e >> 1) * 8))
                        sCur[0][n][e] = -CUDART_INF_F;
                }
        }
        softmaxStep<D, BC, 1>(st, sCur, p.scaleLog2);

        uint32_t pa[BC / 16][4];
#pragma unroll
        for (int kk = 0; kk < BC / 16; ++kk) {
            pa[kk][0] = Mma<T>::pack(sCur[0][2 * kk][0], sCur[0][2 * kk][1]);
            pa[kk][1] = Mma<T>::pack(sCur[0][2 * kk][2], sCur[0][2 * kk][3]);
            pa[kk][2] = Mma<T>::pack(sCur[0][2 * kk + 1][0], sCur[0][2 * kk + 1][1]);
            pa[kk][3] = Mma<T>::pack(sCur[0][2 * kk + 1][2], sCur[0][2 * kk + 1][3]);
        }
        const T *vT = sV + (j % STAGES) * BC * D;
        wgFence();
#pragma unroll
        for (int kk = 0; kk < BC / 16; ++kk)
            WgmmaOps<T>::template rsTransB<D>(st.o[0], pa[kk], smemDesc(vT + kk * 16 * 64, BC * 128, 1024), 1);
        wgCommit();
        wgWait0();
        __syncthreads(); // every warpgroup is done with stage j % STAGES
        loadKV(j + STAGES);
#pragma unroll
        for (int n = 0; n < BC / 8; ++n)
#pragma unroll
            for (int e = 0; e < 4; ++e)
                sCur[0][n][e] = sNext[0][n][e];
    }

#pragma unroll
    for (int half = 0; half < 2; ++half) {
        const int row = rowA + half * 8;
        const float l = quadSum(st.l[0][half]);
        const float inv = l > 0.f ? 1.f / l : 0.f;
        if (row < p.seqQ) {
            T *out = O + size_t(row) * D;
#pragma unroll
            for (int d = 0; d < D / 8; ++d)
                *reinterpret_cast<uint32_t *>(out + d * 8 + 2 * t) =
                    Mma<T>::pack(st.o[0][d][2 * half] * inv, st.o[0][d][2 * half + 1] * inv);
        }
    }
#endif
}

__global__ void wgmmaProbeKernel(int *out)
{
#ifdef PL_HAVE_WGMMA
    *out = 1;
#else
    *out = 0;
#endif
}

template <typename T, int D, int NWG, bool CAUSAL>
cudaError_t launchWg(const WgParams &p, int batch, bool pipelined, cudaStream_t stream)
{
    constexpr int BC = 64;
    const int smem = pipelined ? wgSmemBytes<D, NWG, BC, 3>() : wgSmemBytes<D, NWG, BC, 2>();
    auto kernel =
        pipelined ? flashFwdWgmmaPipelinedKernel<T, D, NWG, BC, CAUSAL> : flashFwdWgmmaKernel<T, D, NWG, BC, CAUSAL>;
    cudaError_t e = cudaFuncSetAttribute(kernel, cudaFuncAttributeMaxDynamicSharedMemorySize, smem);
    if (e != cudaSuccess)
        return e;
    dim3 grid((p.seqQ + NWG * 64 - 1) / (NWG * 64), batch * p.qHeads);
    kernel<<<grid, NWG * 128, smem, stream>>>(p);
    return cudaGetLastError();
}

template <typename T, int D>
cudaError_t launchWgCausal(const WgParams &p, int batch, int warpgroups, bool pipelined, bool causal, cudaStream_t s)
{
    if (warpgroups == 3)
        return causal ? launchWg<T, D, 3, true>(p, batch, pipelined, s)
                      : launchWg<T, D, 3, false>(p, batch, pipelined, s);
    return causal ? launchWg<T, D, 2, true>(p, batch, pipelined, s) : launchWg<T, D, 2, false>(p, batch, pipelined, s);
}

} // namespace

// Whether the loaded device code has the sm_90a (wgmma) path: the driver may pick the
// plain sm_90 image, whose kernel bodies are empty.
bool wgmmaAvailable()
{
    static const bool ok = [] {
        int *d = nullptr;
        int h = 0;
        if (cudaMalloc(&d, sizeof(int)) != cudaSuccess)
            return false;
        wgmmaProbeKernel<<<1, 1>>>(d);
        bool good = cudaMemcpy(&h, d, sizeof(int), cudaMemcpyDeviceToHost) == cudaSuccess && h == 1;
        cudaFree(d);
        cudaGetLastError();
        return good;
    }();
    return ok;
}

cudaError_t launchFlashAttentionWgmma(const AttentionShape &s, DType dtype, const void *q, const void *k, const void *v,
                                      void *o, int warpgroups, bool pipelined, cudaStream_t stream)
{
    WgParams p{q, k, v, o, s.seqQ, s.seqK, s.qHeads, s.kvHeads, float(s.softmaxScale() * 1.4426950408889634)};
    const bool bf = dtype == DType::BF16;
    if (s.headDim == 64)
        return bf ? launchWgCausal<__nv_bfloat16, 64>(p, s.batch, warpgroups, pipelined, s.causal, stream)
                  : launchWgCausal<__half, 64>(p, s.batch, warpgroups, pipelined, s.causal, stream);
    if (s.headDim == 128)
        return bf ? launchWgCausal<__nv_bfloat16, 128>(p, s.batch, warpgroups, pipelined, s.causal, stream)
                  : launchWgCausal<__half, 128>(p, s.batch, warpgroups, pipelined, s.causal, stream);
    return cudaErrorInvalidValue;
}

} // namespace paperlab::kernels::cuda
