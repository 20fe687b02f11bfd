// KV-selection decode on the GPU: selection kernels feeding the indexed Flash-Decoding.
//   pageBoundsKernel  Quest metadata: per page and channel, min and max key (once per page)
//   questScoreKernel  a warp per 32 pages, loads a round ahead: sum over the group's rows of
//                     sum_c max(q_c min_c, q_c max_c) (lanes over channels, 16-byte loads)
//   labelCacheKernel  Double Sparsity's label cache: the label channels of every key
//   labelScoreKernel  thread per token: (sum of the group's q over label channels) . label keys
//   topKKernel        block per (batch, KV head): radix select of the k-th largest score (4
//                     passes of 8 bits, per-warp shared histograms), then the kept indices
//                     (pages expand to their tokens) and the recent window appended
//   streamingKernel   sinks + recent window
#include "core/accuracy.h"
#include "cuda/gpu_job.cuh"
#include "cuda/indexed_decode.h"
#include "kvselect/kv_selection_cuda.h"

#include <algorithm>
#include <cmath>
#include <cuda_fp16.h>
#include <math_constants.h>

namespace paperlab::kernels::cuda {

namespace {

__global__ void pageBoundsKernel(const __half *k, __half2 *bounds, int L, int d, int pageSize)
{
    // grid (pages, heads), d threads: bounds[head][page][c] = (min, max)
    const size_t head = blockIdx.y;
    const int page = blockIdx.x, c = threadIdx.x, pages = L / pageSize;
    const __half *K = k + (head * L + size_t(page) * pageSize) * d + c;
    float mn = CUDART_INF_F, mx = -CUDART_INF_F;
    for (int j = 0; j < pageSize; ++j) {
        const float x = __half2float(K[size_t(j) * d]);
        mn = fminf(mn, x);
        mx = fmaxf(mx, x);
    }
    bounds[(head * pages + page) * d + c] = __floats2half2_rn(mn, mx);
}

__global__ void questScoreKernel(const __half *q, const __half2 *bounds, float *scores, int pages, int d, int qHeads,
                                 int kvHeads)
{
    // grid (pages / 256, heads), 8 warps; a warp scores 4 rounds of 8 pages, the next round's
    // bounds (8 x 16 bytes per lane) loading while this round's are used; d == 128: lanes
    // hold 4 channels.
    constexpr int PAGES = 8, ROUNDS = 4;
    const int warp = threadIdx.x >> 5, lane = threadIdx.x & 31;
    const int head = blockIdx.y, b = head / kvHeads, hk = head % kvHeads, group = qHeads / kvHeads;
    const int page0 = (blockIdx.x * 8 + warp) * PAGES * ROUNDS;
    auto load = [&](uint4(&raw)[PAGES], int first) {
#pragma unroll
        for (int i = 0; i < PAGES; ++i)
            raw[i] = first + i < pages
                         ? *reinterpret_cast<const uint4 *>(bounds + (size_t(head) * pages + first + i) * d + 4 * lane)
                         : make_uint4(0u, 0u, 0u, 0u);
    };
    uint4 cur[PAGES], next[PAGES];
    load(cur, page0);
    for (int round = 0; round < ROUNDS; ++round) {
        const int first = page0 + round * PAGES;
        if (first >= pages)
            break;
        if (round + 1 < ROUNDS)
            load(next, first + PAGES);
        float s[PAGES];
#pragma unroll
        for (int i = 0; i < PAGES; ++i)
            s[i] = 0.f;
        for (int r = 0; r < group; ++r) {
            const uint2 qraw =
                *reinterpret_cast<const uint2 *>(q + (size_t(b) * qHeads + hk * group + r) * d + 4 * lane);
            const float2 q01 = __half22float2(*reinterpret_cast<const __half2 *>(&qraw.x));
            const float2 q23 = __half22float2(*reinterpret_cast<const __half2 *>(&qraw.y));
            const float qr[4] = {q01.x, q01.y, q23.x, q23.y};
#pragma unroll
            for (int i = 0; i < PAGES; ++i) {
                const __half2 *mm = reinterpret_cast<const __half2 *>(&cur[i]);
#pragma unroll
                for (int e = 0; e < 4; ++e) {
                    const float2 f = __half22float2(mm[e]);
                    s[i] += fmaxf(qr[e] * f.x, qr[e] * f.y);
                }
            }
        }
#pragma unroll
        for (int i = 0; i < PAGES; ++i) {
#pragma unroll
            for (int x = 16; x > 0; x >>= 1)
                s[i] += __shfl_xor_sync(0xffffffffu, s[i], x);
            if (lane == i && first + i < pages)
                scores[size_t(head) * pages + first + i] = s[i];
        }
#pragma unroll
        for (int i = 0; i < PAGES; ++i)
            cur[i] = next[i];
    }
}

__global__ void labelCacheKernel(const __half *k, const int *labels, __half *label, int L, int d, int r)
{
    // grid (tokens / 256, heads): label[head][j][i] = k[head][j][labels[head][i]]
    const size_t head = blockIdx.y;
    const int j = blockIdx.x * blockDim.x + threadIdx.x;
    if (j >= L)
        return;
    for (int i = 0; i < r; ++i)
        label[(head * L + j) * r + i] = k[(head * L + j) * d + labels[head * r + i]];
}

__global__ void labelScoreKernel(const __half *q, const __half *label, const int *labels, float *scores, int L, int n,
                                 int d, int r, int qHeads, int kvHeads)
{
    // grid (n / 256, heads); r == 16: a token's label keys are two 16-byte loads.
    __shared__ float qs[16];
    const int head = blockIdx.y, b = head / kvHeads, hk = head % kvHeads, group = qHeads / kvHeads;
    if (threadIdx.x < 16) {
        float s = 0.f;
        for (int row = 0; row < group; ++row)
            s += __half2float(q[(size_t(b) * qHeads + hk * group + row) * d + labels[head * r + threadIdx.x]]);
        qs[threadIdx.x] = s;
    }
    __syncthreads();
    const int j = blockIdx.x * blockDim.x + threadIdx.x;
    if (j >= n)
        return;
    const uint4 *src = reinterpret_cast<const uint4 *>(label + (size_t(head) * L + j) * 16);
    const uint4 a = src[0], c = src[1];
    const __half2 *h0 = reinterpret_cast<const __half2 *>(&a);
    const __half2 *h1 = reinterpret_cast<const __half2 *>(&c);
    float s = 0.f;
#pragma unroll
    for (int e = 0; e < 4; ++e) {
        const float2 x = __half22float2(h0[e]), y = __half22float2(h1[e]);
        s += qs[2 * e] * x.x + qs[2 * e + 1] * x.y + qs[8 + 2 * e] * y.x + qs[8 + 2 * e + 1] * y.y;
    }
    scores[size_t(head) * n + j] = s;
}

__device__ __forceinline__ unsigned orderKey(float x)
{
    const unsigned u = __float_as_uint(x);
    return (u & 0x80000000u) ? ~u : (u | 0x80000000u);
}

// out[head][0 .. k*expand) = tokens of the k largest scores[head][0..n); then
// out[head][k*expand .. +window) = the last `window` tokens of the cache. Radix select, 8 bits
// a pass: each warp counts into its own shared histogram (similar scores share their high
// bytes, and one histogram for the whole block serializes on those bins), then the warps'
// counts are summed. The kept positions come from one atomic per warp (ballot + popc).
constexpr int kTopKWarps = 16;

__global__ void __launch_bounds__(kTopKWarps * 32)
    topKKernel(const float *scores, int n, int k, int expand, int window, int L, int *out, int count, bool staged)
{
    // With `staged` the scores are copied once into shared memory (n * 4 bytes, dynamic) and the
    // five passes read them there instead of from L2.
    extern __shared__ float staging[];
    __shared__ unsigned hist[kTopKWarps][256];
    __shared__ unsigned total[256];
    __shared__ unsigned want, prefix, above, taken;
    const size_t head = blockIdx.x;
    const float *s = scores + head * n;
    int *o = out + head * count;
    const int tid = threadIdx.x, lane = tid & 31, warp = tid >> 5;
    const unsigned below = (1u << lane) - 1;
    if (staged) {
        for (int i = tid * 4; i < n; i += kTopKWarps * 32 * 4) {
            if (i + 3 < n && (n & 3) == 0)
                *reinterpret_cast<float4 *>(staging + i) = *reinterpret_cast<const float4 *>(s + i);
            else
                for (int e = i; e < min(n, i + 4); ++e)
                    staging[e] = s[e];
        }
        s = staging;
    }
    if (tid == 0) {
        want = k;
        prefix = 0;
        above = 0;
        taken = 0;
    }
    unsigned mask = 0;
    for (int shift = 24; shift >= 0; shift -= 8) {
        for (int i = lane; i < 256; i += 32)
            hist[warp][i] = 0;
        __syncthreads();
        const unsigned pre = prefix;
#pragma unroll 4
        for (int i = tid; i < n; i += kTopKWarps * 32) {
            const unsigned u = orderKey(s[i]);
            if ((u & mask) == pre)
                atomicAdd(&hist[warp][(u >> shift) & 255], 1u);
        }
        __syncthreads();
        for (int b = tid; b < 256; b += kTopKWarps * 32) {
            unsigned c = 0;
#pragma unroll
            for (int w = 0; w < kTopKWarps; ++w)
                c += hist[w][b];
            total[b] = c;
        }
        __syncthreads();
        // Warp 0 finds the bin holding the k-th largest: lane l sums bins 255-8l .. 248-8l, a
        // shuffle scan gives the count above each lane's range, and the crossing lane walks its 8.
        if (warp == 0) {
            unsigned c[8], sum = 0;
#pragma unroll
            for (int i = 0; i < 8; ++i)
                sum += (c[i] = total[255 - 8 * lane - i]);
            unsigned above8 = sum; // inclusive scan from the top
#pragma unroll
            for (int d = 1; d < 32; d <<= 1) {
                const unsigned x = __shfl_up_sync(0xffffffffu, above8, d);
                if (lane >= d)
                    above8 += x;
            }
            const unsigned before = above8 - sum, w = want;
            const bool crosses = before < w && (above8 >= w || lane == 31);
            const unsigned who = __ballot_sync(0xffffffffu, crosses);
            if (lane == __ffs(who) - 1) {
                unsigned cum = before;
                int i = 0;
                for (; i < 7 && cum + c[i] < w; ++i)
                    cum += c[i];
                want = w - cum; // how many of this bin's elements are needed
                prefix = pre | (unsigned(255 - 8 * lane - i) << shift);
            }
        }
        mask |= 255u << shift;
        __syncthreads();
    }
    const unsigned T = prefix, ties = want;
    for (int base = 0; base < n; base += kTopKWarps * 32) {
        const int i = base + tid;
        const unsigned u = i < n ? orderKey(s[i]) : 0u;
        const unsigned gt = __ballot_sync(0xffffffffu, i < n && u > T);
        const unsigned eq = __ballot_sync(0xffffffffu, i < n && u == T);
        unsigned gtBase = 0, eqBase = 0;
        if (lane == 0) {
            if (gt)
                gtBase = atomicAdd(&above, unsigned(__popc(gt)));
            if (eq)
                eqBase = atomicAdd(&taken, unsigned(__popc(eq)));
        }
        gtBase = __shfl_sync(0xffffffffu, gtBase, 0);
        eqBase = __shfl_sync(0xffffffffu, eqBase, 0);
        int pos = -1;
        if (gt >> lane & 1)
            pos = int(gtBase + __popc(gt & below));
        else if (eq >> lane & 1) {
            const unsigned t = eqBase + __popc(eq & below);
            if (t < ties)
                pos = int(k - ties + t);
        }
        if (pos >= 0)
            for (int e = 0; e < expand; ++e)
                o[pos * expand + e] = i * expand + e;
    }
    for (int j = tid; j < window; j += kTopKWarps * 32)
        o[k * expand + j] = L - window + j;
}

void launchTopK(const float *scores, int heads, int n, int k, int expand, int window, int L, int *out, int count)
{
    const bool staged = n <= 32768; // 128 KB of shared memory
    const int smem = staged ? n * 4 : 0;
    cudaFuncSetAttribute(topKKernel, cudaFuncAttributeMaxDynamicSharedMemorySize, 32768 * 4);
    topKKernel<<<heads, kTopKWarps * 32, smem>>>(scores, n, k, expand, window, L, out, count, staged);
}

__global__ void streamingKernel(int *out, int count, int sinks, int L)
{
    const size_t head = blockIdx.x;
    for (int j = threadIdx.x; j < count; j += blockDim.x)
        out[head * count + j] = j < sinks ? j : L - (count - sinks) + (j - sinks);
}

} // namespace

GpuKvSelectResult runKvSelectDecodeGpu(const GpuKvSelectJob &job)
{
    GpuKvSelectResult result;
    PL_CUDA_TRY(cudaSetDevice(job.device));
    const KvSelectConfig &c = job.config;
    const int L = job.kvLen, d = job.headDim, heads = job.batch * job.kvHeads;
    const int count = job.dense ? L : selectedCount(c, L);
    const int pages = L / c.pageSize, r = c.labelChannels;
    const size_t qn = size_t(job.batch) * job.qHeads * d, kn = size_t(heads) * L * d;
    result.count = count;

    DeviceBuffer q, k, v, o, idx, partO, partLse, flush, scores, bounds, label, labels;
    PL_CUDA_TRY(q.alloc(qn * 2));
    PL_CUDA_TRY(k.alloc(kn * 2));
    PL_CUDA_TRY(v.alloc(kn * 2));
    PL_CUDA_TRY(o.alloc(qn * 2));
    PL_CUDA_TRY(idx.alloc(size_t(heads) * count * 4));
    PL_CUDA_TRY(cudaMemcpy(q.get(), job.q, qn * 2, cudaMemcpyHostToDevice));
    PL_CUDA_TRY(cudaMemcpy(k.get(), job.k, kn * 2, cudaMemcpyHostToDevice));
    PL_CUDA_TRY(cudaMemcpy(v.get(), job.v, kn * 2, cudaMemcpyHostToDevice));
    int l2 = 0;
    PL_CUDA_TRY(cudaDeviceGetAttribute(&l2, cudaDevAttrL2CacheSize, job.device));
    PL_CUDA_TRY(flush.alloc(size_t(l2) * 4));
    const int splits = indexedDecodeSplits(job.batch, job.kvHeads, count, d, job.device);
    result.numSplitsUsed = splits;
    PL_CUDA_TRY(partO.alloc(qn * splits * 4));
    PL_CUDA_TRY(partLse.alloc(size_t(job.batch) * job.qHeads * splits * 4));

    const KvPolicy pol = c.policy;
    const bool quest = !job.dense && pol == KvPolicy::Quest, ds = !job.dense && pol == KvPolicy::DoubleSparsity;
    const bool observed = !job.dense && (pol == KvPolicy::H2O || pol == KvPolicy::Tova || pol == KvPolicy::SnapKV);
    int n = 0; // scored entries per head
    if (quest)
        n = pages;
    else if (ds)
        n = L;
    else if (observed)
        n = job.scoredTokens;
    if (n > 0)
        PL_CUDA_TRY(scores.alloc(size_t(heads) * n * 4));
    if (observed)
        PL_CUDA_TRY(cudaMemcpy(scores.get(), job.scores, size_t(heads) * n * 4, cudaMemcpyHostToDevice));
    if (quest)
        PL_CUDA_TRY(bounds.alloc(size_t(heads) * pages * d * 4));
    if (ds) {
        PL_CUDA_TRY(labels.alloc(size_t(heads) * r * 4));
        PL_CUDA_TRY(label.alloc(size_t(heads) * L * r * 2));
        PL_CUDA_TRY(cudaMemcpy(labels.get(), job.labels, size_t(heads) * r * 4, cudaMemcpyHostToDevice));
    }

    auto buildMetadata = [&] {
        if (quest)
            pageBoundsKernel<<<dim3(pages, heads), d>>>(k.get<__half>(), bounds.get<__half2>(), L, d, c.pageSize);
        if (ds)
            labelCacheKernel<<<dim3((L + 255) / 256, heads), 256>>>(k.get<__half>(), labels.get<int>(),
                                                                    label.get<__half>(), L, d, r);
    };
    auto score = [&] {
        if (quest)
            questScoreKernel<<<dim3((pages + 255) / 256, heads), 256>>>(
                q.get<__half>(), bounds.get<__half2>(), scores.get<float>(), pages, d, job.qHeads, job.kvHeads);
        if (ds)
            labelScoreKernel<<<dim3((L + 255) / 256, heads), 256>>>(q.get<__half>(), label.get<__half>(),
                                                                    labels.get<int>(), scores.get<float>(), L, L, d, r,
                                                                    job.qHeads, job.kvHeads);
    };
    auto select = [&] {
        score();
        if (job.dense)
            streamingKernel<<<heads, 256>>>(idx.get<int>(), count, count, L); // 0..L-1
        else if (pol == KvPolicy::Streaming)
            streamingKernel<<<heads, 256>>>(idx.get<int>(), count, std::min(c.sinks, count), L);
        else if (quest)
            launchTopK(scores.get<float>(), heads, n, count / c.pageSize, c.pageSize, 0, L, idx.get<int>(), count);
        else {
            const int window = (pol == KvPolicy::H2O || pol == KvPolicy::SnapKV) ? L - n : 0;
            launchTopK(scores.get<float>(), heads, n, count - window, 1, window, L, idx.get<int>(), count);
        }
    };
    IndexedDecodeArgs a;
    a.q = q.get<__half>();
    a.k = k.get<__half>();
    a.v = v.get<__half>();
    a.o = o.get<__half>();
    a.partO = partO.get<float>();
    a.partLse = partLse.get<float>();
    a.index = idx.get<int>();
    a.count = count;
    a.batch = job.batch;
    a.qHeads = job.qHeads;
    a.kvHeads = job.kvHeads;
    a.kvLen = L;
    a.headDim = d;
    a.splits = splits;

    LaunchTimer timer{job.warmup, job.repetitions, job.cancel, &flush, nullptr, "kv selection launch"};
    auto medianOf = [&](auto fn) {
        std::vector<double> ts;
        if (auto err = timer.run(
                [&] {
                    fn();
                    return cudaGetLastError();
                },
                ts))
            result.error = err;
        return ts.empty() ? 0.0 : median(ts);
    };
    result.metadataMs = medianOf(buildMetadata);
    result.scoreMs = medianOf(score);
    result.selectMs = medianOf(select);
    timer.poison = &o;
    if (!result.error)
        if (auto err = timer.run(
                [&] {
                    select();
                    return launchIndexedDecode(a, nullptr);
                },
                result.timesMs))
            result.error = err;
    if (!result.error) {
        result.output.resize(qn);
        result.index.resize(size_t(heads) * count);
        PL_CUDA_TRY(cudaMemcpy(result.output.data(), o.get(), qn * 2, cudaMemcpyDeviceToHost));
        PL_CUDA_TRY(cudaMemcpy(result.index.data(), idx.get(), result.index.size() * 4, cudaMemcpyDeviceToHost));
    }
    return result;
}

} // namespace paperlab::kernels::cuda
