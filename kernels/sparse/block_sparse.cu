// Block-sparse attention on the GPU.
//
// Selection (timed as select_ms):
//   MoBA: mean-pool Q and K per block (one thread per channel), then one block per (head,
//         query block) scores the candidate key blocks, sorts them (bitonic, in shared
//         memory, higher score first, lower index on ties) and keeps the top ones.
//   XAttention: per head, the strided query matrix (each S rows reversed and concatenated)
//         times the strided key matrix (S consecutive rows are already contiguous) on cuBLAS
//         (fp16 in, fp32 out), then one block per (head, query block) takes the softmax of
//         each strided row, sums it per key block, sorts and keeps blocks until the threshold.
// Attention (attn_ms): FlashAttention forward, 64 query rows per block (4 warps x 16), fp16
// mma.sync for QK^T and PV (cuda/softmax_pv_tile.cuh), visiting only kept 64-key tiles.
// Version 1: synchronous loads, V transposed in shared memory; version 2 (default): cp.async
// double buffering over the kept tiles, V through ldmatrix.trans.
#include "cuda/gpu_job.cuh"
#include "cuda/softmax_pv_tile.cuh"
#include "sparse/block_selection.cuh"
#include "sparse/block_sparse_cuda.h"

#include <algorithm>
#include <cublas_v2.h>

