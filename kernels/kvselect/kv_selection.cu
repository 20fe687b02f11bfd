// KV-selection decode on the GPU: selection kernels feeding the indexed Flash-Decoding.
//   pageBoundsKernel  Quest metadata: per page and channel, min and max key (once per page)
//   questScoreKernel  a warp per 32 pages, loads a round ahead: sum over the group's rows of
//                     sum_c max(q_c min_c, q_c max_c) (lanes over channels, 16-byte loads)
//   labelCacheKernel  Double Sparsity's label cache: the label channels of every key
//   labelScoreKernel  thread per token: (sum of the group's q over label channels) . label keys
//   topKKernel        block per (batch, KV head): select of the k-th largest score on the
//                     scores' own key range (at most 3 passes of 11 bits), then the kept
//                     indices (pages expand to their tokens) and the recent window appended
//   questSelectKernel Quest's page scores and top-k pages in one block per head (scores stay
//                     in shared memory; used when there are enough heads to fill the GPU)
//   labelSelectKernel the same for Double Sparsity's label scores and top-k tokens
//   topKRadix8Kernel  version 4 of the top-k: 4 fixed passes of 8 bits (PAPERLAB_TOPK=4)
//   streamingKernel   sinks + recent window
#include "core/accuracy.h"
#include "cuda/gpu_job.cuh"
#include "cuda/indexed_decode.h"
#include "kvselect/kv_selection_cuda.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cuda_fp16.h>
#include <math_constants.h>
#include <string>

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

// Quest's score of PAGES pages for one warp: lanes hold 4 channels of each page's (min, max)
// bounds in raw and read the same 4 channels of each query row of the group (q: the lane's
// channels of the group's first row); the sum over rows of sum_c max(q_c min_c, q_c max_c),
// reduced over the warp, lands in every lane's s.
template <int PAGES>
__device__ __forceinline__ void questWarpScores(const uint4 (&raw)[PAGES], const __half *q, int group, int d,
                                                float (&s)[PAGES])
{
#pragma unroll
    for (int i = 0; i < PAGES; ++i)
        s[i] = 0.f;
    for (int r = 0; r < group; ++r) {
        const uint2 qraw = *reinterpret_cast<const uint2 *>(q + size_t(r) * d);
        const float2 q01 = __half22float2(*reinterpret_cast<const __half2 *>(&qraw.x));
        const float2 q23 = __half22float2(*reinterpret_cast<const __half2 *>(&qraw.y));
        const float qr[4] = {q01.x, q01.y, q23.x, q23.y};
#pragma unroll
        for (int i = 0; i < PAGES; ++i) {
            const __half2 *mm = reinterpret_cast<const __half2 *>(&raw[i]);
#pragma unroll
            for (int e = 0; e < 4; ++e) {
                const float2 f = __half22float2(mm[e]);
                s[i] += fmaxf(qr[e] * f.x, qr[e] * f.y);
            }
        }
    }
#pragma unroll
    for (int i = 0; i < PAGES; ++i)
#pragma unroll
        for (int x = 16; x > 0; x >>= 1)
            s[i] += __shfl_xor_sync(0xffffffffu, s[i], x);
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
        questWarpScores(cur, q + (size_t(b) * qHeads + hk * group) * d + 4 * lane, group, d, s);
#pragma unroll
        for (int i = 0; i < PAGES; ++i) {
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

// Double Sparsity, r == 16 label channels: qs[i] = the group's query summed over its rows at
// label channel i (q: the group's first row; thread i < 16 reads channel labels[i]); the block
// waits for it.
__device__ __forceinline__ void labelQuerySums(const __half *q, const int *labels, int group, int d, float *qs)
{
    if (threadIdx.x < 16) {
        float s = 0.f;
        for (int row = 0; row < group; ++row)
            s += __half2float(q[size_t(row) * d + labels[threadIdx.x]]);
        qs[threadIdx.x] = s;
    }
    __syncthreads();
}

// One token's label score: its 16 label keys (two 16-byte loads) . qs.
__device__ __forceinline__ float labelScore(uint4 a, uint4 c, const float *qs)
{
    const __half2 *h0 = reinterpret_cast<const __half2 *>(&a);
    const __half2 *h1 = reinterpret_cast<const __half2 *>(&c);
    float s = 0.f;
#pragma unroll
    for (int e = 0; e < 4; ++e) {
        const float2 x = __half22float2(h0[e]), y = __half22float2(h1[e]);
        s += qs[2 * e] * x.x + qs[2 * e + 1] * x.y + qs[8 + 2 * e] * y.x + qs[8 + 2 * e + 1] * y.y;
    }
    return s;
}

__global__ void labelScoreKernel(const __half *q, const __half *label, const int *labels, float *scores, int L, int n,
                                 int d, int r, int qHeads, int kvHeads)
{
    // grid (n / 256, heads); r == 16: a token's label keys are two 16-byte loads.
    __shared__ float qs[16];
    const int head = blockIdx.y, b = head / kvHeads, hk = head % kvHeads, group = qHeads / kvHeads;
    labelQuerySums(q + (size_t(b) * qHeads + hk * group) * d, labels + head * r, group, d, qs);
    const int j = blockIdx.x * blockDim.x + threadIdx.x;
    if (j >= n)
        return;
    const uint4 *src = reinterpret_cast<const uint4 *>(label + (size_t(head) * L + j) * 16);
    scores[size_t(head) * n + j] = labelScore(src[0], src[1], qs);
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
// One warp's step of a top-k's last pass: lanes whose key is above the chosen range take the
// next places from `above` (one atomic per warp), lanes in the range take the places after
// keepAbove while fewer than `ties` have; entry i expands to `expand` consecutive indices.
__device__ __forceinline__ void placeKept(bool isAbove, bool inRange, int i, unsigned &above, unsigned &taken,
                                          unsigned ties, int keepAbove, int expand, int *o)
{
    const int lane = threadIdx.x & 31;
    const unsigned below = (1u << lane) - 1;
    const unsigned gt = __ballot_sync(0xffffffffu, isAbove);
    const unsigned eq = __ballot_sync(0xffffffffu, inRange);
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
            pos = keepAbove + int(t);
    }
    if (pos >= 0)
        for (int e = 0; e < expand; ++e)
            o[pos * expand + e] = i * expand + e;
}

constexpr int kTopKWarps = 16;

__global__ void __launch_bounds__(kTopKWarps * 32)
    topKRadix8Kernel(const float *scores, int n, int k, int expand, int window, int L, int *out, int count, bool staged)
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
        placeKept(i < n && u > T, i < n && u == T, i, above, taken, ties, k - int(ties), expand, o);
    }
    for (int j = tid; j < window; j += kTopKWarps * 32)
        o[k * expand + j] = L - window + j;
}

