// KV-selection decode on the GPU: selection kernels feeding the indexed Flash-Decoding.
//   pageBoundsKernel  Quest metadata: per page and channel, min and max key (once per page),
//                     fp16 or 8-bit codes on a scale per page (bounds_bits 8)
//   questScoreKernel  a warp per 32 pages, loads a round ahead: sum over the group's rows of
//                     sum_c max(q_c min_c, q_c max_c) (lanes over channels, 16-byte loads)
//   labelCacheKernel  Double Sparsity's label cache: the label channels of every key
//   labelCodesKernel  the same as 8- or 4-bit codes on a scale per key (label_bits 8 / 4)
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
#include "kvselect/int8_metadata.h"
#include "kvselect/kv_selection_cuda.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cuda_fp16.h>
#include <cuda_pipeline_primitives.h>
#include <math_constants.h>
#include <string>
#include <type_traits>

namespace paperlab::kernels::cuda {

namespace {

// Quest metadata, grid (pages, heads), d threads; thread c takes channel c's min and max over the page.
//   BITS 16: bounds[head][page][c] = (min, max) as an fp16 pair.
//   BITS 8:  scales[head][page] = boundScale(the page's largest |key|), bounds[head][page][c] = the
//            biased codes of the min (low byte, rounded down) and the max (high byte, rounded up)
//            on that scale; decisions in double, as the CPU makes them (int8_metadata.h).
template <int BITS>
__global__ void pageBoundsKernel(const __half *k, void *bounds, float *scales, int L, int d, int pageSize)
{
    const size_t head = blockIdx.y;
    const int page = blockIdx.x, c = threadIdx.x, pages = L / pageSize;
    const size_t at = (head * pages + page) * d + c;
    const __half *K = k + (head * L + size_t(page) * pageSize) * d + c;
    float mn = CUDART_INF_F, mx = -CUDART_INF_F;
    for (int j = 0; j < pageSize; ++j) {
        const float x = __half2float(K[size_t(j) * d]);
        mn = fminf(mn, x);
        mx = fmaxf(mx, x);
    }
    if constexpr (BITS == 16) {
        static_cast<__half2 *>(bounds)[at] = __floats2half2_rn(mn, mx);
    } else {
        __shared__ float warpMax[32];
        __shared__ float scale;
        float a = fmaxf(fabsf(mn), fabsf(mx));
        for (int x = 16; x > 0; x >>= 1)
            a = fmaxf(a, __shfl_xor_sync(0xffffffffu, a, x));
        if ((c & 31) == 0)
            warpMax[c >> 5] = a;
        __syncthreads();
        if (c == 0) {
            for (int w = 1; w < (d + 31) / 32; ++w)
                a = fmaxf(a, warpMax[w]);
            scale = int8meta::boundScale(a);
            scales[head * pages + page] = scale;
        }
        __syncthreads();
        const int lo = int8meta::floorCode(mn, scale) + int8meta::kCodeBias;
        const int hi = int8meta::ceilCode(mx, scale) + int8meta::kCodeBias;
        static_cast<uint16_t *>(bounds)[at] = uint16_t(lo | hi << 8);
    }
}

// Byte I of w, a biased code (int8_metadata.h), as a float: the byte as the mantissa under 2^23's
// exponent (one byte permute), minus 2^23 + 128. Exact, and cheaper than an int-to-float convert.
template <int I>
__device__ __forceinline__ float codeAt(unsigned w)
{
    return __uint_as_float(__byte_perm(w, 0x4B000000u, 0x7650u | I)) - 8388736.f;
}

// Byte I of w holding a 4-bit code biased by 8, as a float (as codeAt, minus 2^23 + 8).
template <int I>
__device__ __forceinline__ float nibbleAt(unsigned w)
{
    return __uint_as_float(__byte_perm(w, 0x4B000000u, 0x7650u | I)) - 8388616.f;
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

// Version 4 of Quest's page score: max(q mn, q mx) is q mx where q > 0 and q mn elsewhere, so
// the group's rows fold into two sums per channel before any page is read:
//   sum_r max(q_rc mn_c, q_rc mx_c) = P_c mx_c + N_c mn_c,  P_c = sum_r max(q_rc, 0), N_c = sum_r min(q_rc, 0)
// Two FMA per channel and page whatever the group size (version 3: four per row).
__device__ __forceinline__ void questSignedQuery(const __half *q, int group, int d, float (&pos)[4], float (&neg)[4])
{
#pragma unroll
    for (int e = 0; e < 4; ++e)
        pos[e] = neg[e] = 0.f;
    for (int r = 0; r < group; ++r) {
        const uint2 qraw = *reinterpret_cast<const uint2 *>(q + size_t(r) * d);
        const float2 a = __half22float2(*reinterpret_cast<const __half2 *>(&qraw.x));
        const float2 b = __half22float2(*reinterpret_cast<const __half2 *>(&qraw.y));
        const float x[4] = {a.x, a.y, b.x, b.y};
#pragma unroll
        for (int e = 0; e < 4; ++e) {
            pos[e] += fmaxf(x[e], 0.f);
            neg[e] += fminf(x[e], 0.f);
        }
    }
}

// Where a warp's pages of Quest bounds come from, a lane's 4 channels at a time (row: head x
// pages + page): fp16 (min, max) pairs, 16 bytes a lane; or 8-bit codes, 8 bytes a lane, and a
// scale per page that the page's total takes once.
struct QuestBounds16 {
    const __half2 *b;
    using Raw = uint4;
    __device__ Raw load(size_t row, int d, int lane) const
    {
        return *reinterpret_cast<const uint4 *>(b + row * d + 4 * lane);
    }
    // sum over the lane's channels of P_c mx_c + N_c mn_c
    __device__ float lane(Raw raw, const float (&pos)[4], const float (&neg)[4]) const
    {
        const __half2 *mm = reinterpret_cast<const __half2 *>(&raw);
        float s = 0.f;
#pragma unroll
        for (int e = 0; e < 4; ++e) {
            const float2 f = __half22float2(mm[e]); // (min, max)
            s = fmaf(pos[e], f.y, fmaf(neg[e], f.x, s));
        }
        return s;
    }
    __device__ float scale(size_t) const
    {
        return 1.f;
    }
};

struct QuestBounds8 {
    const uint16_t *b;
    const float *scales;
    using Raw = uint2;
    __device__ Raw load(size_t row, int d, int lane) const
    {
        return *reinterpret_cast<const uint2 *>(b + row * d + 4 * lane);
    }
    __device__ float lane(Raw raw, const float (&pos)[4], const float (&neg)[4]) const
    {
        float s = fmaf(pos[0], codeAt<1>(raw.x), neg[0] * codeAt<0>(raw.x));
        s = fmaf(pos[1], codeAt<3>(raw.x), fmaf(neg[1], codeAt<2>(raw.x), s));
        s = fmaf(pos[2], codeAt<1>(raw.y), fmaf(neg[2], codeAt<0>(raw.y), s));
        return fmaf(pos[3], codeAt<3>(raw.y), fmaf(neg[3], codeAt<2>(raw.y), s));
    }
    __device__ float scale(size_t row) const { return scales[row]; }
};

// Eight pages' scores summed over the warp in 9 shuffles instead of 40: each step sends the half
// of its values that the partner keeps, so a lane ends with the total of page (lane >> 2) & 7.
template <class Src>
__device__ __forceinline__ float questWarpScores8(const Src &src, const typename Src::Raw (&raw)[8],
                                                  const float (&pos)[4], const float (&neg)[4])
{
    float s[8];
#pragma unroll
    for (int i = 0; i < 8; ++i)
        s[i] = src.lane(raw[i], pos, neg);
    const int lane = threadIdx.x & 31;
    const bool h4 = lane & 16, h3 = lane & 8, h2 = lane & 4;
    float t4[4], t2[2];
#pragma unroll
    for (int j = 0; j < 4; ++j)
        t4[j] = (h4 ? s[j + 4] : s[j]) + __shfl_xor_sync(0xffffffffu, h4 ? s[j] : s[j + 4], 16);
#pragma unroll
    for (int j = 0; j < 2; ++j)
        t2[j] = (h3 ? t4[j + 2] : t4[j]) + __shfl_xor_sync(0xffffffffu, h3 ? t4[j] : t4[j + 2], 8);
    float t = (h2 ? t2[1] : t2[0]) + __shfl_xor_sync(0xffffffffu, h2 ? t2[0] : t2[1], 4);
    t += __shfl_xor_sync(0xffffffffu, t, 2);
    return t + __shfl_xor_sync(0xffffffffu, t, 1);
}

// PAPERLAB_QUEST_SCORE=3 scores pages as version 3 did (every row, 40 shuffles), to compare.
bool questSignedScores()
{
    static const bool v4 = [] {
        const char *e = std::getenv("PAPERLAB_QUEST_SCORE");
        return !(e && std::atoi(e) == 3);
    }();
    return v4;
}

template <bool signedScores, class Src>
__global__ void questScoreKernel(const __half *q, Src bounds, float *scores, int pages, int d, int qHeads, int kvHeads)
{
    // grid (pages / 256, heads), 8 warps; a warp scores 4 rounds of 8 pages, the next round's
    // bounds (8 x 16 bytes per lane) loading while this round's are used; d == 128: lanes
    // hold 4 channels.
    constexpr int PAGES = 8, ROUNDS = 4;
    const int warp = threadIdx.x >> 5, lane = threadIdx.x & 31;
    const int head = blockIdx.y, b = head / kvHeads, hk = head % kvHeads, group = qHeads / kvHeads;
    const int page0 = (blockIdx.x * 8 + warp) * PAGES * ROUNDS;
    using Raw = typename Src::Raw;
    auto load = [&](Raw(&raw)[PAGES], int first) {
#pragma unroll
        for (int i = 0; i < PAGES; ++i)
            raw[i] = first + i < pages ? bounds.load(size_t(head) * pages + first + i, d, lane) : Raw{};
    };
    const __half *qg = q + (size_t(b) * qHeads + hk * group) * d + 4 * lane;
    float pos[4], neg[4];
    if constexpr (signedScores)
        questSignedQuery(qg, group, d, pos, neg);
    Raw cur[PAGES], next[PAGES];
    load(cur, page0);
    for (int round = 0; round < ROUNDS; ++round) {
        const int first = page0 + round * PAGES;
        if (first >= pages)
            break;
        if (round + 1 < ROUNDS)
            load(next, first + PAGES);
        if constexpr (signedScores) {
            const float mine = questWarpScores8(bounds, cur, pos, neg);
            const int page = first + ((lane >> 2) & 7);
            if ((lane & 3) == 0 && page < pages)
                scores[size_t(head) * pages + page] = mine * bounds.scale(size_t(head) * pages + page);
        } else {
            static_assert(std::is_same_v<Src, QuestBounds16>, "version 3's scores read fp16 bounds");
            float s[PAGES];
            questWarpScores(cur, qg, group, d, s);
#pragma unroll
            for (int i = 0; i < PAGES; ++i) {
                if (lane == i && first + i < pages)
                    scores[size_t(head) * pages + first + i] = s[i];
            }
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

template <int BITS>
__global__ void labelCodesKernel(const __half *k, const int *labels, void *codes, __half *scales, int L, int d)
{
    // grid (tokens / 256, heads), r == 16: codes[head][j] = the 16 biased codes of key j's label
    // channels (8 bits: byte i is label i, a uint4; 4 bits: label 2i in byte i's low nibble, a
    // uint2) on scales[head][j] = labelScale(their largest |value|).
    const size_t head = blockIdx.y;
    const int j = blockIdx.x * blockDim.x + threadIdx.x;
    if (j >= L)
        return;
    float x[16], a = 0.f;
#pragma unroll
    for (int i = 0; i < 16; ++i)
        a = fmaxf(a, fabsf(x[i] = __half2float(k[(head * L + j) * d + labels[head * 16 + i]])));
    const double s = int8meta::labelScale(a, BITS);
    constexpr int perWord = 32 / BITS;
    unsigned w[16 / perWord] = {};
#pragma unroll
    for (int i = 0; i < 16; ++i)
        w[i / perWord] |= unsigned(int8meta::nearestCode(x[i], s, BITS) + int8meta::codeBias(BITS))
                          << (BITS * (i % perWord));
    if constexpr (BITS == 8)
        static_cast<uint4 *>(codes)[head * L + j] = make_uint4(w[0], w[1], w[2], w[3]);
    else
        static_cast<uint2 *>(codes)[head * L + j] = make_uint2(w[0], w[1]);
    scales[head * L + j] = __float2half_rn(float(s)); // exact: s has fp16's precision
}

// Where a token's label keys come from (row: head x L + token): fp16, two 16-byte loads; or
// 8-/4-bit codes and the token's fp16 scale. `Code` is one token's codes as stored (the staged
// selection copies them to shared memory as bytes), `of` scores one token from them.
struct LabelKeys16 {
    struct Code {
        uint4 a, b;
    };
    static constexpr bool kScaled = false;
    const Code *codes;
    const __half *scales; // unused: fp16 label keys carry no scale
    __device__ static float of(const Code &c, __half, const float *qs) { return labelScore(c.a, c.b, qs); }
    __device__ float score(size_t row, const float *qs) const { return of(codes[row], __half(), qs); }
};

// 4-bit codes: the even labels are the low nibbles of a word's bytes, the odd ones the high
// nibbles; masked into bytes, each is one permute and one add from a float (bias 8).
struct LabelKeys4 {
    using Code = uint2;
    static constexpr bool kScaled = true;
    const Code *codes;
    const __half *scales;
    __device__ static float of(const Code &c, __half scale, const float *qs)
    {
        const unsigned w[2] = {c.x, c.y};
        float s = 0.f;
#pragma unroll
        for (int i = 0; i < 2; ++i) {
            const unsigned even = w[i] & 0x0F0F0F0Fu, odd = (w[i] >> 4) & 0x0F0F0F0Fu;
            s = fmaf(qs[8 * i], nibbleAt<0>(even), s);
            s = fmaf(qs[8 * i + 1], nibbleAt<0>(odd), s);
            s = fmaf(qs[8 * i + 2], nibbleAt<1>(even), s);
            s = fmaf(qs[8 * i + 3], nibbleAt<1>(odd), s);
            s = fmaf(qs[8 * i + 4], nibbleAt<2>(even), s);
            s = fmaf(qs[8 * i + 5], nibbleAt<2>(odd), s);
            s = fmaf(qs[8 * i + 6], nibbleAt<3>(even), s);
            s = fmaf(qs[8 * i + 7], nibbleAt<3>(odd), s);
        }
        return s * __half2float(scale);
    }
    __device__ float score(size_t row, const float *qs) const
    {
        return of(codes[row], scales[row], qs);
    }
};

struct LabelKeys8 {
    using Code = uint4;
    static constexpr bool kScaled = true;
    const Code *codes;
    const __half *scales;
    __device__ static float of(const Code &c, __half scale, const float *qs)
    {
        const unsigned w[4] = {c.x, c.y, c.z, c.w};
        float s = 0.f;
#pragma unroll
        for (int i = 0; i < 4; ++i) {
            s = fmaf(qs[4 * i], codeAt<0>(w[i]), s);
            s = fmaf(qs[4 * i + 1], codeAt<1>(w[i]), s);
            s = fmaf(qs[4 * i + 2], codeAt<2>(w[i]), s);
            s = fmaf(qs[4 * i + 3], codeAt<3>(w[i]), s);
        }
        return s * __half2float(scale);
    }
    __device__ float score(size_t row, const float *qs) const
    {
        return of(codes[row], scales[row], qs);
    }
};

template <class Src>
__global__ void labelScoreKernel(const __half *q, Src label, const int *labels, float *scores, int L, int n, int d,
                                 int r, int qHeads, int kvHeads)
{
    // grid (n / 256, heads); r == 16
    __shared__ float qs[16];
    const int head = blockIdx.y, b = head / kvHeads, hk = head % kvHeads, group = qHeads / kvHeads;
    labelQuerySums(q + (size_t(b) * qHeads + hk * group) * d, labels + head * r, group, d, qs);
    const int j = blockIdx.x * blockDim.x + threadIdx.x;
    if (j >= n)
        return;
    scores[size_t(head) * n + j] = label.score(size_t(head) * L + j, qs);
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

// Phase stamps (dev knob PAPERLAB_TOPK_STAMPS=1): thread 0 of block 0 records clock64() at
// the phase boundaries of the selection kernels, the host prints the differences. Off, each
// stamp is one load of a flag and a not-taken branch.
constexpr int kStampSlots = 16;
__device__ unsigned long long gTopKStamps[kStampSlots];
__device__ int gTopKStampsOn;
__device__ __forceinline__ void stampPhase(int slot)
{
    if (gTopKStampsOn && blockIdx.x == 0 && threadIdx.x == 0 && slot < kStampSlots)
        gTopKStamps[slot] = clock64();
}

constexpr int kTopKHistBytes = kTopKCopies * kTopKBins / 2 * 4;
constexpr int kStagedMax = 32768; // keys kept in shared memory beside the histograms (128 KB)

// Version 8's placement: thread t owns entries t, t + 1024, ... (conflict-free shared reads);
// it counts what it keeps, one block scan gives its first output slots, and it writes them in a
// second walk: per entry a compare and an add, no ballots.
// The kept entries go to a shared list first (`list`, room for `cap`), then the whole block
// writes their expanded indices to o in order, coalesced: written straight from each thread,
// a kept Quest page was `expand` stores in a row by one thread, and the threads' runs of
// slots were far apart.
template <class KeyAt>
__device__ void placeByThread(KeyAt key, int n, unsigned lo, unsigned hi, unsigned ties, int keepAbove, int expand,
                              int *o, unsigned *list, int cap)
{
    __shared__ unsigned warpAbove[32], warpIn[32];
    const int tid = threadIdx.x, lane = tid & 31, warp = tid >> 5;
    const unsigned span = hi - lo;
    unsigned nAbove = 0, nIn = 0;
    for (int i = tid; i < n; i += kTopKThreads) {
        const unsigned u = key(i);
        nAbove += u > hi;
        nIn += u - lo <= span;
    }
    // Exclusive scan over the block: within the warp, then the warps before this one.
    unsigned a = nAbove, b = nIn;
#pragma unroll
    for (int x = 1; x < 32; x <<= 1) {
        const unsigned ya = __shfl_up_sync(0xffffffffu, a, x), yb = __shfl_up_sync(0xffffffffu, b, x);
        if (lane >= x) {
            a += ya;
            b += yb;
        }
    }
    if (lane == 31) {
        warpAbove[warp] = a;
        warpIn[warp] = b;
    }
    __syncthreads();
    unsigned wa = lane < warp ? warpAbove[lane] : 0u, wb = lane < warp ? warpIn[lane] : 0u;
#pragma unroll
    for (int x = 16; x > 0; x >>= 1) {
        wa += __shfl_xor_sync(0xffffffffu, wa, x);
        wb += __shfl_xor_sync(0xffffffffu, wb, x);
    }
    a += wa - nAbove;
    b += wb - nIn;
    const int kept = keepAbove + int(ties);
    const bool listed = kept <= cap;
    __syncthreads(); // list may alias the histograms of the last pass
    for (int i = tid; i < n; i += kTopKThreads) {
        const unsigned u = key(i);
        int pos = -1;
        if (u > hi)
            pos = int(a++);
        else if (u - lo <= span) {
            if (b < ties)
                pos = keepAbove + int(b);
            ++b;
        }
        if (pos >= 0) {
            if (listed)
                list[pos] = unsigned(i);
            else
                for (int e = 0; e < expand; ++e)
                    o[pos * expand + e] = i * expand + e;
        }
    }
    if (listed) {
        __syncthreads();
        for (int j = tid; j < kept * expand; j += kTopKThreads)
            o[j] = int(list[j / expand]) * expand + j % expand;
    }
}

// The whole block selects: out[0 .. k*expand) = the entries of the k largest keys (entry i
// expands to i*expand .. i*expand+expand-1), then the last `window` tokens of the cache.
// key(i) gives the order key of entry i; hist is kTopKHistBytes of shared memory.
// rangeKnown: each thread passes the min and max (tMin, tMax) of the entries it wrote, so the
// keys' range needs no pass of its own (version 8 uses them; version 5 makes its own pass, as
// it always did). Placement: version 5 by atomics (placeKept), 8 by thread (placeByThread).
template <class KeyAt>
__device__ void blockTopK(KeyAt key, int n, int k, int expand, int window, int L, int *o, unsigned *hist, int version,
                          bool rangeKnown, unsigned tMin = ~0u, unsigned tMax = 0u)
{
    stampPhase(1);
    __shared__ unsigned warpA[32], warpB[32];
    __shared__ unsigned sLo, sHi, sWant, sCount, above, taken;
    const int tid = threadIdx.x, lane = tid & 31, warp = tid >> 5;
    int copies = 1;
    while (copies < kTopKCopies && copies * 2 * 2048 <= n)
        copies *= 2;
    unsigned *myHist = hist + ((warp >> 1) & (copies - 1)) * (kTopKBins / 2);

    unsigned mn = tMin, mx = tMax;
    if (version < 8 || !rangeKnown)
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
    stampPhase(2);

    for (int pass = 0;; ++pass) {
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
        stampPhase(3 + pass);
    }
    stampPhase(12);

    // Keys above the range are kept; keys in it are kept whole, or the first `want` when the
    // range is one key (ties).
    const unsigned lo = sLo, hi = sHi, ties = sWant;
    const int keepAbove = min(k, n) - int(ties);
    if (version >= 8) {
        placeByThread(key, n, lo, hi, ties, keepAbove, expand, o, hist, kTopKHistBytes / 4);
    } else {
        for (int base = 0; base < n; base += kTopKThreads) {
            const int i = base + tid;
            const unsigned u = i < n ? key(i) : 0u;
            placeKept(i < n && u > hi, i < n && u >= lo && u <= hi, i, above, taken, ties, keepAbove, expand, o);
        }
    }
    for (int j = tid; j < window; j += kTopKThreads)
        o[k * expand + j] = L - window + j;
    stampPhase(13);
}

// Version 9, for a few keys (Quest's pages at page 64-128): a thread per key counts the keys
// above its own (4 a shared load, every thread reading the same word), keeps it when fewer than
// k are, and the kept keys take their places in index order by one ballot scan. For n = 256 this
// is ~2 instructions per pair of keys, against version 8's passes and syncs (stamps: 7.2k cycles
// for 256 pages). Ties: when equal keys straddle the k-th place more than k keys have fewer
// than k above them; it returns false and the caller runs the radix select, which keeps the
// first of the tied keys as every version does. keys: n order keys in shared memory, 16-byte
// aligned; list: room for n entries.
constexpr int kRankMaxN = 256;

__device__ bool rankTopK(const unsigned *keys, int n, int k, int expand, int window, int L, int *o, unsigned *list)
{
    __shared__ unsigned warpKept[kRankMaxN / 32];
    stampPhase(1);
    const int tid = threadIdx.x, lane = tid & 31, warp = tid >> 5, warps = (n + 31) / 32;
    k = min(k, n);
    bool keep = false;
    if (tid < n) {
        const unsigned mine = keys[tid];
        const uint4 *k4 = reinterpret_cast<const uint4 *>(keys);
        int above = 0;
#pragma unroll 4
        for (int j = 0; j < n / 4; ++j) {
            const uint4 x = k4[j];
            above += int(x.x > mine) + int(x.y > mine) + int(x.z > mine) + int(x.w > mine);
        }
        for (int j = n & ~3; j < n; ++j)
            above += int(keys[j] > mine);
        keep = above < k;
    }
    const unsigned ballot = __ballot_sync(0xffffffffu, keep);
    if (warp < warps && lane == 0)
        warpKept[warp] = __popc(ballot);
    __syncthreads();
    int before = 0, total = 0;
    for (int w = 0; w < warps; ++w) {
        const int c = int(warpKept[w]);
        total += c;
        before += w < warp ? c : 0;
    }
    if (total != k) // a tie across the k-th place (every thread sees the same total)
        return false;
    if (keep)
        list[before + __popc(ballot & ((1u << lane) - 1u))] = unsigned(tid);
    __syncthreads();
    for (int j = tid; j < k * expand; j += kTopKThreads)
        o[j] = int(list[j / expand]) * expand + j % expand;
    for (int j = tid; j < window; j += kTopKThreads)
        o[k * expand + j] = L - window + j;
    stampPhase(13);
    return true;
}

__global__ void __launch_bounds__(kTopKThreads, 1) topKKernel(const float *scores, int n, int k, int expand, int window,
                                                              int L, int *out, int count, bool staged, int version)
{
    stampPhase(0);
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
        unsigned mn = ~0u, mx = 0u; // the range, found while staging (version 8)
        auto put = [&](int i, float x) {
            const unsigned u = orderKey(x);
            keys[i] = u;
            mn = min(mn, u);
            mx = max(mx, u);
        };
#pragma unroll 8
        for (int i = threadIdx.x; i < n4; i += kTopKThreads) {
            const float4 x = reinterpret_cast<const float4 *>(s)[i];
            put(4 * i, x.x);
            put(4 * i + 1, x.y);
            put(4 * i + 2, x.z);
            put(4 * i + 3, x.w);
        }
        for (int i = 4 * n4 + threadIdx.x; i < n; i += kTopKThreads)
            put(i, s[i]);
        __syncthreads();
        if (version >= 9 && n <= kRankMaxN && rankTopK(keys, n, k, expand, window, L, out + head * count, hist))
            return;
        blockTopK([&](int i) { return keys[i]; }, n, k, expand, window, L, out + head * count, hist, version, true, mn,
                  mx);
    } else {
        blockTopK([&](int i) { return orderKey(s[i]); }, n, k, expand, window, L, out + head * count, hist, version,
                  false);
    }
}

// Quest in one block per head: the page scores (as questScoreKernel: lanes over channels, a
// warp's 8 pages loaded at once) go to shared memory as keys, then the block picks the pages.
template <bool signedScores, class Src>
__global__ void __launch_bounds__(kTopKThreads, 1)
    questSelectKernel(const __half *q, Src bounds, int pages, int d, int qHeads, int kvHeads, int kPages, int pageSize,
                      int L, int *out, int count, int version)
{
    stampPhase(0);
    extern __shared__ unsigned topKShared[];
    unsigned *hist = topKShared, *keys = topKShared + kTopKHistBytes / 4;
    constexpr int PAGES = 8;
    const int warp = threadIdx.x >> 5, lane = threadIdx.x & 31;
    const int head = blockIdx.x, b = head / kvHeads, hk = head % kvHeads, group = qHeads / kvHeads;
    const __half *qg = q + (size_t(b) * qHeads + hk * group) * d + 4 * lane;
    unsigned mn = ~0u, mx = 0u;
    auto put = [&](int page, float x) {
        const unsigned u = orderKey(x);
        keys[page] = u;
        mn = min(mn, u);
        mx = max(mx, u);
    };
    // With 8-bit bounds the warp's first pages are requested before the query is read, so the
    // two loads overlap (page 128 at 32k: the only round); fp16 bounds (16 bytes a lane and
    // page) held across the query's sums would spill.
    constexpr int stride = kTopKThreads / 32 * PAGES;
    const bool early = sizeof(typename Src::Raw) <= 8 && version >= 9; // with the ranking, to check together
    typename Src::Raw raw[PAGES];
    auto load = [&](int first) {
#pragma unroll
        for (int i = 0; i < PAGES; ++i)
            raw[i] = first + i < pages ? bounds.load(size_t(head) * pages + first + i, d, lane) : typename Src::Raw{};
    };
    if (early && warp * PAGES < pages)
        load(warp * PAGES);
    float pos[4], neg[4];
    if constexpr (signedScores)
        questSignedQuery(qg, group, d, pos, neg);
    for (int first = warp * PAGES; first < pages; first += stride) {
        if (!early || first != warp * PAGES)
            load(first);
        if constexpr (signedScores) {
            const float mine = questWarpScores8(bounds, raw, pos, neg);
            const int page = first + ((lane >> 2) & 7);
            if ((lane & 3) == 0 && page < pages)
                put(page, mine * bounds.scale(size_t(head) * pages + page));
        } else {
            static_assert(std::is_same_v<Src, QuestBounds16>, "version 3's scores read fp16 bounds");
            float s[PAGES];
            questWarpScores(raw, qg, group, d, s);
#pragma unroll
            for (int i = 0; i < PAGES; ++i) {
                if (lane == i && first + i < pages)
                    put(first + i, s[i]);
            }
        }
    }
    __syncthreads();
    if (version >= 9 && pages <= kRankMaxN &&
        rankTopK(keys, pages, kPages, pageSize, 0, L, out + size_t(head) * count, hist))
        return;
    blockTopK([&](int i) { return keys[i]; }, pages, kPages, pageSize, 0, L, out + size_t(head) * count, hist, version,
              true, mn, mx);
}

// Double Sparsity in one block per head: label scores of every token as keys in shared
// memory, then the top-k tokens.
// Version 1 (PAPERLAB_DS_STAGE=0): each thread loads its tokens' codes itself, 4 tokens in
// flight; with one block an SM that kept ~60 KB of requests in flight and the label phase ran
// at ~2.3 TB/s over the GPU (stamps: 18 us for 42 MB at 4 bits).
// Version 2: the codes and scales stream through a ring of kLabelStages shared-memory stages
// filled by cp.async (no registers held per request), kLabelStages - 1 stages (60 KB) ahead;
// the first stages are requested before the query's label sums are formed. The ring lies where
// the top-k's histograms go later, so the keys keep their 128 KB.
constexpr int kLabelStages = 4, kLabelStageBytes = 20480, kLabelRingBytes = kLabelStages * kLabelStageBytes;
constexpr int kLabelSharedHead = kLabelRingBytes > kTopKHistBytes ? kLabelRingBytes : kTopKHistBytes;

template <class Src>
constexpr int labelStageTokens()
{
    return kLabelStageBytes / int(sizeof(typename Src::Code) + (Src::kScaled ? 2 : 0)) / 8 * 8;
}

// Requests one stage's codes (then scales) of tokens [row0, row0 + tokens) as 16-byte copies;
// every thread commits one group per stage, empty or not, so the group counts stay in step.
template <class Src>
__device__ __forceinline__ void requestLabelStage(char *dst, const Src &src, size_t row0, int tokens)
{
    using Code = typename Src::Code;
    constexpr int T = labelStageTokens<Src>();
    const char *codes = reinterpret_cast<const char *>(src.codes + row0);
    const int codeChunks = tokens * int(sizeof(Code)) / 16;
    for (int c = threadIdx.x; c < codeChunks; c += kTopKThreads)
        __pipeline_memcpy_async(dst + 16 * c, codes + 16 * c, 16);
    if constexpr (Src::kScaled) {
        const char *scales = reinterpret_cast<const char *>(src.scales + row0);
        char *sdst = dst + T * sizeof(Code);
        for (int c = threadIdx.x; c < tokens / 8; c += kTopKThreads)
            __pipeline_memcpy_async(sdst + 16 * c, scales + 16 * c, 16);
    }
    __pipeline_commit();
}

template <class Src>
__global__ void __launch_bounds__(kTopKThreads, 1)
    labelSelectKernel(const __half *q, Src label, const int *labels, int L, int d, int r, int qHeads, int kvHeads,
                      int k, int *out, int count, int version, bool staged)
{
    using Code = typename Src::Code;
    stampPhase(0);
    extern __shared__ unsigned topKShared[];
    unsigned *hist = topKShared, *keys = topKShared + kLabelSharedHead / 4;
    __shared__ float qs[16];
    const int head = blockIdx.x, b = head / kvHeads, hk = head % kvHeads, group = qHeads / kvHeads;
    const size_t row0 = size_t(head) * L;
    unsigned mn = ~0u, mx = 0u;
    auto put = [&](int j, float score) {
        const unsigned u = orderKey(score);
        keys[j] = u;
        mn = min(mn, u);
        mx = max(mx, u);
    };
    if (staged) { // L % 8 == 0 (the host checks): every stage's copies are whole 16-byte chunks
        constexpr int T = labelStageTokens<Src>();
        char *ring = reinterpret_cast<char *>(topKShared);
        const int stages = (L + T - 1) / T;
        auto request = [&](int s) {
            const int t0 = s * T;
            requestLabelStage(ring + (s % kLabelStages) * kLabelStageBytes, label, row0 + t0,
                              s < stages ? min(T, L - t0) : 0);
        };
        for (int s = 0; s < kLabelStages - 1; ++s)
            request(s);
        labelQuerySums(q + (size_t(b) * qHeads + hk * group) * d, labels + head * r, group, d, qs);
        for (int s = 0; s < stages; ++s) {
            __pipeline_wait_prior(kLabelStages - 2); // this thread's copies of stage s are in
            __syncthreads();                         // everyone's are; stage s - 1's slot is free
            request(s + kLabelStages - 1);
            const char *stage = ring + (s % kLabelStages) * kLabelStageBytes;
            const Code *codes = reinterpret_cast<const Code *>(stage);
            const __half *scales = reinterpret_cast<const __half *>(stage + T * sizeof(Code));
            const int t0 = s * T, tokens = min(T, L - t0);
            for (int i = threadIdx.x; i < tokens; i += kTopKThreads)
                put(t0 + i, Src::of(codes[i], Src::kScaled ? scales[i] : __half(), qs));
        }
        __syncthreads(); // the top-k's histograms take the ring's place
    } else {
        labelQuerySums(q + (size_t(b) * qHeads + hk * group) * d, labels + head * r, group, d, qs);
#pragma unroll 4
        for (int j = threadIdx.x; j < L; j += kTopKThreads)
            put(j, label.score(row0 + j, qs));
        __syncthreads();
    }
    blockTopK([&](int i) { return keys[i]; }, L, k, 1, 0, L, out + size_t(head) * count, hist, version, true, mn, mx);
}

// PAPERLAB_DS_STAGE=1: Double Sparsity's fused selection stages its label codes (version 2).
// Off: it passed the GPU check but was slower than the per-thread loads in the same run
// (4-bit labels 0.1228 -> 0.1259 ms, run s11-1; NOTES.md), kept to compare.
bool labelStaging()
{
    static const bool on = [] {
        const char *e = std::getenv("PAPERLAB_DS_STAGE");
        return e && std::string(e) == "1";
    }();
    return on;
}

// PAPERLAB_TOPK=4, 5 or 8 runs that version of the top-k instead of 9, to compare in one run
// (version 7, placement by warp ballots, gained little and is gone: NOTES.md). Version 9 ranks
// a few keys (Quest's <= 256 pages) and is version 8 for more.
int topKVersion()
{
    static const int v = [] {
        const char *e = std::getenv("PAPERLAB_TOPK");
        const int x = e ? std::atoi(e) : 9;
        return x == 4 || x == 5 || x == 8 ? x : 9;
    }();
    return v;
}

bool stampsWanted()
{
    const char *e = std::getenv("PAPERLAB_TOPK_STAMPS");
    return e && std::string(e) == "1";
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
    return allowed && topKVersion() >= 5 && n <= kStagedMax && 2 * heads >= sms;
}

void allowLargeShared(const void *kernel, int bytes = kTopKHistBytes + kStagedMax * 4)
{
    cudaFuncSetAttribute(kernel, cudaFuncAttributeMaxDynamicSharedMemorySize, bytes);
}

void launchTopK(const float *scores, int heads, int n, int k, int expand, int window, int L, int *out, int count)
{
    if (topKVersion() >= 5 && n < kTopKMaxN) {
        const bool staged = n <= kStagedMax;
        const int smem = kTopKHistBytes + (staged ? n * 4 : 0);
        allowLargeShared(reinterpret_cast<const void *>(topKKernel));
        topKKernel<<<heads, kTopKThreads, smem>>>(scores, n, k, expand, window, L, out, count, staged, topKVersion());
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

    DeviceBuffer q, k, v, o, idx, partO, partLse, flush, scores, bounds, label, labels, metaScales;
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
    // 8-bit metadata (int8_metadata.h): bounds hold 2 bytes a channel and page, the label cache
    // 16 bytes a token; metaScales one fp32 scale a page or one fp16 scale a token.
    const bool bounds8 = quest && c.boundsBits == 8, label8 = ds && c.labelBits == 8, label4 = ds && c.labelBits == 4;
    if (quest)
        PL_CUDA_TRY(bounds.alloc(size_t(heads) * pages * d * (bounds8 ? 2 : 4)));
    if (bounds8)
        PL_CUDA_TRY(metaScales.alloc(size_t(heads) * pages * 4));
    if (ds) {
        PL_CUDA_TRY(labels.alloc(size_t(heads) * r * 4));
        PL_CUDA_TRY(label.alloc(size_t(heads) * L * r * (label4 ? 1 : label8 ? 2 : 4) / 2));
        PL_CUDA_TRY(cudaMemcpy(labels.get(), job.labels, size_t(heads) * r * 4, cudaMemcpyHostToDevice));
    }
    if (label8 || label4)
        PL_CUDA_TRY(metaScales.alloc(size_t(heads) * L * 2));

    auto buildMetadata = [&] {
        if (bounds8)
            pageBoundsKernel<8>
                <<<dim3(pages, heads), d>>>(k.get<__half>(), bounds.get(), metaScales.get<float>(), L, d, c.pageSize);
        else if (quest)
            pageBoundsKernel<16><<<dim3(pages, heads), d>>>(k.get<__half>(), bounds.get(), nullptr, L, d, c.pageSize);
        if (label8)
            labelCodesKernel<8><<<dim3((L + 255) / 256, heads), 256>>>(k.get<__half>(), labels.get<int>(), label.get(),
                                                                       metaScales.get<__half>(), L, d);
        else if (label4)
            labelCodesKernel<4><<<dim3((L + 255) / 256, heads), 256>>>(k.get<__half>(), labels.get<int>(), label.get(),
                                                                       metaScales.get<__half>(), L, d);
        else if (ds)
            labelCacheKernel<<<dim3((L + 255) / 256, heads), 256>>>(k.get<__half>(), labels.get<int>(),
                                                                    label.get<__half>(), L, d, r);
    };
    // Quest and Double Sparsity score and pick in one kernel when it fills the GPU; their
    // "score" time then includes choosing the pages or tokens. 8-bit bounds always take
    // version 4's signed scores.
    const bool fused = (quest || ds) && fusedSelection(heads, n, job.device);
    // Double Sparsity's keys sit after its staging ring (the larger of ring and histograms).
    const int smemFused = (ds ? kLabelSharedHead : kTopKHistBytes) + n * 4;
    const bool labelStaged = ds && labelStaging() && L % 8 == 0;
    const QuestBounds16 b16{bounds.get<__half2>()};
    const QuestBounds8 b8{bounds.get<uint16_t>(), metaScales.get<float>()};
    const LabelKeys16 l16{label.get<LabelKeys16::Code>(), nullptr};
    const LabelKeys8 l8{label.get<uint4>(), metaScales.get<__half>()};
    const LabelKeys4 l4{label.get<uint2>(), metaScales.get<__half>()};
    const bool signedScores = questSignedScores();
    const void *fusedKernel = nullptr;
    if (quest)
        fusedKernel = bounds8        ? reinterpret_cast<const void *>(questSelectKernel<true, QuestBounds8>)
                      : signedScores ? reinterpret_cast<const void *>(questSelectKernel<true, QuestBounds16>)
                                     : reinterpret_cast<const void *>(questSelectKernel<false, QuestBounds16>);
    else if (ds)
        fusedKernel = label8   ? reinterpret_cast<const void *>(labelSelectKernel<LabelKeys8>)
                      : label4 ? reinterpret_cast<const void *>(labelSelectKernel<LabelKeys4>)
                               : reinterpret_cast<const void *>(labelSelectKernel<LabelKeys16>);
    if (fused)
        allowLargeShared(fusedKernel, smemFused);
    auto questScores = [&](auto src, auto selectKernel, auto scoreKernel) {
        if (fused)
            selectKernel<<<heads, kTopKThreads, smemFused>>>(q.get<__half>(), src, pages, d, job.qHeads, job.kvHeads,
                                                             count / c.pageSize, c.pageSize, L, idx.get<int>(), count,
                                                             topKVersion());
        else
            scoreKernel<<<dim3((pages + 255) / 256, heads), 256>>>(q.get<__half>(), src, scores.get<float>(), pages, d,
                                                                   job.qHeads, job.kvHeads);
    };
    auto labelScores = [&](auto src) {
        using Src = decltype(src);
        if (fused)
            labelSelectKernel<Src><<<heads, kTopKThreads, smemFused>>>(q.get<__half>(), src, labels.get<int>(), L, d, r,
                                                                       job.qHeads, job.kvHeads, count, idx.get<int>(),
                                                                       count, topKVersion(), labelStaged);
        else
            labelScoreKernel<Src><<<dim3((L + 255) / 256, heads), 256>>>(
                q.get<__half>(), src, labels.get<int>(), scores.get<float>(), L, L, d, r, job.qHeads, job.kvHeads);
    };
    auto score = [&] {
        if (bounds8)
            questScores(b8, questSelectKernel<true, QuestBounds8>, questScoreKernel<true, QuestBounds8>);
        else if (quest && signedScores)
            questScores(b16, questSelectKernel<true, QuestBounds16>, questScoreKernel<true, QuestBounds16>);
        else if (quest)
            questScores(b16, questSelectKernel<false, QuestBounds16>, questScoreKernel<false, QuestBounds16>);
        if (label8)
            labelScores(l8);
        else if (label4)
            labelScores(l4);
        else if (ds)
            labelScores(l16);
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
    const bool stamps = stampsWanted() && !job.dense && pol != KvPolicy::Streaming;
    if (stamps) {
        const int on = 1;
        const unsigned long long zero[kStampSlots] = {};
        PL_CUDA_TRY(cudaMemcpyToSymbol(gTopKStamps, zero, sizeof zero));
        PL_CUDA_TRY(cudaMemcpyToSymbol(gTopKStampsOn, &on, sizeof on));
    }
    result.selectMs = medianOf(select);
    if (stamps) {
        // Block 0 of the last selection launch: cycles from each stamp to the next one set.
        const int off = 0;
        unsigned long long st[kStampSlots];
        PL_CUDA_TRY(cudaMemcpyFromSymbol(st, gTopKStamps, sizeof st));
        PL_CUDA_TRY(cudaMemcpyToSymbol(gTopKStampsOn, &off, sizeof off));
        std::fprintf(stderr, "topk stamps (policy %d, n %d, cycles):", int(pol), n);
        int prev = -1;
        for (int i = 0; i < kStampSlots; ++i) {
            if (!st[i])
                continue;
            if (prev >= 0)
                std::fprintf(stderr, " %d->%d %llu", prev, i, st[i] - st[prev]);
            prev = i;
        }
        std::fprintf(stderr, "\n");
    }
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
    // The decode alone over the index the step chose (the step without its selection): the
    // selection's share of a step is then what it adds to the step, launch gaps included,
    // besides `selectMs`, which times it alone.
    if (!result.error && !job.dense && pol != KvPolicy::Streaming) {
        std::vector<double> ts;
        if (auto err = timer.run([&] { return launchIndexedDecode(a, nullptr); }, ts))
            result.error = err;
        else
            result.attendMs = median(ts);
    }
    if (!result.error && (bounds8 || label8 || label4)) {
        const size_t entries = size_t(heads) * (bounds8 ? pages : L);
        result.metadataCodes.resize(bounds.bytes() + label.bytes());
        PL_CUDA_TRY(cudaMemcpy(result.metadataCodes.data(), bounds8 ? bounds.get() : label.get(),
                               result.metadataCodes.size(), cudaMemcpyDeviceToHost));
        result.metadataScales.resize(entries);
        if (bounds8) {
            PL_CUDA_TRY(
                cudaMemcpy(result.metadataScales.data(), metaScales.get(), entries * 4, cudaMemcpyDeviceToHost));
        } else {
            std::vector<__half> h(entries);
            PL_CUDA_TRY(cudaMemcpy(h.data(), metaScales.get(), entries * 2, cudaMemcpyDeviceToHost));
            for (size_t e = 0; e < entries; ++e)
                result.metadataScales[e] = __half2float(h[e]);
        }
    }
    return result;
}

} // namespace paperlab::kernels::cuda
