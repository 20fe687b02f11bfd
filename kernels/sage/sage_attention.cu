// SageAttention on the GPU: K mean over tokens, INT8 quantization of Q (softmax scale and
// log2(e) folded in) and smoothed K, one scale per 64-row block or per token; then a fused
// kernel per 64 query rows (4 warps x 16 rows): QK^T on mma.sync m16n8k32 s8 with INT32
// accumulation, dequantized by qScale * kScale, online softmax in fp32, PV on fp16
// mma.sync m16n8k16 (see cuda/softmax_pv_tile.cuh). Version 1 loads synchronously and keeps V
// transposed in shared memory (correct first); version 2 (the default) double-buffers with
// cp.async and reads V through ldmatrix.trans.
//
// m16n8k32 s8 fragments (g = lane / 4, t = lane % 4): A a0 = row g, cols 4t..4t+3 (4 bytes
// in one register), a1 = row g+8, a2 = row g cols 16+4t.., a3 = row g+8 cols 16+4t..;
// B b0 = k 4t..4t+3 of column n = g, b1 = k 16+4t..; C as m16n8 f32 but int32.
#include "cuda/gpu_job.cuh"
#include "cuda/softmax_pv_tile.cuh"
#include "sage/sage_cuda.h"

namespace paperlab::kernels::cuda {

namespace {

constexpr int kThreads = 128; // 4 warps x 16 query rows
constexpr int kTileRows = 64;

__device__ __forceinline__ void mmaS8(int (&c)[4], const uint32_t (&a)[4], uint32_t b0, uint32_t b1)
{
    asm volatile(
        "mma.sync.aligned.m16n8k32.row.col.s32.s8.s8.s32 {%0,%1,%2,%3}, {%4,%5,%6,%7}, {%8,%9}, {%0,%1,%2,%3};\n"
        : "+r"(c[0]), "+r"(c[1]), "+r"(c[2]), "+r"(c[3])
        : "r"(a[0]), "r"(a[1]), "r"(a[2]), "r"(a[3]), "r"(b0), "r"(b1));
}

// grid: one block per (b, kv head); mean[bh][c] over seqK tokens.
__global__ void kMeanKernel(const __half *k, float *mean, int seqK, int D)
{
    __shared__ float red[256];
    const int tid = threadIdx.x, parts = blockDim.x / D, c = tid % D, part = tid / D;
    const __half *K = k + size_t(blockIdx.x) * seqK * D;
    float acc = 0.f;
    if (part < parts)
        for (int j = part; j < seqK; j += parts)
            acc += __half2float(K[size_t(j) * D + c]);
    red[tid] = acc;
    __syncthreads();
    if (tid < D) {
        float s = 0.f;
        for (int q = 0; q < parts; ++q)
            s += red[q * D + tid];
        mean[size_t(blockIdx.x) * D + tid] = s / float(seqK);
    }
}

__device__ __forceinline__ float blockMax(float v, float *red)
{
#pragma unroll
    for (int o = 16; o > 0; o >>= 1)
        v = fmaxf(v, __shfl_xor_sync(0xffffffffu, v, o));
    const int warp = threadIdx.x >> 5, lane = threadIdx.x & 31;
    if (lane == 0)
        red[warp] = v;
    __syncthreads();
    float r = 0.f;
    for (int w = 0; w < int(blockDim.x >> 5); ++w)
        r = fmaxf(r, red[w]);
    __syncthreads();
    return r;
}

// One block per quantization group (groupRows rows of one head): x' = (x - mean) * mul,
// delta = max|x'| / 127, code = rn(x' / delta). 8 elements per thread step (D % 8 == 0).
__global__ void quantInt8Kernel(const __half *x, const float *mean, float mul, int8_t *out, float *scales, int seq,
                                int D, int groupRows, int groupsPerSeq)
{
    __shared__ float red[32];
    const int bh = blockIdx.x / groupsPerSeq, g = blockIdx.x % groupsPerSeq;
    const int r0 = g * groupRows, rows = min(groupRows, seq - r0);
    const size_t base = (size_t(bh) * seq + r0) * D;
    const int n8 = rows * D / 8;
    const float *mu = mean ? mean + size_t(bh) * D : nullptr;
    float amax = 0.f;
    for (int i = threadIdx.x; i < n8; i += blockDim.x) {
        const uint4 raw = *reinterpret_cast<const uint4 *>(x + base + size_t(i) * 8);
        const __half *h = reinterpret_cast<const __half *>(&raw);
        const int c0 = (i * 8) % D;
#pragma unroll
        for (int e = 0; e < 8; ++e)
            amax = fmaxf(amax, fabsf((__half2float(h[e]) - (mu ? mu[c0 + e] : 0.f)) * mul));
    }
    amax = blockMax(amax, red);
    const float delta = amax > 0.f ? amax / 127.f : 1.f;
    for (int i = threadIdx.x; i < n8; i += blockDim.x) {
        const uint4 raw = *reinterpret_cast<const uint4 *>(x + base + size_t(i) * 8);
        const __half *h = reinterpret_cast<const __half *>(&raw);
        const int c0 = (i * 8) % D;
        union {
            int8_t b[8];
            uint2 u;
        } codes;
#pragma unroll
        for (int e = 0; e < 8; ++e) {
            const float v = (__half2float(h[e]) - (mu ? mu[c0 + e] : 0.f)) * mul;
            codes.b[e] = int8_t(max(-127, min(127, __float2int_rn(__fdiv_rn(v, delta)))));
        }
        *reinterpret_cast<uint2 *>(out + base + size_t(i) * 8) = codes.u;
    }
    if (threadIdx.x == 0)
        scales[blockIdx.x] = delta;
}

struct SageParams {
    const int8_t *q;
    const int8_t *k;
    const float *qScale;
    const float *kScale;
    const __half *v;
    __half *o;
    int seqQ, seqK, qHeads, kvHeads, groupRows, qGroups, kGroups, causal;
};

template <int D>
__global__ void __launch_bounds__(kThreads) sageAttnKernel(const SageParams p)
{
    constexpr int KS = D + 16; // bytes per shared K row: conflict-free 32-bit B loads
    __shared__ __align__(16) int8_t sK[pvtile::kKeys * KS];
    __shared__ __align__(16) __half sVt[D * pvtile::kVtStride];

    const int tid = threadIdx.x, warp = tid >> 5, lane = tid & 31, g = lane >> 2, t = lane & 3;
    const int qt = p.causal ? int(gridDim.x) - 1 - int(blockIdx.x) : int(blockIdx.x); // long rows first
    const int h = blockIdx.y, b = blockIdx.z, hk = h / (p.qHeads / p.kvHeads);
    const size_t qbh = size_t(b) * p.qHeads + h, kbh = size_t(b) * p.kvHeads + hk;
    const int8_t *Q = p.q + qbh * p.seqQ * D;
    const int8_t *K = p.k + kbh * p.seqK * D;
    const __half *V = p.v + kbh * p.seqK * D;
    const int row0 = qt * kTileRows + warp * 16, rowA = row0 + g, rowB = rowA + 8;

    auto ldq = [&](int row, int col) -> uint32_t {
        return row < p.seqQ ? *reinterpret_cast<const uint32_t *>(Q + size_t(row) * D + col) : 0u;
    };
    uint32_t qf[D / 32][4];
#pragma unroll
    for (int kk = 0; kk < D / 32; ++kk) {
        qf[kk][0] = ldq(rowA, kk * 32 + 4 * t);
        qf[kk][1] = ldq(rowB, kk * 32 + 4 * t);
        qf[kk][2] = ldq(rowA, kk * 32 + 16 + 4 * t);
        qf[kk][3] = ldq(rowB, kk * 32 + 16 + 4 * t);
    }
    const float qsA = rowA < p.seqQ ? p.qScale[qbh * p.qGroups + rowA / p.groupRows] : 0.f;
    const float qsB = rowB < p.seqQ ? p.qScale[qbh * p.qGroups + rowB / p.groupRows] : 0.f;
    const float *kScale = p.kScale + kbh * p.kGroups;

    pvtile::PvState<D> st;
    st.init();
    const int keyEnd = p.causal ? min(p.seqK, qt * kTileRows + kTileRows) : p.seqK;
    for (int k0 = 0; k0 < keyEnd; k0 += pvtile::kKeys) {
        __syncthreads(); // the previous step is done with sK / sVt
        for (int i = tid; i < pvtile::kKeys * (D / 16); i += kThreads) {
            const int r = i / (D / 16), c = i % (D / 16);
            uint4 val = make_uint4(0, 0, 0, 0);
            if (k0 + r < p.seqK)
                val = *reinterpret_cast<const uint4 *>(K + size_t(k0 + r) * D + c * 16);
            *reinterpret_cast<uint4 *>(sK + r * KS + c * 16) = val;
        }
        pvtile::loadVTransposed<D, kThreads>(sVt, V, k0, p.seqK, tid);
        __syncthreads();

        float s[pvtile::kKeys / 8][4];
#pragma unroll
        for (int nt = 0; nt < pvtile::kKeys / 8; ++nt) {
            int acc[4] = {0, 0, 0, 0};
#pragma unroll
            for (int kk = 0; kk < D / 32; ++kk) {
                const int8_t *kr = sK + (nt * 8 + g) * KS + kk * 32 + 4 * t;
                mmaS8(acc, qf[kk], *reinterpret_cast<const uint32_t *>(kr),
                      *reinterpret_cast<const uint32_t *>(kr + 16));
            }
#pragma unroll
            for (int e = 0; e < 4; ++e) {
                const int key = k0 + nt * 8 + 2 * t + (e & 1);
                const int row = e < 2 ? rowA : rowB;
                const bool ok = key < p.seqK && (!p.causal || key <= row);
                const float ks = key < p.seqK ? kScale[key / p.groupRows] : 0.f;
                s[nt][e] = ok ? float(acc[e]) * (e < 2 ? qsA : qsB) * ks : -CUDART_INF_F;
            }
        }
        pvtile::softmaxPvStep<D>(st, s, sVt, lane);
    }
    pvtile::storeRows<D>(st, p.o + qbh * p.seqQ * D, row0, p.seqQ, lane);
}

// Version 2: K (int8) and V (fp16, row-major) tiles double-buffered with cp.async, the
// next tile loading while this one computes; PV B fragments through ldmatrix.trans.
template <int D>
constexpr int sageV2KBytes()
{
    return pvtile::kKeys * (D + 16);
}
template <int D>
constexpr int sageV2Smem()
{
    return 2 * sageV2KBytes<D>() + 2 * pvtile::kKeys * pvtile::kVRowStride<D> * 2;
}

template <int D>
__global__ void __launch_bounds__(kThreads) sageAttnKernelV2(const SageParams p)
{
    constexpr int KS = D + 16;
    constexpr int KBYTES = sageV2KBytes<D>(), VHALVES = pvtile::kKeys * pvtile::kVRowStride<D>;
    extern __shared__ __align__(128) unsigned char smemSage[];
    int8_t *sK = reinterpret_cast<int8_t *>(smemSage);
    __half *sV = reinterpret_cast<__half *>(smemSage + 2 * KBYTES);

    const int tid = threadIdx.x, warp = tid >> 5, lane = tid & 31, g = lane >> 2, t = lane & 3;
    const int qt = p.causal ? int(gridDim.x) - 1 - int(blockIdx.x) : int(blockIdx.x);
    const int h = blockIdx.y, b = blockIdx.z, hk = h / (p.qHeads / p.kvHeads);
    const size_t qbh = size_t(b) * p.qHeads + h, kbh = size_t(b) * p.kvHeads + hk;
    const int8_t *Q = p.q + qbh * p.seqQ * D;
    const int8_t *K = p.k + kbh * p.seqK * D;
    const __half *V = p.v + kbh * p.seqK * D;
    const int row0 = qt * kTileRows + warp * 16, rowA = row0 + g, rowB = rowA + 8;
    const int keyEnd = p.causal ? min(p.seqK, qt * kTileRows + kTileRows) : p.seqK;
    const int nTiles = (keyEnd + pvtile::kKeys - 1) / pvtile::kKeys;
    auto issue = [&](int tile, int stage) {
        pvtile::loadRowsAsync<D, KS, kThreads>(sK + stage * KBYTES, K, tile * pvtile::kKeys, p.seqK, tid);
        pvtile::loadRowsAsync<D * 2, pvtile::kVRowStride<D> * 2, kThreads>(sV + stage * VHALVES, V,
                                                                           tile * pvtile::kKeys, p.seqK, tid);
    };
    if (nTiles > 0)
        issue(0, 0);
    cpAsyncCommit();

    auto ldq = [&](int row, int col) -> uint32_t {
        return row < p.seqQ ? *reinterpret_cast<const uint32_t *>(Q + size_t(row) * D + col) : 0u;
    };
    uint32_t qf[D / 32][4];
#pragma unroll
    for (int kk = 0; kk < D / 32; ++kk) {
        qf[kk][0] = ldq(rowA, kk * 32 + 4 * t);
        qf[kk][1] = ldq(rowB, kk * 32 + 4 * t);
        qf[kk][2] = ldq(rowA, kk * 32 + 16 + 4 * t);
        qf[kk][3] = ldq(rowB, kk * 32 + 16 + 4 * t);
    }
    const float qsA = rowA < p.seqQ ? p.qScale[qbh * p.qGroups + rowA / p.groupRows] : 0.f;
    const float qsB = rowB < p.seqQ ? p.qScale[qbh * p.qGroups + rowB / p.groupRows] : 0.f;
    const float *kScale = p.kScale + kbh * p.kGroups;

    pvtile::PvState<D> st;
    st.init();
    for (int it = 0; it < nTiles; ++it) {
        if (it + 1 < nTiles)
            issue(it + 1, (it + 1) & 1);
        cpAsyncCommit();
        cpAsyncWait<1>();
        __syncthreads();
        const int k0 = it * pvtile::kKeys;
        const int8_t *cK = sK + (it & 1) * KBYTES;
        // Dequantization: one K scale per tile (per-block granularity: blocks are the tiles) or
        // one per key; the bounds/causal test only on the tiles that need it.
        const bool perToken = p.groupRows == 1;
        const float ksTile = perToken ? 0.f : kScale[k0 / kTileRows];
        const bool masked = k0 + pvtile::kKeys > p.seqK || (p.causal && k0 + pvtile::kKeys > row0 + 1);
        float s[pvtile::kKeys / 8][4];
#pragma unroll
        for (int nt = 0; nt < pvtile::kKeys / 8; ++nt) {
            int acc[4] = {0, 0, 0, 0};
#pragma unroll
            for (int kk = 0; kk < D / 32; ++kk) {
                const int8_t *kr = cK + (nt * 8 + g) * KS + kk * 32 + 4 * t;
                mmaS8(acc, qf[kk], *reinterpret_cast<const uint32_t *>(kr),
                      *reinterpret_cast<const uint32_t *>(kr + 16));
            }
            const int key0 = k0 + nt * 8 + 2 * t;
            float ks0 = ksTile, ks1 = ksTile;
            if (perToken) {
                ks0 = key0 < p.seqK ? kScale[key0] : 0.f;
                ks1 = key0 + 1 < p.seqK ? kScale[key0 + 1] : 0.f;
            }
            s[nt][0] = float(acc[0]) * (qsA * ks0);
            s[nt][1] = float(acc[1]) * (qsA * ks1);
            s[nt][2] = float(acc[2]) * (qsB * ks0);
            s[nt][3] = float(acc[3]) * (qsB * ks1);
            if (masked) {
#pragma unroll
                for (int e = 0; e < 4; ++e) {
                    const int key = key0 + (e & 1);
                    const int row = e < 2 ? rowA : rowB;
                    if (key >= p.seqK || (p.causal && key > row))
                        s[nt][e] = -CUDART_INF_F;
                }
            }
        }
        pvtile::softmaxPvStepRowMajorV<D>(st, s, sV + (it & 1) * VHALVES, lane);
        __syncthreads(); // this stage is refilled two iterations on
    }
    cpAsyncWait<0>();
    pvtile::storeRows<D>(st, p.o + qbh * p.seqQ * D, row0, p.seqQ, lane);
}

} // namespace

GpuSageResult runSageAttentionGpu(const GpuSageJob &job)
{
    GpuSageResult result;
    const AttentionShape &s = job.shape;
    PL_CUDA_TRY(cudaSetDevice(job.device));
    if (job.inputs.dtype != DType::F16 || (s.headDim != 64 && s.headDim != 128)) {
        result.error = RunError{ErrorCode::BadParameter, "head_dim", "SageAttention runs fp16 inputs, head dim 64/128"};
        return result;
    }
    const int D = s.headDim;
    const int groupRows = job.perToken ? 1 : kTileRows;
    const int qGroups = (s.seqQ + groupRows - 1) / groupRows, kGroups = (s.seqK + groupRows - 1) / groupRows;
    const size_t qn = s.qElements(), kn = s.kvElements();
    DeviceBuffer q, k, v, o, qi, ki, qs, ks, mean, flush;
    PL_CUDA_TRY(q.alloc(qn * 2));
    PL_CUDA_TRY(k.alloc(kn * 2));
    PL_CUDA_TRY(v.alloc(kn * 2));
    PL_CUDA_TRY(o.alloc(qn * 2));
    PL_CUDA_TRY(qi.alloc(qn));
    PL_CUDA_TRY(ki.alloc(kn));
    PL_CUDA_TRY(qs.alloc(size_t(s.batch) * s.qHeads * qGroups * 4));
    PL_CUDA_TRY(ks.alloc(size_t(s.batch) * s.kvHeads * kGroups * 4));
    PL_CUDA_TRY(mean.alloc(size_t(s.batch) * s.kvHeads * D * 4));
    PL_CUDA_TRY(cudaMemcpy(q.get(), job.inputs.q, qn * 2, cudaMemcpyHostToDevice));
    PL_CUDA_TRY(cudaMemcpy(k.get(), job.inputs.k, kn * 2, cudaMemcpyHostToDevice));
    PL_CUDA_TRY(cudaMemcpy(v.get(), job.inputs.v, kn * 2, cudaMemcpyHostToDevice));
    int l2 = 0;
    PL_CUDA_TRY(cudaDeviceGetAttribute(&l2, cudaDevAttrL2CacheSize, job.device));
    PL_CUDA_TRY(flush.alloc(size_t(l2) * 4));

    const SageParams p{qi.get<int8_t>(), ki.get<int8_t>(), qs.get<float>(), ks.get<float>(), v.get<__half>(),
                       o.get<__half>(),  s.seqQ,           s.seqK,          s.qHeads,        s.kvHeads,
                       groupRows,        qGroups,          kGroups,         s.causal ? 1 : 0};
    const float qMul = float(s.softmaxScale() * 1.4426950408889634);
    PL_CUDA_TRY(
        cudaFuncSetAttribute(sageAttnKernelV2<64>, cudaFuncAttributeMaxDynamicSharedMemorySize, sageV2Smem<64>()));
    PL_CUDA_TRY(
        cudaFuncSetAttribute(sageAttnKernelV2<128>, cudaFuncAttributeMaxDynamicSharedMemorySize, sageV2Smem<128>()));
    const dim3 grid((s.seqQ + kTileRows - 1) / kTileRows, s.qHeads, s.batch);
    auto quantize = [&] {
        if (job.smoothK)
            kMeanKernel<<<s.batch * s.kvHeads, 256>>>(k.get<__half>(), mean.get<float>(), s.seqK, D);
        quantInt8Kernel<<<s.batch * s.qHeads * qGroups, 128>>>(q.get<__half>(), nullptr, qMul, qi.get<int8_t>(),
                                                               qs.get<float>(), s.seqQ, D, groupRows, qGroups);
        quantInt8Kernel<<<s.batch * s.kvHeads * kGroups, 128>>>(
            k.get<__half>(), job.smoothK ? mean.get<float>() : nullptr, 1.f, ki.get<int8_t>(), ks.get<float>(), s.seqK,
            D, groupRows, kGroups);
        return cudaGetLastError();
    };
    auto attend = [&] {
        if (job.version == 1) {
            if (D == 64)
                sageAttnKernel<64><<<grid, kThreads>>>(p);
            else
                sageAttnKernel<128><<<grid, kThreads>>>(p);
        } else if (D == 64) {
            sageAttnKernelV2<64><<<grid, kThreads, sageV2Smem<64>()>>>(p);
        } else {
            sageAttnKernelV2<128><<<grid, kThreads, sageV2Smem<128>()>>>(p);
        }
        return cudaGetLastError();
    };
    const LaunchTimer timer{job.warmup, job.repetitions, job.cancel, &flush, &o, "sage attention launch"};
    if (auto err = timer.runParts(quantize, attend, result.timesMs, nullptr, &result.attnTimesMs))
        result.error = err;
    if (!result.error) {
        result.output.resize(qn);
        PL_CUDA_TRY(cudaMemcpy(result.output.data(), o.get(), qn * 2, cudaMemcpyDeviceToHost));
    }
    return result;
}

} // namespace paperlab::kernels::cuda