// Version 5. Scores of one head occupy a narrow part of the 32-bit key space (attention mass
// in a few binades, q.k around +-1), so version 4's first 8-bit pass put most scores into a
// handful of bins, and a warp's atomics on one bin serialize. Here every pass splits the
// candidates' own key range [lo, hi] (first the scores' min and max) into at most 2048 bins of
// a power-of-two width: bin = (key - lo) >> shift is exact and monotone, so the bins above the
// crossing bin are all kept and the crossing bin is the next range. A range of 2^32 keys is
// down to one key after 3 passes; it stops earlier when the crossing bin is wanted whole.
// Counts: two 16-bit counts in a word, one histogram per pair of warps for 32k keys (a
// pair of warps sees at most n / 16 keys, so n < 2^20); fewer keys share fewer histograms, down
// to one below 4096 keys, since clearing and summing them is a fixed cost of every pass (Quest's
// 256 pages paid it as if they were 32k scores).
constexpr int kTopKThreads = 1024, kTopKCopies = 16, kTopKBins = 2048, kTopKMaxN = 1 << 20;
constexpr int kTopKHistBytes = kTopKCopies * kTopKBins / 2 * 4;
constexpr int kStagedMax = 32768; // keys kept in shared memory beside the histograms (128 KB)

// The whole block selects: out[0 .. k*expand) = the entries of the k largest keys (entry i
// expands to i*expand .. i*expand+expand-1), then the last `window` tokens of the cache.
// key(i) gives the order key of entry i; hist is kTopKHistBytes of shared memory.
template <class KeyAt>
__device__ void blockTopK(KeyAt key, int n, int k, int expand, int window, int L, int *o, unsigned *hist)
{
    __shared__ unsigned warpA[32], warpB[32];
    __shared__ unsigned sLo, sHi, sWant, sCount, above, taken;
    const int tid = threadIdx.x, lane = tid & 31, warp = tid >> 5;
    int copies = 1;
    while (copies < kTopKCopies && copies * 2 * 2048 <= n)
        copies *= 2;
    unsigned *myHist = hist + ((warp >> 1) & (copies - 1)) * (kTopKBins / 2);

    unsigned mn = ~0u, mx = 0u;
    for (int i = tid; i < n; i += kTopKThreads) {
        const unsigned u = key(i);
        mn = min(mn, u);
        mx = max(mx, u);
    }
#pragma unroll
    for (int x = 16; x > 0; x >>= 1) {
        mn = min(mn, __shfl_xor_sync(0xffffffffu, mn, x));
        mx = max(mx, __shfl_xor_sync(0xffffffffu, mx, x));
    }
    if (lane == 0) {
        warpA[warp] = mn;
        warpB[warp] = mx;
    }
    __syncthreads();
    if (warp == 0) {
        mn = warpA[lane];
        mx = warpB[lane];
#pragma unroll
        for (int x = 16; x > 0; x >>= 1) {
            mn = min(mn, __shfl_xor_sync(0xffffffffu, mn, x));
            mx = max(mx, __shfl_xor_sync(0xffffffffu, mx, x));
        }
        if (lane == 0) {
            sLo = mn;
            sHi = mx;
            sWant = min(k, n);
            sCount = n;
            above = 0;
            taken = 0;
        }
    }
    __syncthreads();

    for (;;) {
        const unsigned lo = sLo, hi = sHi, want = sWant;
        if (sCount == want || lo == hi)
            break;
        const int shift = max(0, 32 - __clz(int(hi - lo)) - 11);
        for (int i = tid; i < copies * kTopKBins / 2; i += kTopKThreads)
            hist[i] = 0;
        __syncthreads();
        for (int i = tid; i < n; i += kTopKThreads) {
            const unsigned u = key(i);
            if (u >= lo && u <= hi) {
                const unsigned b = (u - lo) >> shift;
                atomicAdd(&myHist[b >> 1], 1u << ((b & 1) * 16));
            }
        }
        __syncthreads();
        // Thread t owns bins 2t and 2t+1 (word t of every copy).
        unsigned c0 = 0, c1 = 0;
        for (int w = 0; w < copies; ++w) {
            const unsigned word = hist[w * (kTopKBins / 2) + tid];
            c0 += word & 0xffffu;
            c1 += word >> 16;
        }
        // Counts in higher bins (higher threads): a suffix scan in the warp, then over warps.
        const unsigned mine = c0 + c1;
        unsigned suffix = mine;
#pragma unroll
        for (int x = 1; x < 32; x <<= 1) {
            const unsigned y = __shfl_down_sync(0xffffffffu, suffix, x);
            if (lane + x < 32)
                suffix += y;
        }
        if (lane == 0)
            warpA[warp] = suffix;
        __syncthreads();
        unsigned higherWarps = 0;
        for (int w = warp + 1; w < kTopKThreads / 32; ++w)
            higherWarps += warpA[w];
        const unsigned higher = higherWarps + suffix - mine;
        if (higher < want && higher + mine >= want) {
            // The crossing bin is 2t+1 when its count reaches `want`, else 2t.
            const bool top = higher + c1 >= want;
            const unsigned b = 2u * tid + (top ? 1u : 0u);
            const unsigned long long first = (unsigned long long)lo + ((unsigned long long)b << shift);
            const unsigned long long last = first + (1ull << shift) - 1;
            sLo = unsigned(first);
            sHi = unsigned(min((unsigned long long)hi, last));
            sWant = want - (top ? higher : higher + c1);
            sCount = top ? c1 : c0;
        }
        __syncthreads();
    }

    // Keys above the range are kept; keys in it are kept whole, or the first `want` when the
    // range is one key (ties).
    const unsigned lo = sLo, hi = sHi, ties = sWant;
    const int keepAbove = min(k, n) - int(ties);
    for (int base = 0; base < n; base += kTopKThreads) {
        const int i = base + tid;
        const unsigned u = i < n ? key(i) : 0u;
        placeKept(i < n && u > hi, i < n && u >= lo && u <= hi, i, above, taken, ties, keepAbove, expand, o);
    }
    for (int j = tid; j < window; j += kTopKThreads)
        o[k * expand + j] = L - window + j;
}