namespace paperlab::kernels::cuda {

namespace {

constexpr int kThreads = 128;
constexpr int kTileRows = 64;
constexpr int kSelThreads = 256;

int pow2AtLeast(int n)
{
    int p = 1;
    while (p < n)
        p <<= 1;
    return p;
}

__device__ __forceinline__ bool rankBeforeDev(float a, int ia, float b, int ib)
{
    return a > b || (a == b && ia < ib);
}

// Sorts n (a power of two) (key, idx) pairs in shared memory into rank order.
__device__ void bitonicRank(float *key, int *idx, int n)
{
    for (int size = 2; size <= n; size <<= 1) {
        for (int stride = size >> 1; stride > 0; stride >>= 1) {
            for (int i = threadIdx.x; i < n; i += blockDim.x) {
                const int j = i ^ stride;
                if (j > i) {
                    const bool up = (i & size) == 0; // this run in rank order, else reversed
                    const bool iFirst = rankBeforeDev(key[i], idx[i], key[j], idx[j]);
                    if (up != iFirst) {
                        const float tk = key[i];
                        key[i] = key[j];
                        key[j] = tk;
                        const int ti = idx[i];
                        idx[i] = idx[j];
                        idx[j] = ti;
                    }
                }
            }
            __syncthreads();
        }
    }
}

// grid (blocks, heads), D threads: mean of rows [blk*B, blk*B + B) of head h.
__global__ void poolKernel(const __half *x, float *out, int seq, int D, int B)
{
    const int blk = blockIdx.x, h = blockIdx.y, c = threadIdx.x;
    const __half *base = x + (size_t(h) * seq + size_t(blk) * B) * D;
    float s = 0.f;
    for (int r = 0; r < B; ++r)
        s += __half2float(base[size_t(r) * D + c]);
    out[(size_t(h) * gridDim.x + blk) * D + c] = s / float(B);
}

struct SelParams {
    const float *qMean;  // MoBA [bh][qBlocks][D]
    const float *kMean;  // MoBA [b*kvHeads][kBlocks][D]
    const float *scores; // XAttention, one head: [nsq][nsk] (log2 domain)
    uint8_t *mask;       // [bh][qBlocks][kBlocks]
    int qHeads, kvHeads, qBlocks, kBlocks, D, causal, topK, per, nsq, nsk, head;
    float threshold;
};

// Shared layout for the selection kernels: key[P], idx[P], extra[P] floats.
__global__ void mobaSelectKernel(const SelParams p, int P)
{
    extern __shared__ float smem[];
    float *key = smem;
    int *idx = reinterpret_cast<int *>(key + P);
    float *qm = reinterpret_cast<float *>(idx + P);
    const int i = blockIdx.x, bh = blockIdx.y;
    const int b = bh / p.qHeads, h = bh % p.qHeads, hk = h / (p.qHeads / p.kvHeads);
    for (int c = threadIdx.x; c < p.D; c += blockDim.x)
        qm[c] = p.qMean[(size_t(bh) * p.qBlocks + i) * p.D + c];
    __syncthreads();
    const float *km = p.kMean + size_t(b * p.kvHeads + hk) * p.kBlocks * p.D;
    // one warp per key block, lanes over channels (coalesced), then a shuffle reduction
    const int lane = threadIdx.x & 31, warp = threadIdx.x >> 5, warps = blockDim.x >> 5;
    for (int j = warp; j < P; j += warps) {
        float v = -CUDART_INF_F;
        if (j < p.kBlocks && (!p.causal || j < i)) {
            float dot = 0.f;
            for (int c = lane; c < p.D; c += 32)
                dot += qm[c] * km[size_t(j) * p.D + c];
#pragma unroll
            for (int o = 16; o > 0; o >>= 1)
                dot += __shfl_xor_sync(0xffffffffu, dot, o);
            v = dot;
        }
        if (lane == 0) {
            key[j] = v;
            idx[j] = j;
        }
    }
    __syncthreads();
    bitonicRank(key, idx, P);
    uint8_t *row = p.mask + (size_t(bh) * p.qBlocks + i) * p.kBlocks;
    for (int j = threadIdx.x; j < p.kBlocks; j += blockDim.x)
        row[j] = 0;
    __syncthreads();
    const int candidates = p.causal ? min(i, p.kBlocks) : p.kBlocks;
    const int take = min(candidates, p.causal ? p.topK - 1 : p.topK);
    for (int e = threadIdx.x; e < take; e += blockDim.x)
        row[idx[e]] = 1;
    if (p.causal && threadIdx.x == 0 && i < p.kBlocks)
        row[i] = 1;
}

// One head (p.head); grid = query blocks.
__global__ void xattnSelectKernel(const SelParams p, int P)
{
    extern __shared__ float smem[];
    float *key = smem;
    int *idx = reinterpret_cast<int *>(key + P);
    float *blockSum = reinterpret_cast<float *>(idx + P);
    __shared__ float redM[kSelThreads / 32], redS[kSelThreads / 32];
    const int i = blockIdx.x, tid = threadIdx.x, lane = tid & 31, warp = tid >> 5;
    for (int j = tid; j < P; j += blockDim.x)
        blockSum[j] = 0.f;
    __syncthreads();
    for (int a = i * p.per; a < min(p.nsq, (i + 1) * p.per); ++a) {
        const float *row = p.scores + size_t(a) * p.nsk;
        const int nb = p.causal ? min(a + 1, p.nsk) : p.nsk;
        float m = -CUDART_INF_F, s = 0.f;
        for (int bb = tid; bb < nb; bb += blockDim.x) {
            const float x = row[bb];
            const float mNew = fmaxf(m, x);
            s = s * exp2f(m - mNew) + exp2f(x - mNew);
            m = mNew;
        }
#pragma unroll
        for (int o = 16; o > 0; o >>= 1) {
            const float m2 = __shfl_xor_sync(0xffffffffu, m, o), s2 = __shfl_xor_sync(0xffffffffu, s, o);
            const float mNew = fmaxf(m, m2);
            s = (m == -CUDART_INF_F ? 0.f : s * exp2f(m - mNew)) + (m2 == -CUDART_INF_F ? 0.f : s2 * exp2f(m2 - mNew));
            m = mNew;
        }
        if (lane == 0) {
            redM[warp] = m;
            redS[warp] = s;
        }
        __syncthreads();
        float M = -CUDART_INF_F, S = 0.f;
        for (int w = 0; w < kSelThreads / 32; ++w)
            M = fmaxf(M, redM[w]);
        for (int w = 0; w < kSelThreads / 32; ++w)
            S += redM[w] == -CUDART_INF_F ? 0.f : redS[w] * exp2f(redM[w] - M);
        __syncthreads();
        const float inv = 1.f / S;
        for (int bb = tid; bb < nb; bb += blockDim.x)
            atomicAdd(&blockSum[bb / p.per], exp2f(row[bb] - M) * inv);
    }
    __syncthreads();
    for (int j = tid; j < P; j += blockDim.x) {
        const bool candidate = j < p.kBlocks && (!p.causal || j <= i);
        key[j] = candidate ? blockSum[j] : -CUDART_INF_F;
        idx[j] = j;
    }
    __syncthreads();
    // total over candidates (blockSum is free again after this)
    if (tid == 0) {
        float total = 0.f;
        for (int j = 0; j < p.kBlocks; ++j)
            total += key[j] == -CUDART_INF_F ? 0.f : key[j];
        blockSum[0] = total;
    }
    __syncthreads();
    const float total = blockSum[0];
    __syncthreads();
    bitonicRank(key, idx, P);
    uint8_t *out = p.mask + (size_t(p.head) * p.qBlocks + i) * p.kBlocks;
    for (int j = tid; j < p.kBlocks; j += blockDim.x)
        out[j] = 0;
    __syncthreads();
    if (tid == 0) {
        const int candidates = p.causal ? min(i + 1, p.kBlocks) : p.kBlocks;
        float cum = 0.f;
        for (int e = 0; e < candidates; ++e) {
            if (cum >= p.threshold * total)
                break;
            out[idx[e]] = 1;
            cum += key[e];
        }
        if (p.causal && i < p.kBlocks)
            out[i] = 1;
    }
}

// Qr[bh][a][t*D + c] = Q[bh][a*S + S-1-t][c]; 8 halves per thread.
__global__ void strideQueryKernel(const __half *q, __half *qr, int seq, int D, int S, long long total8)
{
    const long long i8 = blockIdx.x * (long long)blockDim.x + threadIdx.x;
    if (i8 >= total8)
        return;
    const long long e = i8 * 8;
    const int c = int(e % D);
    const long long rowOut = e / D; // (bh, a, t) flattened: row index in [bh][seq] of Qr viewed as [seq][D]
    const int t = int(rowOut % S);
    const long long aRow = rowOut / S; // bh * (seq/S) + a
    const int a = int(aRow % (seq / S));
    const long long bh = aRow / (seq / S);
    const __half *src = q + (size_t(bh) * seq + size_t(a) * S + (S - 1 - t)) * D + c;
    *reinterpret_cast<uint4 *>(qr + e) = *reinterpret_cast<const uint4 *>(src);
}

struct SparseParams {
    const __half *q;
    const __half *k;
    const __half *v;
    __half *o;
    const uint8_t *mask;
    int seq, qHeads, kvHeads, qBlocks, kBlocks, blockSize, causal;
    float scaleLog2;
};

template <int D>
__global__ void __launch_bounds__(kThreads) blockSparseAttnKernel(const SparseParams p)
{
    constexpr int KST = D + 8; // halves per shared K row
    __shared__ __align__(16) __half sK[pvtile::kKeys * KST];
    __shared__ __align__(16) __half sVt[D * pvtile::kVtStride];
    const int tid = threadIdx.x, warp = tid >> 5, lane = tid & 31, g = lane >> 2, t = lane & 3;
    const int qt = p.causal ? int(gridDim.x) - 1 - int(blockIdx.x) : int(blockIdx.x);
    const int h = blockIdx.y, b = blockIdx.z, hk = h / (p.qHeads / p.kvHeads);
    const size_t qbh = size_t(b) * p.qHeads + h, kbh = size_t(b) * p.kvHeads + hk;
    const __half *Q = p.q + qbh * p.seq * D;
    const __half *K = p.k + kbh * p.seq * D;
    const __half *V = p.v + kbh * p.seq * D;
    const uint8_t *mrow = p.mask + (qbh * p.qBlocks + (qt * kTileRows) / p.blockSize) * p.kBlocks;
    const int row0 = qt * kTileRows + warp * 16, rowA = row0 + g, rowB = rowA + 8;

    auto ldq = [&](int row, int col) -> uint32_t {
        return row < p.seq ? *reinterpret_cast<const uint32_t *>(Q + size_t(row) * D + col) : 0u;
    };
    uint32_t qf[D / 16][4];
#pragma unroll
    for (int kk = 0; kk < D / 16; ++kk) {
        qf[kk][0] = ldq(rowA, kk * 16 + 2 * t);
        qf[kk][1] = ldq(rowB, kk * 16 + 2 * t);
        qf[kk][2] = ldq(rowA, kk * 16 + 8 + 2 * t);
        qf[kk][3] = ldq(rowB, kk * 16 + 8 + 2 * t);
    }
    pvtile::PvState<D> st;
    st.init();
    const int tiles = (p.seq + pvtile::kKeys - 1) / pvtile::kKeys;
    const int lastTile = p.causal ? min(qt, tiles - 1) : tiles - 1;
    for (int kt = 0; kt <= lastTile; ++kt) {
        if (!mrow[(kt * pvtile::kKeys) / p.blockSize])
            continue; // the same decision for the whole block
        const int k0 = kt * pvtile::kKeys;
        __syncthreads();
        for (int i = tid; i < pvtile::kKeys * (D / 8); i += kThreads) {
            const int r = i / (D / 8), c = i % (D / 8);
            uint4 val = make_uint4(0, 0, 0, 0);
            if (k0 + r < p.seq)
                val = *reinterpret_cast<const uint4 *>(K + size_t(k0 + r) * D + c * 8);
            *reinterpret_cast<uint4 *>(sK + r * KST + c * 8) = val;
        }
        pvtile::loadVTransposed<D, kThreads>(sVt, V, k0, p.seq, tid);
        __syncthreads();
        float s[pvtile::kKeys / 8][4];
#pragma unroll
        for (int nt = 0; nt < pvtile::kKeys / 8; ++nt) {
            float acc[4] = {0.f, 0.f, 0.f, 0.f};
#pragma unroll
            for (int kk = 0; kk < D / 16; ++kk) {
                const __half *kr = sK + (nt * 8 + g) * KST + kk * 16 + 2 * t;
                Mma<__half>::run(acc, qf[kk], *reinterpret_cast<const uint32_t *>(kr),
                                 *reinterpret_cast<const uint32_t *>(kr + 8));
            }
#pragma unroll
            for (int e = 0; e < 4; ++e) {
                const int key = k0 + nt * 8 + 2 * t + (e & 1);
                const int row = e < 2 ? rowA : rowB;
                const bool ok = key < p.seq && (!p.causal || key <= row);
                s[nt][e] = ok ? acc[e] * p.scaleLog2 : -CUDART_INF_F;
            }
        }
        pvtile::softmaxPvStep<D>(st, s, sVt, lane);
    }
    pvtile::storeRows<D>(st, p.o + qbh * p.seq * D, row0, p.seq, lane);
}

// Version 2 (default): the kept K/V tiles double-buffered with cp.async (the next kept tile
// loads while this one computes), PV through ldmatrix.trans on row-major V.
template <int D>
constexpr int sparseV2Smem()
{
    return 4 * pvtile::kKeys * pvtile::kVRowStride<D> * 2;
}

template <int D>
__global__ void __launch_bounds__(kThreads) blockSparseAttnKernelV2(const SparseParams p)
{
    constexpr int KST = pvtile::kVRowStride<D>; // D + 8 halves for K rows too
    constexpr int TILE = pvtile::kKeys * KST;
    extern __shared__ __align__(128) unsigned char smemSparse[];
    __half *sK = reinterpret_cast<__half *>(smemSparse);
    __half *sV = sK + 2 * TILE;
    const int tid = threadIdx.x, warp = tid >> 5, lane = tid & 31, g = lane >> 2, t = lane & 3;
    const int qt = p.causal ? int(gridDim.x) - 1 - int(blockIdx.x) : int(blockIdx.x);
    const int h = blockIdx.y, b = blockIdx.z, hk = h / (p.qHeads / p.kvHeads);
    const size_t qbh = size_t(b) * p.qHeads + h, kbh = size_t(b) * p.kvHeads + hk;
    const __half *Q = p.q + qbh * p.seq * D;
    const __half *K = p.k + kbh * p.seq * D;
    const __half *V = p.v + kbh * p.seq * D;
    const uint8_t *mrow = p.mask + (qbh * p.qBlocks + (qt * kTileRows) / p.blockSize) * p.kBlocks;
    const int row0 = qt * kTileRows + warp * 16, rowA = row0 + g, rowB = rowA + 8;
    const int tiles = (p.seq + pvtile::kKeys - 1) / pvtile::kKeys;
    const int lastTile = p.causal ? min(qt, tiles - 1) : tiles - 1;
    auto nextKept = [&](int from) {
        for (int kt = from; kt <= lastTile; ++kt)
            if (mrow[(kt * pvtile::kKeys) / p.blockSize])
                return kt;
        return -1;
    };
    auto issue = [&](int tile, int stage) {
        pvtile::loadRowsAsync<D * 2, KST * 2, kThreads>(sK + stage * TILE, K, tile * pvtile::kKeys, p.seq, tid);
        pvtile::loadRowsAsync<D * 2, KST * 2, kThreads>(sV + stage * TILE, V, tile * pvtile::kKeys, p.seq, tid);
    };
    int cur = nextKept(0);
    if (cur >= 0)
        issue(cur, 0);
    cpAsyncCommit();

    auto ldq = [&](int row, int col) -> uint32_t {
        return row < p.seq ? *reinterpret_cast<const uint32_t *>(Q + size_t(row) * D + col) : 0u;
    };
    uint32_t qf[D / 16][4];
#pragma unroll
    for (int kk = 0; kk < D / 16; ++kk) {
        qf[kk][0] = ldq(rowA, kk * 16 + 2 * t);
        qf[kk][1] = ldq(rowB, kk * 16 + 2 * t);
        qf[kk][2] = ldq(rowA, kk * 16 + 8 + 2 * t);
        qf[kk][3] = ldq(rowB, kk * 16 + 8 + 2 * t);
    }
    pvtile::PvState<D> st;
    st.init();
    for (int it = 0; cur >= 0; ++it) {
        const int nxt = nextKept(cur + 1);
        if (nxt >= 0)
            issue(nxt, (it + 1) & 1);
        cpAsyncCommit();
        cpAsyncWait<1>();
        __syncthreads();
        const int k0 = cur * pvtile::kKeys;
        const __half *cK = sK + (it & 1) * TILE;
        float s[pvtile::kKeys / 8][4];
#pragma unroll
        for (int nt = 0; nt < pvtile::kKeys / 8; ++nt) {
            float acc[4] = {0.f, 0.f, 0.f, 0.f};
#pragma unroll
            for (int kk = 0; kk < D / 16; ++kk) {
                const __half *kr = cK + (nt * 8 + g) * KST + kk * 16 + 2 * t;
                Mma<__half>::run(acc, qf[kk], *reinterpret_cast<const uint32_t *>(kr),
                                 *reinterpret_cast<const uint32_t *>(kr + 8));
            }
#pragma unroll
            for (int e = 0; e < 4; ++e) {
                const int key = k0 + nt * 8 + 2 * t + (e & 1);
                const int row = e < 2 ? rowA : rowB;
                const bool ok = key < p.seq && (!p.causal || key <= row);
                s[nt][e] = ok ? acc[e] * p.scaleLog2 : -CUDART_INF_F;
            }
        }
        pvtile::softmaxPvStepRowMajorV<D>(st, s, sV + (it & 1) * TILE, lane);
        __syncthreads();
        cur = nxt;
    }
    cpAsyncWait<0>();
    pvtile::storeRows<D>(st, p.o + qbh * p.seq * D, row0, p.seq, lane);
}

} // namespace

// PL_CUDA_TRY for a function returning only the error.
#define PL_SELECTION_TRY(expr)                                                                                         \
    do {                                                                                                               \
        if (cudaError_t e_ = (expr); e_ != cudaSuccess)                                                                \
            return cudaFailure(e_, #expr);                                                                             \
    } while (0)

GpuBlockSelection::~GpuBlockSelection()
{
    if (blas_)
        cublasDestroy(blas_);
}

std::optional<RunError> GpuBlockSelection::setUp(const AttentionShape &s, const SparseConfig &c, const __half *q,
                                                 const __half *k)
{
    s_ = s;
    c_ = c;
    q_ = q;
    k_ = k;
    const int D = s.headDim, n = s.seqQ;
    const int heads = s.batch * s.qHeads, kvh = s.batch * s.kvHeads;
    qBlocks_ = n / c.blockSize;
    kBlocks_ = n / c.blockSize;
    P_ = pow2AtLeast(kBlocks_);
    PL_SELECTION_TRY(mask_.alloc(size_t(heads) * qBlocks_ * kBlocks_));
    if (c.selector == BlockSelector::Moba) {
        PL_SELECTION_TRY(qMean_.alloc(size_t(heads) * qBlocks_ * D * 4));
        PL_SELECTION_TRY(kMean_.alloc(size_t(kvh) * kBlocks_ * D * 4));
    } else if (c.selector == BlockSelector::XAttention) {
        const int nsq = n / c.stride;
        PL_SELECTION_TRY(qr_.alloc(s.qElements() * 2));
        PL_SELECTION_TRY(scores_.alloc(size_t(nsq) * nsq * 4));
        if (cublasCreate(&blas_) != CUBLAS_STATUS_SUCCESS) {
            blas_ = nullptr;
            return RunError{ErrorCode::CudaError, "", "cublasCreate failed"};
        }
    } else {
        std::vector<uint8_t> dense(size_t(heads) * qBlocks_ * kBlocks_);
        for (size_t e = 0; e < dense.size(); ++e) {
            const int i = int((e / kBlocks_) % qBlocks_), j = int(e % kBlocks_);
            dense[e] = !s.causal || j <= i;
        }
        PL_SELECTION_TRY(cudaMemcpy(mask_.get(), dense.data(), dense.size(), cudaMemcpyHostToDevice));
    }
    smem_ = size_t(P_) * 12 + size_t(std::max(D, P_)) * 4;
    cudaFuncSetAttribute(mobaSelectKernel, cudaFuncAttributeMaxDynamicSharedMemorySize, int(smem_));
    cudaFuncSetAttribute(xattnSelectKernel, cudaFuncAttributeMaxDynamicSharedMemorySize, int(smem_));
    return std::nullopt;
}

cudaError_t GpuBlockSelection::copyMaskTo(BlockMask &out) const
{
    out.heads = s_.batch * s_.qHeads;
    out.qBlocks = qBlocks_;
    out.kBlocks = kBlocks_;
    out.blockSize = c_.blockSize;
    out.keep.resize(mask_.bytes());
    return cudaMemcpy(out.keep.data(), mask_.get(), out.keep.size(), cudaMemcpyDeviceToHost);
}

void GpuBlockSelection::launch()
{
    const AttentionShape &s = s_;
    const SparseConfig &c = c_;
    const int D = s.headDim, B = c.blockSize, n = s.seqQ;
    const int heads = s.batch * s.qHeads, kvh = s.batch * s.kvHeads, nsq = n / c.stride;
    const float scaleLog2 = float(s.softmaxScale() * 1.4426950408889634);
    SelParams sp{qMean_.get<float>(),
                 kMean_.get<float>(),
                 scores_.get<float>(),
                 mask(),
                 s.qHeads,
                 s.kvHeads,
                 qBlocks_,
                 kBlocks_,
                 D,
                 s.causal ? 1 : 0,
                 c.topK,
                 B / c.stride,
                 nsq,
                 nsq,
                 0,
                 float(c.threshold)};
    if (c.selector == BlockSelector::Moba) {
        poolKernel<<<dim3(qBlocks_, heads), D>>>(q_, qMean_.get<float>(), n, D, B);
        poolKernel<<<dim3(kBlocks_, kvh), D>>>(k_, kMean_.get<float>(), n, D, B);
        mobaSelectKernel<<<dim3(qBlocks_, heads), kSelThreads, smem_>>>(sp, P_);
    } else if (c.selector == BlockSelector::XAttention) {
        const long long total8 = (long long)s.qElements() / 8;
        strideQueryKernel<<<int((total8 + 255) / 256), 256>>>(q_, qr_.get<__half>(), n, D, c.stride, total8);
        const float alpha = scaleLog2 / float(c.stride), beta = 0.f;
        const int kdim = c.stride * D;
        for (int bh = 0; bh < heads; ++bh) {
            const int b = bh / s.qHeads, hk = (bh % s.qHeads) / (s.qHeads / s.kvHeads);
            const __half *kr = k_ + (size_t(b) * s.kvHeads + hk) * n * D;
            const __half *qrh = qr_.get<__half>() + size_t(bh) * n * D;
            if (cublasGemmEx(blas_, CUBLAS_OP_T, CUBLAS_OP_N, nsq, nsq, kdim, &alpha, kr, CUDA_R_16F, kdim, qrh,
                             CUDA_R_16F, kdim, &beta, scores_.get<float>(), CUDA_R_32F, nsq, CUBLAS_COMPUTE_32F,
                             CUBLAS_GEMM_DEFAULT) != CUBLAS_STATUS_SUCCESS)
                blasOk_ = false;
            SelParams hp = sp;
            hp.head = bh;
            xattnSelectKernel<<<qBlocks_, kSelThreads, smem_>>>(hp, P_);
        }
    }
}

GpuSparseResult runBlockSparseGpu(const GpuSparseJob &job)
{
    GpuSparseResult result;
    const AttentionShape &s = job.shape;
    const SparseConfig &c = job.config;
    PL_CUDA_TRY(cudaSetDevice(job.device));
    const int D = s.headDim, B = c.blockSize, n = s.seqQ;
    if (job.inputs.dtype != DType::F16 || (D != 64 && D != 128) || s.seqQ != s.seqK || n % B != 0 || B % 64 != 0 ||
        B % c.stride != 0) {
        result.error =
            RunError{ErrorCode::BadParameter, "seq_len", "fp16, head dim 64/128, seq a multiple of block_size"};
        return result;
    }
    const int qBlocks = n / B, kBlocks = n / B;
    const size_t qn = s.qElements();
    AttentionBuffers buf;
    GpuBlockSelection selection;
    if ((result.error = setUpSparseRun(job, buf, selection)))
        return result;
    PL_CUDA_TRY(cudaFuncSetAttribute(blockSparseAttnKernelV2<64>, cudaFuncAttributeMaxDynamicSharedMemorySize,
                                     sparseV2Smem<64>()));
    PL_CUDA_TRY(cudaFuncSetAttribute(blockSparseAttnKernelV2<128>, cudaFuncAttributeMaxDynamicSharedMemorySize,
                                     sparseV2Smem<128>()));

    const float scaleLog2 = float(s.softmaxScale() * 1.4426950408889634);
    const SparseParams ap{buf.q.get<__half>(),
                          buf.k.get<__half>(),
                          buf.v.get<__half>(),
                          buf.o.get<__half>(),
                          selection.mask(),
                          n,
                          s.qHeads,
                          s.kvHeads,
                          qBlocks,
                          kBlocks,
                          B,
                          s.causal ? 1 : 0,
                          scaleLog2};
    const dim3 grid(n / kTileRows, s.qHeads, s.batch);
    auto attend = [&] {
        if (job.version == 1) {
            if (D == 64)
                blockSparseAttnKernel<64><<<grid, kThreads>>>(ap);
            else
                blockSparseAttnKernel<128><<<grid, kThreads>>>(ap);
        } else if (D == 64) {
            blockSparseAttnKernelV2<64><<<grid, kThreads, sparseV2Smem<64>()>>>(ap);
        } else {
            blockSparseAttnKernelV2<128><<<grid, kThreads, sparseV2Smem<128>()>>>(ap);
        }
    };
    timeSelectThenAttend(
        job, buf.o, buf.flush, result, [&] { selection.launch(); }, attend, [&] { return selection.launchFailure(); });
    if (!result.error) {
        result.output.resize(qn);
        PL_CUDA_TRY(cudaMemcpy(result.output.data(), buf.o.get(), qn * 2, cudaMemcpyDeviceToHost));
        PL_CUDA_TRY(selection.copyMaskTo(result.mask));
    }
    return result;
}

} // namespace paperlab::kernels::cuda
