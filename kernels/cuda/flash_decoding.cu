// Flash-Decoding: few query rows against a long KV cache.
//
// Pass 1, grid (splits, kv heads, batch): a block streams one contiguous chunk of one KV
// head's cache. All query rows that share that KV head (q_heads/kv_heads heads x q_len
// tokens, at most 16) form one mma row tile, so each K/V byte is read once for the whole
// group. The 4 warps take interleaved 16-key slices of each 64-key stage (STAGES deep
// cp.async pipeline), keep their own online-softmax state, and merge through shared memory.
// With one split the block writes the final output (the "no_split" baseline); otherwise it
// writes a normalized partial output and its log-sum-exp.
// Pass 2, one block per query row: weights the partials by exp(lse - max) and sums.
#include "cuda/attention_tile.cuh"
#include "cuda/gpu_job.cuh"
#include "cuda/indexed_decode.h"
#include "cuda/split_combine.cuh"

#include <cstdlib>
#include <string>

namespace paperlab::kernels::cuda {

namespace {

constexpr int kWarps = 4;
constexpr int kKeysPerWarp = 16;
constexpr int kStageKeys = kWarps * kKeysPerWarp;
constexpr int kStages = 3; // 3 x 32 KB (D=128): two blocks fit on an SM

struct DecodeParams {
    const void *q;
    const void *k;
    const void *v;
    void *o;
    float *partO;   // [rows][splits][D], rows = batch * qHeads * qLen
    float *partLse; // [rows][splits], log2 domain
    int qLen, kvLen, qHeads, kvHeads, splits, chunk;
    float scaleLog2;
    // Sparse decode: attend only to the cache rows index[b][kv head][0..count) (a KV-selection
    // policy's choice); nullptr = every row 0..kvLen.
    const int *index = nullptr;
    int count = 0;
};

template <int D>
constexpr int decodeSmemBytes()
{
    constexpr int pipeline = kStages * kStageKeys * D * 2 * 2 + 16 * D * 2;
    constexpr int merge = kWarps * 16 * (D + 2) * 4;
    return pipeline > merge ? pipeline : merge;
}

template <typename T, int D>
__global__ void __launch_bounds__(kWarps * 32) decodeSplitKernel(const DecodeParams p)
{
    constexpr int THREADS = kWarps * 32;
    extern __shared__ __align__(128) unsigned char smemRaw[];
    T *sQ = reinterpret_cast<T *>(smemRaw);
    T *sK = sQ + 16 * D;
    T *sV = sK + kStages * kStageKeys * D;

    const int tid = threadIdx.x, warp = tid >> 5, lane = tid & 31;
    const int split = blockIdx.x, hk = blockIdx.y, b = blockIdx.z;
    const int group = p.qHeads / p.kvHeads;
    const int rows = group * p.qLen; // <= 16, checked on the host
    const T *K = static_cast<const T *>(p.k) + (size_t(b) * p.kvHeads + hk) * p.kvLen * D;
    const T *V = static_cast<const T *>(p.v) + (size_t(b) * p.kvHeads + hk) * p.kvLen * D;
    // Query rows of this KV head are contiguous: heads hk*group.. in [b][h][qLen][D] order.
    const size_t rowBase = (size_t(b) * p.qHeads + size_t(hk) * group) * p.qLen;
    const T *Q = static_cast<const T *>(p.q) + rowBase * D;

    const int *idx = p.index ? p.index + (size_t(b) * p.kvHeads + hk) * p.count : nullptr;
    const int keyBegin = split * p.chunk;
    const int keyEnd = min(idx ? p.count : p.kvLen, keyBegin + p.chunk);
    // Sparse decode: the cache rows of the next stage to issue, loaded a stage ahead.
    int nextRows[tileChunksPerThread<kStageKeys, D, THREADS>()];
    auto fetchRows = [&](int stage) {
        if (idx)
            tileRowIndices<kStageKeys, D, THREADS>(nextRows, idx, keyBegin + stage * kStageKeys, keyEnd, tid);
    };
    auto loadKV = [&](int slot, int stage) {
        const int row0 = keyBegin + stage * kStageKeys;
        if (idx) {
            loadTileRows<kStageKeys, D, THREADS>(sK + slot * kStageKeys * D, K, nextRows, row0, keyEnd, tid);
            loadTileRows<kStageKeys, D, THREADS>(sV + slot * kStageKeys * D, V, nextRows, row0, keyEnd, tid);
            fetchRows(stage + 1);
        } else {
            loadTile<kStageKeys, D, THREADS>(sK + slot * kStageKeys * D, K, row0, keyEnd, tid);
            loadTile<kStageKeys, D, THREADS>(sV + slot * kStageKeys * D, V, row0, keyEnd, tid);
        }
    };
    const int stagesTotal = keyEnd > keyBegin ? (keyEnd - keyBegin + kStageKeys - 1) / kStageKeys : 0;

    loadTile<16, D, THREADS>(sQ, Q, 0, rows, tid);
    cpAsyncCommit();
    // The sparse decode may be launched before the selection that wrote idx has finished
    // (launchDecode's pdl): the query is loading meanwhile; the index is read only after this.
#if defined(__CUDA_ARCH__) && __CUDA_ARCH__ >= 900
    if (idx)
        cudaGridDependencySynchronize();
#endif
    fetchRows(0);
#pragma unroll
    for (int s = 0; s < kStages - 1; ++s) {
        if (s < stagesTotal)
            loadKV(s, s);
        cpAsyncCommit();
    }
    cpAsyncWait<kStages - 1>();
    __syncthreads();
    uint32_t qf[D / 16][4];
    loadQFragments<D>(qf, sQ, 0, lane);

    AttnState<D, 1> st;
    st.init();
    for (int j = 0; j < stagesTotal; ++j) {
        const int pre = j + kStages - 1;
        if (pre < stagesTotal)
            loadKV(pre % kStages, pre);
        cpAsyncCommit();
        cpAsyncWait<kStages - 1>();
        __syncthreads();
        const int slot = j % kStages;
        const int k0 = keyBegin + j * kStageKeys + warp * kKeysPerWarp;
        auto keep = [&](int, int key, int) { return k0 + key < keyEnd; };
        auto qfrag = [&](int, int kk, uint32_t(&a)[4]) {
#pragma unroll
            for (int i = 0; i < 4; ++i)
                a[i] = qf[kk][i];
        };
        attendTile<T, D, kKeysPerWarp, 1>(st, qfrag, sK + slot * kStageKeys * D, sV + slot * kStageKeys * D,
                                          warp * kKeysPerWarp, p.scaleLog2, k0 + kKeysPerWarp > keyEnd, keep, lane);
        __syncthreads();
    }
    cpAsyncWait<0>();
    __syncthreads();

    // Merge the warps' states through shared memory (the pipeline buffers are free now).
    float *mo = reinterpret_cast<float *>(smemRaw); // [warp][16][D]
    float *mm = mo + kWarps * 16 * D;               // [warp][16]
    float *ml = mm + kWarps * 16;                   // [warp][16]
    const int g = lane >> 2, t = lane & 3;
#pragma unroll
    for (int half = 0; half < 2; ++half) {
        const int r = g + half * 8;
        const float l = quadSum(st.l[0][half]);
        if (t == 0) {
            mm[warp * 16 + r] = st.m[0][half];
            ml[warp * 16 + r] = l;
        }
#pragma unroll
        for (int d = 0; d < D / 8; ++d) {
            mo[(warp * 16 + r) * D + d * 8 + 2 * t] = st.o[0][d][2 * half];
            mo[(warp * 16 + r) * D + d * 8 + 2 * t + 1] = st.o[0][d][2 * half + 1];
        }
    }
    __syncthreads();

    for (int i = tid; i < rows * D; i += THREADS) {
        const int r = i / D, c = i % D;
        float mMax = -CUDART_INF_F;
#pragma unroll
        for (int w = 0; w < kWarps; ++w)
            mMax = fmaxf(mMax, mm[w * 16 + r]);
        float l = 0.f, acc = 0.f;
        if (mMax != -CUDART_INF_F) {
#pragma unroll
            for (int w = 0; w < kWarps; ++w) {
                const float f = exp2f(mm[w * 16 + r] - mMax);
                l += ml[w * 16 + r] * f;
                acc += mo[(w * 16 + r) * D + c] * f;
            }
        }
        const float out = l > 0.f ? acc / l : 0.f;
        const size_t row = rowBase + r;
        if (p.splits == 1) {
            static_cast<T *>(p.o)[row * D + c] = T(out);
        } else {
            p.partO[(row * p.splits + split) * D + c] = out;
            if (c == 0)
                p.partLse[row * p.splits + split] = l > 0.f ? mMax + log2f(l) : -CUDART_INF_F;
        }
    }
}

// pdl: the split kernel and the combine are launched as programmatic dependents of the kernel
// before each (the selection, then the splits), so their launches overlap its tail.
template <typename T, int D>
cudaError_t launchDecode(const DecodeParams &p, int batch, cudaStream_t stream, bool pdl = false)
{
    constexpr int smem = decodeSmemBytes<D>();
    auto kernel = decodeSplitKernel<T, D>;
    cudaError_t e = cudaFuncSetAttribute(kernel, cudaFuncAttributeMaxDynamicSharedMemorySize, smem);
    if (e != cudaSuccess)
        return e;
    const dim3 grid(p.splits, p.kvHeads, batch);
    if (pdl) {
        if ((e = launchDependent(kernel, grid, dim3(kWarps * 32), smem, stream, p)) != cudaSuccess)
            return e;
    } else {
        kernel<<<grid, kWarps * 32, smem, stream>>>(p);
    }
    if (p.splits > 1)
        launchCombineSplits<T, D>(p.partO, p.partLse, static_cast<T *>(p.o), batch * p.qHeads * p.qLen, p.splits,
                                  stream, pdl);
    return cudaGetLastError();
}

// Programmatic dependent launch of the sparse decode after its selection (sm_90 and later);
// PAPERLAB_PDL=0 launches plainly, to compare.
bool dependentLaunchWanted()
{
    static const bool on = [] {
        const char *e = std::getenv("PAPERLAB_PDL");
        int dev = 0, major = 0;
        cudaGetDevice(&dev);
        cudaDeviceGetAttribute(&major, cudaDevAttrComputeCapabilityMajor, dev);
        return major >= 9 && !(e && std::string(e) == "0");
    }();
    return on;
}

} // namespace

int indexedDecodeSplits(int batch, int kvHeads, int count, int headDim, int device)
{
    int sms = 0, maxSmem = 0;
    cudaDeviceGetAttribute(&sms, cudaDevAttrMultiProcessorCount, device);
    cudaDeviceGetAttribute(&maxSmem, cudaDevAttrMaxSharedMemoryPerMultiprocessor, device);
    const int smem = headDim == 64 ? decodeSmemBytes<64>() : decodeSmemBytes<128>();
    const int perSm = std::max(1, maxSmem / (smem + 1024));
    return chooseSplits(batch * kvHeads, count, std::max(1, sms) * perSm);
}

cudaError_t launchIndexedDecode(const IndexedDecodeArgs &a, cudaStream_t stream)
{
    int chunk = (a.count + a.splits - 1) / a.splits;
    chunk = (chunk + kStageKeys - 1) / kStageKeys * kStageKeys;
    DecodeParams p{a.q,
                   a.k,
                   a.v,
                   a.o,
                   a.partO,
                   a.partLse,
                   1,
                   a.kvLen,
                   a.qHeads,
                   a.kvHeads,
                   (a.count + chunk - 1) / chunk,
                   chunk,
                   float(1.4426950408889634 / std::sqrt(double(a.headDim)))};
    p.index = a.index;
    p.count = a.count;
    const bool pdl = dependentLaunchWanted();
    return a.headDim == 64 ? launchDecode<__half, 64>(p, a.batch, stream, pdl)
                           : launchDecode<__half, 128>(p, a.batch, stream, pdl);
}

GpuAttentionResult runFlashDecodingGpu(const GpuAttentionJob &job)
{
    GpuAttentionResult result;
    const AttentionShape &s = job.shape;
    PL_CUDA_TRY(cudaSetDevice(job.device));
    if ((s.qHeads / s.kvHeads) * s.seqQ > 16 || s.causal) {
        result.error = RunError{ErrorCode::BadParameter, "q_len", "at most 16 query rows per KV head, non-causal"};
        return result;
    }
    int sms = 0, maxSmem = 0;
    PL_CUDA_TRY(cudaDeviceGetAttribute(&sms, cudaDevAttrMultiProcessorCount, job.device));
    PL_CUDA_TRY(cudaDeviceGetAttribute(&maxSmem, cudaDevAttrMaxSharedMemoryPerMultiprocessor, job.device));
    const int smem = s.headDim == 64 ? decodeSmemBytes<64>() : decodeSmemBytes<128>();
    const int perSm = std::max(1, maxSmem / (smem + 1024));
    const int blocks = s.batch * s.kvHeads;
    int splits = job.numSplits > 0 ? job.numSplits : chooseSplits(blocks, s.seqK, sms * perSm);
    int chunk = (s.seqK + splits - 1) / splits;
    chunk = (chunk + kStageKeys - 1) / kStageKeys * kStageKeys; // whole stages per split
    splits = (s.seqK + chunk - 1) / chunk;
    result.numSplitsUsed = splits;

    AttentionBuffers buf;
    PL_CUDA_TRY(buf.setUp(job));
    const size_t rows = size_t(s.batch) * s.qHeads * s.seqQ;
    DeviceBuffer partO, partLse;
    PL_CUDA_TRY(partO.alloc(rows * splits * s.headDim * sizeof(float)));
    PL_CUDA_TRY(partLse.alloc(rows * splits * sizeof(float)));
    DecodeParams p{buf.q.get(),
                   buf.k.get(),
                   buf.v.get(),
                   buf.o.get(),
                   partO.get<float>(),
                   partLse.get<float>(),
                   s.seqQ,
                   s.seqK,
                   s.qHeads,
                   s.kvHeads,
                   splits,
                   chunk,
                   float(s.softmaxScale() * 1.4426950408889634)};
    const bool bf = job.inputs.dtype == DType::BF16;
    cudaError_t launchErr = cudaSuccess;
    timeLaunches(job, buf, result, [&] {
        cudaError_t e;
        if (s.headDim == 64)
            e = bf ? launchDecode<__nv_bfloat16, 64>(p, s.batch, nullptr)
                   : launchDecode<__half, 64>(p, s.batch, nullptr);
        else
            e = bf ? launchDecode<__nv_bfloat16, 128>(p, s.batch, nullptr)
                   : launchDecode<__half, 128>(p, s.batch, nullptr);
        if (e != cudaSuccess)
            launchErr = e;
    });
    if (!result.error && launchErr != cudaSuccess)
        result.error = cudaFailure(launchErr, "flash decoding launch");
    return result;
}

} // namespace paperlab::kernels::cuda