__global__ void __launch_bounds__(kTopKThreads)
    topKKernel(const float *scores, int n, int k, int expand, int window, int L, int *out, int count, bool staged)
{
    // Staged: the keys are computed once into shared memory, 8 float4 loads in flight per
    // thread (measured against one load at a time: no difference, NOTES.md; the selection's
    // time is elsewhere).
    extern __shared__ unsigned topKShared[];
    unsigned *hist = topKShared, *keys = topKShared + kTopKHistBytes / 4;
    const size_t head = blockIdx.x;
    const float *s = scores + head * n;
    if (staged) {
        const bool vec = (n & 3) == 0;
        const int n4 = vec ? n / 4 : 0;
#pragma unroll 8
        for (int i = threadIdx.x; i < n4; i += kTopKThreads) {
            const float4 x = reinterpret_cast<const float4 *>(s)[i];
            keys[4 * i] = orderKey(x.x);
            keys[4 * i + 1] = orderKey(x.y);
            keys[4 * i + 2] = orderKey(x.z);
            keys[4 * i + 3] = orderKey(x.w);
        }
        for (int i = 4 * n4 + threadIdx.x; i < n; i += kTopKThreads)
            keys[i] = orderKey(s[i]);
        __syncthreads();
        blockTopK([&](int i) { return keys[i]; }, n, k, expand, window, L, out + head * count, hist);
    } else {
        blockTopK([&](int i) { return orderKey(s[i]); }, n, k, expand, window, L, out + head * count, hist);
    }
}

// Quest in one block per head: the page scores (as questScoreKernel: lanes over channels, a
// warp's 8 pages loaded at once) go to shared memory as keys, then the block picks the pages.
__global__ void __launch_bounds__(kTopKThreads)
    questSelectKernel(const __half *q, const __half2 *bounds, int pages, int d, int qHeads, int kvHeads, int kPages,
                      int pageSize, int L, int *out, int count)
{
    extern __shared__ unsigned topKShared[];
    unsigned *hist = topKShared, *keys = topKShared + kTopKHistBytes / 4;
    constexpr int PAGES = 8;
    const int warp = threadIdx.x >> 5, lane = threadIdx.x & 31;
    const int head = blockIdx.x, b = head / kvHeads, hk = head % kvHeads, group = qHeads / kvHeads;
    for (int first = warp * PAGES; first < pages; first += kTopKThreads / 32 * PAGES) {
        uint4 raw[PAGES];
#pragma unroll
        for (int i = 0; i < PAGES; ++i)
            raw[i] = first + i < pages
                         ? *reinterpret_cast<const uint4 *>(bounds + (size_t(head) * pages + first + i) * d + 4 * lane)
                         : make_uint4(0u, 0u, 0u, 0u);
        float s[PAGES];
        questWarpScores(raw, q + (size_t(b) * qHeads + hk * group) * d + 4 * lane, group, d, s);
#pragma unroll
        for (int i = 0; i < PAGES; ++i) {
            if (lane == i && first + i < pages)
                keys[first + i] = orderKey(s[i]);
        }
    }
    __syncthreads();
    blockTopK([&](int i) { return keys[i]; }, pages, kPages, pageSize, 0, L, out + size_t(head) * count, hist);
}

// Double Sparsity in one block per head: label scores of every token (two 16-byte loads
// each, 4 tokens in flight per thread) as keys in shared memory, then the top-k tokens.
__global__ void __launch_bounds__(kTopKThreads)
    labelSelectKernel(const __half *q, const __half *label, const int *labels, int L, int d, int r, int qHeads,
                      int kvHeads, int k, int *out, int count)
{
    extern __shared__ unsigned topKShared[];
    unsigned *hist = topKShared, *keys = topKShared + kTopKHistBytes / 4;
    __shared__ float qs[16];
    const int head = blockIdx.x, b = head / kvHeads, hk = head % kvHeads, group = qHeads / kvHeads;
    labelQuerySums(q + (size_t(b) * qHeads + hk * group) * d, labels + head * r, group, d, qs);
    const uint4 *src = reinterpret_cast<const uint4 *>(label + size_t(head) * L * 16);
#pragma unroll 4
    for (int j = threadIdx.x; j < L; j += kTopKThreads) {
        keys[j] = orderKey(labelScore(src[2 * j], src[2 * j + 1], qs));
    }
    __syncthreads();
    blockTopK([&](int i) { return keys[i]; }, L, k, 1, 0, L, out + size_t(head) * count, hist);
}

int topKVersion()
{
    static const int v = [] {
        const char *e = std::getenv("PAPERLAB_TOPK");
        return e && std::atoi(e) == 4 ? 4 : 5;
    }();
    return v;
}

// One block per head: fused selection needs the heads to fill the GPU, the keys to fit in
// shared memory, and version 5 (PAPERLAB_FUSED_SELECT=0 turns it off, to compare).
bool fusedSelection(int heads, int n, int device)
{
    static const bool allowed = [] {
        const char *e = std::getenv("PAPERLAB_FUSED_SELECT");
        return !(e && std::string(e) == "0");
    }();
    int sms = 0;
    cudaDeviceGetAttribute(&sms, cudaDevAttrMultiProcessorCount, device);
    return allowed && topKVersion() == 5 && n <= kStagedMax && 2 * heads >= sms;
}

void allowLargeShared(const void *kernel)
{
    cudaFuncSetAttribute(kernel, cudaFuncAttributeMaxDynamicSharedMemorySize, kTopKHistBytes + kStagedMax * 4);
}

void launchTopK(const float *scores, int heads, int n, int k, int expand, int window, int L, int *out, int count)
{
    if (topKVersion() == 5 && n < kTopKMaxN) {
        const bool staged = n <= kStagedMax;
        const int smem = kTopKHistBytes + (staged ? n * 4 : 0);
        allowLargeShared(reinterpret_cast<const void *>(topKKernel));
        topKKernel<<<heads, kTopKThreads, smem>>>(scores, n, k, expand, window, L, out, count, staged);
        return;
    }
    const bool staged = n <= 32768; // 128 KB of shared memory
    const int smem = staged ? n * 4 : 0;
    cudaFuncSetAttribute(topKRadix8Kernel, cudaFuncAttributeMaxDynamicSharedMemorySize, 32768 * 4);
    topKRadix8Kernel<<<heads, kTopKWarps * 32, smem>>>(scores, n, k, expand, window, L, out, count, staged);
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
    // Quest and Double Sparsity score and pick in one kernel when it fills the GPU; their
    // "score" time then includes choosing the pages or tokens.
    const bool fused = (quest || ds) && fusedSelection(heads, n, job.device);
    const int smemFused = kTopKHistBytes + n * 4;
    if (fused)
        allowLargeShared(quest ? reinterpret_cast<const void *>(questSelectKernel)
                               : reinterpret_cast<const void *>(labelSelectKernel));
    auto score = [&] {
        if (quest && fused)
            questSelectKernel<<<heads, kTopKThreads, smemFused>>>(q.get<__half>(), bounds.get<__half2>(), pages, d,
                                                                  job.qHeads, job.kvHeads, count / c.pageSize,
                                                                  c.pageSize, L, idx.get<int>(), count);
        else if (quest)
            questScoreKernel<<<dim3((pages + 255) / 256, heads), 256>>>(
                q.get<__half>(), bounds.get<__half2>(), scores.get<float>(), pages, d, job.qHeads, job.kvHeads);
        if (ds && fused)
            labelSelectKernel<<<heads, kTopKThreads, smemFused>>>(q.get<__half>(), label.get<__half>(),
                                                                  labels.get<int>(), L, d, r, job.qHeads, job.kvHeads,
                                                                  count, idx.get<int>(), count);
        else if (ds)
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
        else if (fused)
            return;
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
