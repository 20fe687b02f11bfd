// Fused KIVI / SKVQ decode: split-KV attention that reads the packed 2/4/8-bit cache directly.
//
// Grid (1 + splits, kv heads, batch), 4 warps. Block x = 0 attends to the fp16 residual window
// (the last tokens, read in place from the fp16 cache); blocks 1.. each stream a contiguous run
// of 32-token records (kivi_fragment_layout.h). Each warp takes every 4th record of its block,
// copies it into its own 3-deep shared-memory ring with 16-byte cp.async (coalesced; no block
// barrier in the loop), and works on it with mma.sync, the query heads of this KV head as the
// rows of one m16 tile (each byte read once for the whole group):
//   S = (q * kscale) . codes^T + q . kmin     KIVI's per-channel K: the scale folds into the
//                                             query once per record, the minimum is a bias
//   O += (p * vscale) . codes + p . vmin      per-token V: the scale folds into P per group
// Codes become fp16 with one shift/and/or (1024 + code is exact in fp16) and one subtract.
// SKVQ runs on the same records (version 8): its K groups run along the channels of one token,
// so its scales apply to the keys (S^T's rows) instead of the query (skvqScores), and both K and
// V are over the head's channel permutation (q gathered through it, O scattered back).
// The splits write partial outputs and log-sum-exps; the shared combine pass merges them.
#include "core/accuracy.h"
#include "cuda/gpu_job.cuh"
#include "cuda/mma_helpers.cuh"
#include "cuda/split_combine.cuh"
#include "kvquant/kivi_fragment_layout.h"
#include "kvquant/kivi_fused_cuda.h"
#include "kvquant/kv_quantize.cuh"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <cuda_fp16.h>
#include <math_constants.h>
#include <string>

namespace paperlab::kernels::cuda {

namespace {

constexpr int kWarps = 4;
// Ring depth per warp: with 4 blocks per SM (registers capped at 128) 2 records keep 16 warps'
// loads in flight (about 80 KB per SM at 4 bits) and still fit in shared memory; with 3 blocks
// (168 registers, no spills) 3 records do. 2-bit records are small enough for 3 either way.
constexpr int stagesFor(int bits, int minBlocks)
{
    return bits == 8 || (bits == 4 && minBlocks == 4) ? 2 : 3;
}
constexpr int kMaxRows = 8;
constexpr int D = kivi::kHeadDim;

struct FusedParams {
    const __half *q;
    const unsigned char *rec;
    const __half *k;
    const __half *v;
    float *partO;
    float *partLse;
    const uint16_t *kPerm; // SKVQ: stored channel c of head h is channel kPerm[h * D + c] (K), vPerm (V)
    const uint16_t *vPerm;
    int qHeads, kvHeads, L, qBegin, qEnd, nb, splits, bps;
    float scaleLog2;
};

template <int BITS, int MINB>
constexpr int fusedSmemBytes()
{
    constexpr int ring = kWarps * stagesFor(BITS, MINB) * kivi::recordBytes(BITS);
    constexpr int merge = kWarps * kMaxRows * (D + 6) * 4;
    return ring > merge ? ring : merge;
}

// How a pair of codes becomes a half2: Offset = 1024 + code (exact; one shift and one LOP3, the
// 1024 taken off elsewhere), Subnormal = code * 2^-24 (the bits themselves: a shift and an AND;
// the 2^24 goes into the scale the mma result is used with). (Version 4's Plain, code itself,
// cost an HSUB2 more per pair.)
enum class CodeForm { Offset, Subnormal };

template <CodeForm FORM>
__device__ __forceinline__ uint32_t codePair(uint32_t word, int shift, uint32_t mask)
{
    const uint32_t x = (word >> shift) & mask;
    return FORM == CodeForm::Offset ? x | 0x64006400u : x;
}

// Transposes an 8x8 matrix of 16-bit values held as one mma fragment (lane: row lane / 4,
// columns 2 (lane % 4), +1) in registers.
__device__ __forceinline__ uint32_t transpose8x8(uint32_t x)
{
    uint32_t y;
    asm volatile("movmatrix.sync.aligned.m8n8.trans.b16 %0, %1;\n" : "=r"(y) : "r"(x));
    return y;
}

__device__ __forceinline__ uint32_t hmul2(uint32_t a, uint32_t b)
{
    __half2 h = __hmul2(*reinterpret_cast<const __half2 *>(&a), *reinterpret_cast<const __half2 *>(&b));
    return *reinterpret_cast<uint32_t *>(&h);
}

__device__ __forceinline__ uint32_t halfPair(__half lo, __half hi)
{
    return uint32_t(__half_as_ushort(lo)) | uint32_t(__half_as_ushort(hi)) << 16;
}

__device__ __forceinline__ float quadSumF(float v)
{
    v += __shfl_xor_sync(0xffffffffu, v, 1);
    return v + __shfl_xor_sync(0xffffffffu, v, 2);
}

template <int BITS>
__device__ __forceinline__ void loadCodeWords(uint32_t (&w)[2 * BITS], const unsigned char *section, int tile, int lane)
{
#pragma unroll
    for (int j = 0; j < BITS / 2; ++j) {
        const uint4 c = *reinterpret_cast<const uint4 *>(section + ((tile * (BITS / 2) + j) * 32 + lane) * 16);
        w[4 * j] = c.x;
        w[4 * j + 1] = c.y;
        w[4 * j + 2] = c.z;
        w[4 * j + 3] = c.w;
    }
}

template <int BITS, CodeForm FORM>
__device__ __forceinline__ uint32_t pairAt(const uint32_t (&w)[2 * BITS], int pi)
{
    constexpr uint32_t mask = ((1u << BITS) - 1) * 0x00010001u;
    return codePair<FORM>(w[kivi::pairWord(BITS, pi)], kivi::pairShift(BITS, pi), mask);
}

// Version 8 reads a pair in place (kivi_fragment_layout.h): shift indices i < kDirect need only
// a mask (code * 2^(BITS i) stays exact, BITS (i + 1) <= 10), the rest come from the word
// shifted once by kBase (the compiler keeps one shifted copy per word). The mma of group q of
// pairs then carries a factor 2^pairFactorLog2: q' takes it off for K, the merge for V.
template <int BITS>
struct InPlace {
    static constexpr int kDirect = 10 / BITS;
    static constexpr int kBase = BITS * kDirect;
    static_assert(kivi::pairsPerWord(BITS) - kDirect <= kDirect, "shifted pairs must fit in place too");
    static constexpr int factorLog2(int group)
    {
        const int i = group % kivi::pairsPerWord(BITS);
        return i < kDirect ? BITS * i : BITS * i - kBase;
    }
};

// 2^-f in both halves of an fp16 pair (exponent 15 - f; 0 <= f <= 14): the factor that takes an
// in-place pair group's 2^f off q.
__device__ __forceinline__ constexpr uint32_t halfPairPow2Neg(int f)
{
    return (uint32_t(15 - f) << 10) * 0x00010001u;
}

template <int BITS, CodeForm FORM>
__device__ __forceinline__ uint32_t pairInPlace(const uint32_t (&w)[2 * BITS], int pi)
{
    constexpr uint32_t mask = ((1u << BITS) - 1) * 0x00010001u;
    const int s = kivi::pairShift(BITS, pi);
    const uint32_t word = w[kivi::pairWord(BITS, pi)];
    const uint32_t x = s < InPlace<BITS>::kBase ? word & (mask << s)
                                                : (word >> InPlace<BITS>::kBase) & (mask << (s - InPlace<BITS>::kBase));
    return FORM == CodeForm::Offset ? x | 0x64006400u : x;
}

template <int BITS, CodeForm FORM, bool IN_PLACE>
__device__ __forceinline__ uint32_t pairFor(const uint32_t (&w)[2 * BITS], int pi)
{
    if constexpr (IN_PLACE)
        return pairInPlace<BITS, FORM>(w, pi);
    else
        return pairAt<BITS, FORM>(w, pi);
}

// The V minimums of a tile's keys (2t, 2t+1 | 2t+8, 2t+9) for group g, as two half2: lanes g < 4
// hold them (one group each), the others zeros.
template <int BITS>
__device__ __forceinline__ uint2 vMinPairs(const unsigned char *r, int tile, int lane)
{
    const int g = lane >> 2, t = lane & 3;
    return g < 4 ? *reinterpret_cast<const uint2 *>(r + kivi::vParamOffset(BITS) + kivi::vMinByte(tile, t, 0, g))
                 : make_uint2(0u, 0u);
}

// O^T += codes^T . (p * vscale)^T for one 16-key tile of a record, per 32-channel group (two m
// tiles): p01 / p89 are P of row g as B fragments (keys 2t, 2t+1 | 2t+8, 2t+9), scaled per group.
template <int BITS, CodeForm FORM, bool IN_PLACE = false>
__device__ __forceinline__ void accumulateV(float (&o)[8][4], const uint32_t (&vw)[2 * BITS], const unsigned char *r,
                                            int tile, int lane, uint32_t p01, uint32_t p89)
{
    const int t = lane & 3;
    const uint4 s01 = *reinterpret_cast<const uint4 *>(r + kivi::vParamOffset(BITS) + (tile * 4 + t) * 32);
    const uint4 s23 = *reinterpret_cast<const uint4 *>(r + kivi::vParamOffset(BITS) + (tile * 4 + t) * 32 + 16);
    const uint32_t sc2[4][2] = {{s01.x, s01.y}, {s01.z, s01.w}, {s23.x, s23.y}, {s23.z, s23.w}};
#pragma unroll
    for (int grp = 0; grp < 4; ++grp) {
        const uint32_t b0 = hmul2(p01, sc2[grp][0]), b1 = hmul2(p89, sc2[grp][1]);
#pragma unroll
        for (int mm = 0; mm < 2; ++mm) {
            const int mt = grp * 2 + mm;
            const uint32_t a[4] = {
                pairFor<BITS, FORM, IN_PLACE>(vw, mt * 4), pairFor<BITS, FORM, IN_PLACE>(vw, mt * 4 + 1),
                pairFor<BITS, FORM, IN_PLACE>(vw, mt * 4 + 2), pairFor<BITS, FORM, IN_PLACE>(vw, mt * 4 + 3)};
            Mma<__half>::run(o[mt], a, b0, b1);
        }
    }
}

// SKVQ's S^T for one 16-key tile: keys g and g+8 of this lane each have four per-token groups
// of 32 stored channels with their own scale and minimum, which fall on S^T's rows (the keys),
// not on q. So each group's two ksteps accumulate apart (K codes as subnormals, code * 2^-24,
// q' = q * 2^-f per kstep) and are scaled per key in fp32; sum_g min_g * qsum_g is one more mma
// (A = the keys' mins for k = groups 0-3 and again for 4-7, B = qsum's fp16 head and tail).
// st comes out times 2^-24 (the caller multiplies it back with the softmax scale).
template <int BITS>
__device__ __forceinline__ void skvqScores(float (&st)[4], const uint32_t (&kw)[2 * BITS], const unsigned char *r,
                                           int tile, int lane, const uint32_t (&qs)[8][2], uint32_t qsumB)
{
    const int g = lane >> 2, t = lane & 3;
    const unsigned char *kp = r + kivi::kParamOffset(BITS);
    const uint4 sc = *reinterpret_cast<const uint4 *>(kp + kivi::skvqKScaleByte(tile, g, 0, 0));
    const uint4 mn = *reinterpret_cast<const uint4 *>(kp + kivi::skvqKMinByte(tile, g, 0, 0));
    {
        const uint32_t am[4] = {(t & 1) ? mn.y : mn.x, (t & 1) ? mn.w : mn.z, 0u, 0u};
        st[0] = st[1] = st[2] = st[3] = 0.f;
        Mma<__half>::run(st, am, qsumB, 0u);
#pragma unroll
        for (int i = 0; i < 4; ++i)
            st[i] *= 5.9604644775390625e-8f; // 2^-24, as the code products below
    }
    const float2 sg01 = __half22float2(*reinterpret_cast<const __half2 *>(&sc.x)); // key g, groups 0, 1
    const float2 sg23 = __half22float2(*reinterpret_cast<const __half2 *>(&sc.y));
    const float2 sh01 = __half22float2(*reinterpret_cast<const __half2 *>(&sc.z)); // key g + 8
    const float2 sh23 = __half22float2(*reinterpret_cast<const __half2 *>(&sc.w));
    const float sk[2][4] = {{sg01.x, sg01.y, sg23.x, sg23.y}, {sh01.x, sh01.y, sh23.x, sh23.y}};
#pragma unroll
    for (int grp = 0; grp < 4; ++grp) {
        float acc[4] = {0.f, 0.f, 0.f, 0.f};
#pragma unroll
        for (int kk = 0; kk < 2; ++kk) {
            const int w = 2 * grp + kk;
            const uint32_t a[4] = {pairInPlace<BITS, CodeForm::Subnormal>(kw, w * 4),
                                   pairInPlace<BITS, CodeForm::Subnormal>(kw, w * 4 + 2),
                                   pairInPlace<BITS, CodeForm::Subnormal>(kw, w * 4 + 1),
                                   pairInPlace<BITS, CodeForm::Subnormal>(kw, w * 4 + 3)};
            Mma<__half>::run(acc, a, qs[w][0], qs[w][1]);
        }
        st[0] = fmaf(sk[0][grp], acc[0], st[0]);
        st[1] = fmaf(sk[0][grp], acc[1], st[1]);
        st[2] = fmaf(sk[1][grp], acc[2], st[2]);
        st[3] = fmaf(sk[1][grp], acc[3], st[3]);
    }
}

// P is scaled by 2^kPScaleLog2 in version 7 (exp2 of s - m + 10: free) so that P * vscale stays a
// normal fp16 while the V codes enter as subnormals; every sum over P carries it and is undone once.
constexpr float kPScaleLog2 = 10.f;

// VERSION 7: S^T with the keys on m (the record's K B fragments of two key tiles are one A
// fragment), P transposed into B fragments by movmatrix, the V codes as subnormals; 8: 7 with the
// pairs read in place (a mask per pair, one shift per word instead of one per pair). Versions 1-6
// and what each gained are in NOTES.md (session 8 took 4-6 out of this file).
// SKVQ (version 8 only): K per token in groups of 32 stored channels, both K and V over the
// head's channel permutation, sink tokens [0, qBegin) in fp16 beside the window.
template <int BITS, int MINB, int VERSION, bool SKVQ = false>
__global__ void __launch_bounds__(kWarps * 32, MINB) kiviFusedKernel(const FusedParams p)
{
    static_assert(!SKVQ || VERSION >= 8, "SKVQ runs on version 8's in-place pairs");
    constexpr int R = kivi::recordBytes(BITS), kStages = stagesFor(BITS, MINB);
    extern __shared__ __align__(16) unsigned char smem[];
    const int tid = threadIdx.x, warp = tid >> 5, lane = tid & 31, g = lane >> 2, t = lane & 3;
    const int hk = blockIdx.y, b = blockIdx.z, slot = blockIdx.x, S = p.splits + 1;
    const int group = p.qHeads / p.kvHeads;
    const size_t head = size_t(b) * p.kvHeads + hk;
    const size_t rowBase = size_t(b) * p.qHeads + size_t(hk) * group;
    float *mo = reinterpret_cast<float *>(smem); // [warp][row][D], after the loop
    float *mm = mo + kWarps * kMaxRows * D;
    float *ml = mm + kWarps * kMaxRows;

    if (slot > 0) {
        const int blk0 = (slot - 1) * p.bps, blk1 = min(p.nb, blk0 + p.bps);
        const int count = blk1 - blk0 > warp ? (blk1 - blk0 - warp + kWarps - 1) / kWarps : 0;
        unsigned char *ring = smem + warp * kStages * R;
        const unsigned char *recs = p.rec + (head * p.nb + blk0 + warp) * size_t(R);
        auto issue = [&](int i) {
            const unsigned char *src = recs + size_t(i) * kWarps * R;
            unsigned char *dst = ring + (i % kStages) * R;
#pragma unroll
            for (int c = lane; c < R / 16; c += 32)
                cpAsync16(dst + c * 16, src + c * 16, true);
        };
        uint32_t qh[8][2];  // q of row g as fp16 pairs: channels (2t, 2t+1) and (2t+8, 2t+9) of each kstep
        uint32_t qsumB = 0; // SKVQ: the B fragment of sum_{c in group} q_c (see skvqScores)
        if constexpr (SKVQ) {
            const bool real = g < group;
            const __half *Q = p.q + (rowBase + (real ? g : 0)) * D;
            const uint16_t *perm = p.kPerm + head * D;
            float part[4] = {0.f, 0.f, 0.f, 0.f};
#pragma unroll
            for (int w = 0; w < 8; ++w)
#pragma unroll
                for (int h = 0; h < 2; ++h) {
                    const int c = 16 * w + 2 * t + 8 * h;
                    const __half lo = real ? Q[perm[c]] : __half(0.f), hi = real ? Q[perm[c + 1]] : __half(0.f);
                    part[w / 2] += __half2float(lo) + __half2float(hi);
                    // The kstep's codes enter as code * 2^f (in place): q * 2^-f, exact, keeps S.
                    qh[w][h] = hmul2(halfPair(lo, hi), halfPairPow2Neg(InPlace<BITS>::factorLog2(w)));
                }
            // Row g's group sums, split into an fp16 head and tail (exact to ~2^-22) as the bias
            // mma's B: k = 2t, 2t+1 holds the heads of groups (0, 1) for t = 0, (2, 3) for t = 1 and
            // the tails for t = 2, 3.
            __half hs[4], ts[4];
#pragma unroll
            for (int grp = 0; grp < 4; ++grp) {
                part[grp] = quadSumF(part[grp]);
                hs[grp] = __float2half_rn(part[grp]);
                ts[grp] = __float2half_rn(part[grp] - __half2float(hs[grp]));
            }
            const uint32_t heads = (t & 1) ? halfPair(hs[2], hs[3]) : halfPair(hs[0], hs[1]);
            const uint32_t tails = (t & 1) ? halfPair(ts[2], ts[3]) : halfPair(ts[0], ts[1]);
            qsumB = t < 2 ? heads : tails;
        } else {
            const bool real = g < group;
            const __half *Q = p.q + (rowBase + (real ? g : 0)) * D;
#pragma unroll
            for (int w = 0; w < 8; ++w)
#pragma unroll
                for (int h = 0; h < 2; ++h)
                    qh[w][h] = real ? *reinterpret_cast<const uint32_t *>(Q + 16 * w + 2 * t + 8 * h) : 0u;
        }
        float o[8][4]; // O^T: channels 16mt + g (+8) x rows 2t, 2t+1
#pragma unroll
        for (int mt = 0; mt < 8; ++mt)
            o[mt][0] = o[mt][1] = o[mt][2] = o[mt][3] = 0.f;
        float vb[4] = {0.f, 0.f, 0.f, 0.f}; // mma C: p . vmin of row g, groups 2t and 2t+1 (lanes t < 2)
        float m2[2] = {-CUDART_INF_F, -CUDART_INF_F}, l2[2] = {0.f, 0.f}; // rows 2t, 2t+1
#pragma unroll
        for (int s = 0; s < kStages - 1; ++s) {
            if (s < count)
                issue(s);
            cpAsyncCommit();
        }
        for (int i = 0; i < count; ++i) {
            if (i + kStages - 1 < count)
                issue(i + kStages - 1);
            cpAsyncCommit();
            cpAsyncWait<kStages - 1>();
            __syncwarp();
            const unsigned char *r = ring + (i % kStages) * R;

            // (q * kscale) as A fragments (rows g; rows g+8 are zero, HMUL2 rounds as the fp32 product
            // would), and the row bias on the tensor cores: q . kmin (B = the min pairs, every column
            // alike) less 1024 * sum_c q'_c (the K codes enter as 1024 + code, so no subtract per pair;
            // B = 1024 everywhere, A = q' exactly as rounded).
            uint32_t qa[8][2];
            float bias = 0.f;
            if constexpr (SKVQ) {
                // no per-channel scales: skvqScores applies the per-key ones to S^T's rows
            } else {
                // Both row biases from one mma per kstep (version 5). A holds q in rows g and q' in
                // rows g+8 (rows that were zero); B holds the min pairs in columns 0-3 and 1024 in
                // columns 4-7. Lanes t < 2 get q . kmin (row g, column 2t), lanes t >= 2 get
                // 1024 * sum q' (row g+8, column 2t); one shuffle pairs them. 8 mma a record fewer.
                float qc[4] = {0.f, 0.f, 0.f, 0.f};
#pragma unroll
                for (int w = 0; w < 8; ++w) {
                    const uint4 raw = *reinterpret_cast<const uint4 *>(r + kivi::kParamOffset(BITS) + (w * 4 + t) * 16);
                    qa[w][0] = hmul2(qh[w][0], raw.x);
                    qa[w][1] = hmul2(qh[w][1], raw.y);
                    if constexpr (VERSION >= 8) {
                        // This kstep's codes enter as 1024 + code * 2^f: q' * 2^-f (exact) keeps S.
                        const int f = InPlace<BITS>::factorLog2(w);
                        if (f != 0) {
                            qa[w][0] = hmul2(qa[w][0], halfPairPow2Neg(f));
                            qa[w][1] = hmul2(qa[w][1], halfPairPow2Neg(f));
                        }
                    }
                    const uint32_t a[4] = {qh[w][0], qa[w][0], qh[w][1], qa[w][1]};
                    Mma<__half>::run(qc, a, g < 4 ? raw.z : 0x64006400u, g < 4 ? raw.w : 0x64006400u);
                }
                const float mine = t < 2 ? qc[0] : qc[2];
                const float other = __shfl_xor_sync(0xffffffffu, mine, 2);
                bias = t < 2 ? mine - other : other - mine;
            }

            {
                const float pOff = kPScaleLog2;
                // This lane's rows are 2t and 2t+1 now; their biases sit in the lanes of row g.
                const float bias0 = SKVQ ? 0.f : __shfl_sync(0xffffffffu, bias, 8 * t);
                const float bias1 = SKVQ ? 0.f : __shfl_sync(0xffffffffu, bias, 8 * t + 4);
                // S^T = codes . q'^T: keys g and g+8 of a 16-key tile on m, query rows on n. The
                // record's B fragments of key tiles 2i and 2i+1 are the A fragment of keys 16i..16i+15
                // (a0, a2 from the first, a1, a3 from the second) and q' is already a B fragment.
                float st[2][4]; // tile: (key g, row 2t), (key g, row 2t+1), (key g+8, row 2t), (key g+8, 2t+1)
#pragma unroll
                for (int tile = 0; tile < 2; ++tile) {
                    uint32_t kw[2 * BITS];
                    loadCodeWords<BITS>(kw, r + kivi::kCodeOffset(BITS), tile, lane);
                    if constexpr (SKVQ) {
                        skvqScores<BITS>(st[tile], kw, r, tile, lane, qh, qsumB);
                        continue;
                    }
                    st[tile][0] = st[tile][1] = st[tile][2] = st[tile][3] = 0.f;
#pragma unroll
                    for (int w = 0; w < 8; ++w) {
                        constexpr bool IP = VERSION >= 8;
                        const uint32_t a[4] = {pairFor<BITS, CodeForm::Offset, IP>(kw, w * 4),
                                               pairFor<BITS, CodeForm::Offset, IP>(kw, w * 4 + 2),
                                               pairFor<BITS, CodeForm::Offset, IP>(kw, w * 4 + 1),
                                               pairFor<BITS, CodeForm::Offset, IP>(kw, w * 4 + 3)};
                        Mma<__half>::run(st[tile], a, qa[w][0], qa[w][1]);
                    }
                }
                // Online softmax per row (2t + e) over the keys, which lie across g: lanes 4 apart.
                float mx[2] = {-CUDART_INF_F, -CUDART_INF_F};
#pragma unroll
                for (int tile = 0; tile < 2; ++tile)
#pragma unroll
                    for (int i = 0; i < 4; ++i) {
                        st[tile][i] = SKVQ ? st[tile][i] * (p.scaleLog2 * 16777216.f) // skvqScores' 2^-24
                                           : (st[tile][i] + ((i & 1) ? bias1 : bias0)) * p.scaleLog2;
                        mx[i & 1] = fmaxf(mx[i & 1], st[tile][i]);
                    }
                float corr[2];
#pragma unroll
                for (int e = 0; e < 2; ++e) {
#pragma unroll
                    for (int x = 4; x < 32; x <<= 1)
                        mx[e] = fmaxf(mx[e], __shfl_xor_sync(0xffffffffu, mx[e], x));
                    const float mNew = fmaxf(m2[e], mx[e]);
                    corr[e] = fastExp2(m2[e] - mNew);
                    m2[e] = mNew;
                    l2[e] *= corr[e];
                }
#pragma unroll
                for (int tile = 0; tile < 2; ++tile)
#pragma unroll
                    for (int i = 0; i < 4; ++i) {
                        st[tile][i] = fastExp2(st[tile][i] - (m2[i & 1] - pOff));
                        l2[i & 1] += st[tile][i];
                    }
                if (!__all_sync(0xffffffffu, corr[0] == 1.f && corr[1] == 1.f)) {
                    // O^T's columns and p . vmin's columns are rows 2t, 2t+1: this lane's own rows.
#pragma unroll
                    for (int mt = 0; mt < 8; ++mt) {
                        o[mt][0] *= corr[0];
                        o[mt][1] *= corr[1];
                        o[mt][2] *= corr[0];
                        o[mt][3] *= corr[1];
                    }
                    vb[0] *= corr[0];
                    vb[1] *= corr[1];
                }
#pragma unroll
                for (int tile = 0; tile < 2; ++tile) {
                    uint32_t vw[2 * BITS];
                    loadCodeWords<BITS>(vw, r + kivi::vCodeOffset(BITS), tile, lane);
                    // P^T as B fragments (row g; keys 2t, 2t+1 | 2t+8, 2t+9): each 8-key half of the
                    // tile's P (keys x rows) transposed in registers.
                    const uint32_t p01 = transpose8x8(Mma<__half>::pack(st[tile][0], st[tile][1]));
                    const uint32_t p89 = transpose8x8(Mma<__half>::pack(st[tile][2], st[tile][3]));
                    // vmin^T . P^T: groups on m (lanes g < 4), rows on n, so the result lands in the
                    // lanes that rescale rows 2t, 2t+1.
                    {
                        const uint2 mn = vMinPairs<BITS>(r, tile, lane);
                        const uint32_t am[4] = {mn.x, 0u, mn.y, 0u};
                        Mma<__half>::run(vb, am, p01, p89);
                    }
                    accumulateV<BITS, CodeForm::Subnormal, (VERSION >= 8)>(o, vw, r, tile, lane, p01, p89);
                }
            }
            __syncwarp(); // the next issue overwrites this stage
        }
        cpAsyncWait<0>();
        float *mvb = ml + kWarps * kMaxRows; // [warp][row][group]: p . vmin
        {
            // Undo P's 2^kPScaleLog2 and the V codes' 2^-24 (subnormals) here, once.
            const float pUnscale = exp2f(-kPScaleLog2);
            const float oScale = exp2f(24.f - kPScaleLog2);
#pragma unroll
            for (int e = 0; e < 2; ++e)
#pragma unroll
                for (int x = 4; x < 32; x <<= 1)
                    l2[e] += __shfl_xor_sync(0xffffffffu, l2[e], x);
            __syncthreads(); // other warps' rings overlap the merge area
#pragma unroll
            for (int e = 0; e < 2; ++e) {
                const int row = 2 * t + e;
                if (row < group && g == 0) {
                    mm[warp * kMaxRows + row] = m2[e];
                    ml[warp * kMaxRows + row] = l2[e] * pUnscale;
                }
                if (row < group && g < 4)
                    mvb[(warp * kMaxRows + row) * 4 + g] = vb[e] * pUnscale;
            }
            __syncwarp();
#pragma unroll
            for (int e = 0; e < 2; ++e) {
                const int row = 2 * t + e;
                if (row < group)
#pragma unroll
                    for (int mt = 0; mt < 8; ++mt)
#pragma unroll
                        for (int h = 0; h < 2; ++h) {
                            const int ch = 16 * mt + g + 8 * h;
                            // Version 8: this m-tile's codes carried 2^f (read in place).
                            const float f = VERSION >= 8 ? exp2f(float(-InPlace<BITS>::factorLog2(mt))) : 1.f;
                            const int to = SKVQ ? int(p.vPerm[head * D + ch]) : ch; // SKVQ: the original channel
                            mo[(warp * kMaxRows + row) * D + to] =
                                o[mt][2 * h + e] * (oScale * f) + mvb[(warp * kMaxRows + row) * 4 + ch / 32];
                        }
            }
        }
    } else {
        // The fp16 window [qEnd, L): lanes over channels (4 each), a warp per key, butterfly sums.
        const __half *K = p.k + head * size_t(p.L) * D;
        const __half *V = p.v + head * size_t(p.L) * D;
        float qr[kMaxRows][4], o[kMaxRows][4], m[kMaxRows], l[kMaxRows];
#pragma unroll
        for (int r = 0; r < kMaxRows; ++r) {
            const uint2 raw =
                r < group ? *reinterpret_cast<const uint2 *>(p.q + (rowBase + r) * D + 4 * lane) : make_uint2(0, 0);
            const float2 a = __half22float2(*reinterpret_cast<const __half2 *>(&raw.x));
            const float2 c = __half22float2(*reinterpret_cast<const __half2 *>(&raw.y));
            qr[r][0] = a.x;
            qr[r][1] = a.y;
            qr[r][2] = c.x;
            qr[r][3] = c.y;
            o[r][0] = o[r][1] = o[r][2] = o[r][3] = 0.f;
            m[r] = -CUDART_INF_F;
            l[r] = 0.f;
        }
        // SKVQ's sinks [0, qBegin) come first (KIVI: qBegin = 0), then the window.
        const int resid = p.qBegin + (p.L - p.qEnd);
#pragma unroll 2
        for (int jv = warp; jv < resid; jv += kWarps) {
            const int j = jv < p.qBegin ? jv : p.qEnd + (jv - p.qBegin);
            const uint2 kr = *reinterpret_cast<const uint2 *>(K + size_t(j) * D + 4 * lane);
            const uint2 vr = *reinterpret_cast<const uint2 *>(V + size_t(j) * D + 4 * lane);
            const float2 k0 = __half22float2(*reinterpret_cast<const __half2 *>(&kr.x));
            const float2 k1 = __half22float2(*reinterpret_cast<const __half2 *>(&kr.y));
            const float2 v0 = __half22float2(*reinterpret_cast<const __half2 *>(&vr.x));
            const float2 v1 = __half22float2(*reinterpret_cast<const __half2 *>(&vr.y));
#pragma unroll
            for (int r = 0; r < kMaxRows; ++r) {
                if (r >= group)
                    break;
                float d = qr[r][0] * k0.x + qr[r][1] * k0.y + qr[r][2] * k1.x + qr[r][3] * k1.y;
#pragma unroll
                for (int x = 16; x > 0; x >>= 1)
                    d += __shfl_xor_sync(0xffffffffu, d, x);
                const float s = d * p.scaleLog2, mNew = fmaxf(m[r], s);
                const float corr = fastExp2(m[r] - mNew), pr = fastExp2(s - mNew);
                m[r] = mNew;
                l[r] = l[r] * corr + pr;
                o[r][0] = o[r][0] * corr + pr * v0.x;
                o[r][1] = o[r][1] * corr + pr * v0.y;
                o[r][2] = o[r][2] * corr + pr * v1.x;
                o[r][3] = o[r][3] * corr + pr * v1.y;
            }
        }
        __syncthreads();
#pragma unroll
        for (int r = 0; r < kMaxRows; ++r) {
            if (r < group) {
#pragma unroll
                for (int e = 0; e < 4; ++e)
                    mo[(warp * kMaxRows + r) * D + 4 * lane + e] = o[r][e];
                if (lane == 0) {
                    mm[warp * kMaxRows + r] = m[r];
                    ml[warp * kMaxRows + r] = l[r];
                }
            }
        }
    }
    __syncthreads();
    for (int i = tid; i < group * D; i += kWarps * 32) {
        const int r = i / D, c = i % D;
        float mMax = -CUDART_INF_F;
#pragma unroll
        for (int w = 0; w < kWarps; ++w)
            mMax = fmaxf(mMax, mm[w * kMaxRows + r]);
        float l = 0.f, acc = 0.f;
        if (mMax != -CUDART_INF_F) {
#pragma unroll
            for (int w = 0; w < kWarps; ++w) {
                const float f = exp2f(mm[w * kMaxRows + r] - mMax);
                l += ml[w * kMaxRows + r] * f;
                acc += mo[(w * kMaxRows + r) * D + c] * f;
            }
        }
        const size_t row = rowBase + r;
        p.partO[(row * S + slot) * D + c] = l > 0.f ? acc / l : 0.f;
        if (c == 0)
            p.partLse[row * S + slot] = l > 0.f ? mMax + log2f(l) : -CUDART_INF_F;
    }
}

// Quantize-on-append, step 1: the new token's K and V go to the fp16 window.
__global__ void appendTokenKernel(const __half *kNew, const __half *vNew, __half *k, __half *v, int L, int pos)
{
    const size_t head = blockIdx.x;
    const int lane = threadIdx.x; // 32 threads: 16 copy K, 16 copy V (16 bytes each)
    const __half *src = (lane < 16 ? kNew : vNew) + head * D + (lane & 15) * 8;
    __half *dst = (lane < 16 ? k : v) + (head * L + pos) * D + (lane & 15) * 8;
    *reinterpret_cast<uint4 *>(dst) = *reinterpret_cast<const uint4 *>(src);
}

// Quantize-on-append, step 2 (every 32 tokens): the oldest full group of the window becomes a
// record. KIVI's K per channel (thread = channel), V and SKVQ's K per token group (thread =
// token x group, over the head's channel permutation, ranges clipped), then the record's words
// assembled from shared memory in the fragment layout.
template <int BITS, bool SKVQ>
__global__ void __launch_bounds__(128)
    closeGroupKernel(const __half *k, const __half *v, const uint16_t *kPerm, const uint16_t *vPerm, float clip,
                     unsigned char *out, int L, int t0, size_t outStride)
{
    constexpr int LEVELS = (1 << BITS) - 1, R = kivi::recordBytes(BITS), P = kivi::pairsPerWord(BITS);
    __shared__ unsigned char kc[32][D], vc[32][D];
    __shared__ uint32_t kp[D], kpar[32][4], vpar[32][4];
    const size_t head = blockIdx.x;
    const int tid = threadIdx.x;
    const __half *K = k + (head * L + t0) * D;
    const __half *V = v + (head * L + t0) * D;
    auto quantize = [&](auto load, auto store) {
        float x[32], mn = CUDART_INF_F, mx = -CUDART_INF_F;
#pragma unroll
        for (int i = 0; i < 32; ++i) {
            x[i] = load(i);
            mn = fminf(mn, x[i]);
            mx = fmaxf(mx, x[i]);
        }
        __half sh, mh;
        float sf, mf;
        groupParams(mn, mx, SKVQ ? clip : 1.f, LEVELS, sh, sf, mh, mf);
#pragma unroll
        for (int i = 0; i < 32; ++i)
            store(i, (unsigned char)codeOf(x[i], mf, sf, LEVELS));
        return uint32_t(__half_as_ushort(sh)) | uint32_t(__half_as_ushort(mh)) << 16;
    };
    const int tok = tid >> 2, grp = tid & 3;
    const uint16_t *kpm = SKVQ ? kPerm + head * D : nullptr,
                   *vpm = SKVQ ? vPerm + head * D : nullptr; // stored -> channel
    if constexpr (SKVQ)
        kpar[tok][grp] = quantize([&](int i) { return __half2float(K[tok * D + kpm[grp * 32 + i]]); },
                                  [&](int i, unsigned char c) { kc[tok][grp * 32 + i] = c; });
    else
        kp[tid] = quantize([&](int i) { return __half2float(K[i * D + tid]); },
                           [&](int i, unsigned char c) { kc[i][tid] = c; });
    vpar[tok][grp] =
        quantize([&](int i) { return __half2float(V[tok * D + (SKVQ ? vpm[grp * 32 + i] : grp * 32 + i)]); },
                 [&](int i, unsigned char c) { vc[tok][grp * 32 + i] = c; });
    __syncthreads();
    uint32_t *dst = reinterpret_cast<uint32_t *>(out + head * outStride);
    for (int wi = tid; wi < R / 4; wi += 128) {
        const int byte = wi * 4;
        uint32_t word = 0;
        if (byte < kivi::kParamOffset(BITS)) {
            const bool isK = byte < kivi::vCodeOffset(BITS);
            const int off = isK ? byte : byte - kivi::vCodeOffset(BITS);
            const int chunk = off / 16, e = (off % 16) / 4, lane = chunk % 32, tj = chunk / 32;
            const int tile = tj / (BITS / 2), wl = (tj % (BITS / 2)) * 4 + e;
#pragma unroll
            for (int i = 0; i < P; ++i) {
                int key, ch;
                uint32_t lo, hi;
                if (isK) {
                    kivi::kPairSource(tile, lane, kivi::pairAtWord(BITS, wl, i), key, ch);
                    lo = kc[key][ch];
                    hi = kc[key][ch + 1];
                } else {
                    kivi::vPairSource(tile, lane, kivi::pairAtWord(BITS, wl, i), key, ch);
                    lo = vc[key][ch];
                    hi = vc[key + 1][ch];
                }
                word |= lo << (BITS * i) | hi << (16 + BITS * i);
            }
        } else if (SKVQ && byte < kivi::vParamOffset(BITS)) {
            // [tile][g] x (scales of key g, of key g + 8, their mins), 4 groups each; kpar = scale | min << 16
            const int off = byte - kivi::kParamOffset(BITS), tile = off / 256, gg = (off / 32) % 8;
            const int part = (off % 32) / 8, grp0 = 2 * ((off % 8) / 4), sh = part < 2 ? 0 : 16;
            const int key = tile * kivi::kTileKeys + gg + 8 * (part & 1);
            word = (kpar[key][grp0] >> sh & 0xffffu) | (kpar[key][grp0 + 1] >> sh & 0xffffu) << 16;
        } else if (byte < kivi::vParamOffset(BITS)) {
            // [kstep][t] x (scale pair, scale pair, min pair, min pair); kp = scale | min << 16
            const int idx = (byte - kivi::kParamOffset(BITS)) / 4, comp = idx % 4, t = (idx / 4) % 4, kstep = idx / 16;
            const int c0 = kivi::kParamChannel(kstep, t, 2 * (comp & 1)), sh = comp < 2 ? 0 : 16;
            word = (kp[c0] >> sh & 0xffffu) | (kp[c0 + 1] >> sh & 0xffffu) << 16;
        } else {
            // scales then mins: [tile][t][grp] x (keys 2t, 2t+1 | 2t+8, 2t+9)
            const int off = byte - kivi::vParamOffset(BITS), sh = off < 256 ? 0 : 16, idx = (off % 256) / 4;
            const int h = idx % 2, grp = (idx / 2) % 4, t = (idx / 8) % 4, tile = idx / 32;
            const int key = kivi::vParamKey(tile, t, 2 * h);
            word = (vpar[key][grp] >> sh & 0xffffu) | (vpar[key + 1][grp] >> sh & 0xffffu) << 16;
        }
        dst[wi] = word;
    }
}

// PAPERLAB_KIVI_VERSION=7 runs that version instead of 8, to compare in one run.
int kiviVersion()
{
    static const int version = [] {
        const char *env = std::getenv("PAPERLAB_KIVI_VERSION");
        const int v = env ? std::atoi(env) : 8;
        return v == 7 ? 7 : 8;
    }();
    return version;
}

template <int BITS, int MINB>
cudaError_t launchFused(const FusedParams &p, int batch, bool skvq, __half *o, cudaStream_t stream)
{
    constexpr int smem = fusedSmemBytes<BITS, MINB>();
    const int version = skvq ? 8 : kiviVersion();
    const auto kernel = version == 7 ? kiviFusedKernel<BITS, MINB, 7>
                        : skvq       ? kiviFusedKernel<BITS, MINB, 8, true>
                                     : kiviFusedKernel<BITS, MINB, 8>;
    cudaError_t e = cudaFuncSetAttribute(kernel, cudaFuncAttributeMaxDynamicSharedMemorySize, smem);
    if (e != cudaSuccess)
        return e;
    kernel<<<dim3(p.splits + 1, p.kvHeads, batch), kWarps * 32, smem, stream>>>(p);
    launchCombineSplits<__half, D>(p.partO, p.partLse, o, batch * p.qHeads, p.splits + 1, stream);
    return cudaGetLastError();
}

template <int BITS>
void launchCloseGroup(const __half *k, const __half *v, const uint16_t *kPerm, const uint16_t *vPerm, float clip,
                      unsigned char *out, int heads, int L, int t0, size_t stride)
{
    if (kPerm)
        closeGroupKernel<BITS, true><<<heads, 128>>>(k, v, kPerm, vPerm, clip, out, L, t0, stride);
    else
        closeGroupKernel<BITS, false><<<heads, 128>>>(k, v, kPerm, vPerm, clip, out, L, t0, stride);
}

// Blocks per SM the kernel is built for: the 168-register build (3 blocks per SM, a deeper ring
// per block) for 4-bit records when the heads fill the GPU, the 128-register build (4) otherwise.
// Measured (NOTES.md, run s9-1, medians of 3 rounds): 4-bit b16 x 32k 0.1919 -> 0.1889 ms with 3,
// but b1 x 128k 0.0663 -> 0.0735 and 2-bit b16 x 32k 0.1622 -> 0.1645 lose with it.
// PAPERLAB_KIVI_BLOCKS=3 or 4 forces one build (a dev knob for the comparison).
int minBlocks(int bits, int heads, int sms)
{
    const char *env = std::getenv("PAPERLAB_KIVI_BLOCKS");
    if (env && (std::string(env) == "3" || std::string(env) == "4"))
        return env[0] - '0';
    return bits == 4 && 2 * heads >= sms ? 3 : 4;
}

int smemFor(int bits, int minb)
{
    if (minb == 3)
        return bits == 2 ? fusedSmemBytes<2, 3>() : bits == 4 ? fusedSmemBytes<4, 3>() : fusedSmemBytes<8, 3>();
    return bits == 2 ? fusedSmemBytes<2, 4>() : bits == 4 ? fusedSmemBytes<4, 4>() : fusedSmemBytes<8, 4>();
}

template <int MINB>
cudaError_t launchFusedBits(const FusedParams &p, int bits, int batch, bool skvq, __half *o)
{
    return bits == 2   ? launchFused<2, MINB>(p, batch, skvq, o, nullptr)
           : bits == 4 ? launchFused<4, MINB>(p, batch, skvq, o, nullptr)
                       : launchFused<8, MINB>(p, batch, skvq, o, nullptr);
}

} // namespace

GpuKiviFusedResult runKiviFusedDecodeGpu(const GpuKiviFusedJob &job)
{
    GpuKiviFusedResult result;
    PL_CUDA_TRY(cudaSetDevice(job.device));
    const KvQuantConfig &c = job.config;
    const int L = job.kvLen, bits = c.bits, R = kivi::recordBytes(bits);
    const size_t heads = size_t(job.batch) * job.kvHeads;
    const KvRanges rg = kvRanges(L, c);
    const int nb = rg.quantTokens() / kivi::kGroup;
    const bool skvq = c.method == KvMethod::Skvq;
    const size_t qn = size_t(job.batch) * job.qHeads * D, kn = heads * L * D;

    DeviceBuffer q, k, v, o, rec, partO, partLse, flush, newK, newV, scratch, kPerm, vPerm;
    PL_CUDA_TRY(q.alloc(qn * 2));
    PL_CUDA_TRY(k.alloc(kn * 2));
    PL_CUDA_TRY(v.alloc(kn * 2));
    PL_CUDA_TRY(o.alloc(qn * 2));
    PL_CUDA_TRY(rec.alloc(heads * nb * size_t(R)));
    PL_CUDA_TRY(cudaMemcpy(q.get(), job.q, qn * 2, cudaMemcpyHostToDevice));
    PL_CUDA_TRY(cudaMemcpy(k.get(), job.k, kn * 2, cudaMemcpyHostToDevice));
    PL_CUDA_TRY(cudaMemcpy(v.get(), job.v, kn * 2, cudaMemcpyHostToDevice));
    PL_CUDA_TRY(cudaMemcpy(rec.get(), job.records, heads * nb * size_t(R), cudaMemcpyHostToDevice));
    if (skvq) {
        if (!job.kPerm || !job.vPerm) {
            result.error = RunError{ErrorCode::BadParameter, "method", "SKVQ needs the channel permutations"};
            return result;
        }
        PL_CUDA_TRY(kPerm.alloc(heads * D * 2));
        PL_CUDA_TRY(vPerm.alloc(heads * D * 2));
        PL_CUDA_TRY(cudaMemcpy(kPerm.get(), job.kPerm, heads * D * 2, cudaMemcpyHostToDevice));
        PL_CUDA_TRY(cudaMemcpy(vPerm.get(), job.vPerm, heads * D * 2, cudaMemcpyHostToDevice));
    }
    int l2 = 0, sms = 0, maxSmem = 0;
    PL_CUDA_TRY(cudaDeviceGetAttribute(&l2, cudaDevAttrL2CacheSize, job.device));
    PL_CUDA_TRY(cudaDeviceGetAttribute(&sms, cudaDevAttrMultiProcessorCount, job.device));
    PL_CUDA_TRY(cudaDeviceGetAttribute(&maxSmem, cudaDevAttrMaxSharedMemoryPerMultiprocessor, job.device));
    PL_CUDA_TRY(flush.alloc(size_t(l2) * 4));

    const int minb = minBlocks(bits, int(heads), sms);
    const int perSm = std::max(1, std::min(maxSmem / (smemFor(bits, minb) + 1024), minb));
    // Measured (NOTES.md, batch 16 x 32k): at 2 and 4 bits shorter blocks in about three waves
    // balance best (12 splits 0.229 ms, 4: 0.247, 3: 0.283); 8-bit records leave 3 blocks per SM
    // and do best in one wave that also holds the residual blocks (2 splits 0.339, 3: 0.397).
    // With heads for under half the SMs (batch 1 x 128k, version 7) half a wave of long blocks beats a
    // fuller one: 28 splits 0.067 ms, 55: 0.077, 110: 0.102.
    const int slots = bits == 8               ? std::max(int(heads), sms * perSm - int(heads))
                      : 2 * int(heads) >= sms ? 3 * sms * perSm
                                              : sms * perSm / 2;
    int splits = job.numSplits > 0 ? job.numSplits
                                   : chooseSplits(int(heads), nb * kivi::kGroup, slots, kWarps * 4 * kivi::kGroup, 64);
    splits = std::max(1, std::min(splits, std::max(1, nb)));
    const int bps = std::max(1, (nb + splits - 1) / splits);
    splits = std::max(1, (nb + bps - 1) / bps);
    result.numSplitsUsed = splits;
    PL_CUDA_TRY(partO.alloc(qn * (splits + 1) * 4));
    PL_CUDA_TRY(partLse.alloc(size_t(job.batch) * job.qHeads * (splits + 1) * 4));

    FusedParams p{q.get<__half>(),
                  rec.get<unsigned char>(),
                  k.get<__half>(),
                  v.get<__half>(),
                  partO.get<float>(),
                  partLse.get<float>(),
                  skvq ? kPerm.get<uint16_t>() : nullptr,
                  skvq ? vPerm.get<uint16_t>() : nullptr,
                  job.qHeads,
                  job.kvHeads,
                  L,
                  rg.qBegin,
                  rg.qEnd,
                  nb,
                  splits,
                  bps,
                  float(1.4426950408889634 / std::sqrt(double(D)))};
    auto launch = [&] {
        return minb == 3 ? launchFusedBits<3>(p, bits, job.batch, skvq, o.get<__half>())
                         : launchFusedBits<4>(p, bits, job.batch, skvq, o.get<__half>());
    };

    LaunchTimer timer{job.warmup, job.repetitions, job.cancel, &flush, &o, "fused KIVI launch"};
    auto medianOf = [&](auto fn) {
        std::vector<double> ts;
        if (auto err = timer.run(fn, ts))
            result.error = err;
        return ts.empty() ? 0.0 : median(ts);
    };
    if (auto err = timer.run(launch, result.timesMs))
        result.error = err;
    timer.poison = nullptr;
    if (!result.error) {
        result.output.resize(qn);
        PL_CUDA_TRY(cudaMemcpy(result.output.data(), o.get(), qn * 2, cudaMemcpyDeviceToHost));
    }

    // Quantize-on-append, timed apart on the same cache (after the decode's output is saved).
    if (!result.error && nb > 0) {
        PL_CUDA_TRY(newK.alloc(heads * D * 2));
        PL_CUDA_TRY(newV.alloc(heads * D * 2));
        PL_CUDA_TRY(scratch.alloc(heads * size_t(R)));
        PL_CUDA_TRY(cudaMemcpy(newK.get(), k.get(), heads * D * 2, cudaMemcpyDeviceToDevice));
        PL_CUDA_TRY(cudaMemcpy(newV.get(), v.get(), heads * D * 2, cudaMemcpyDeviceToDevice));
        const int t0 = rg.qBegin + (nb - 1) * kivi::kGroup;
        const uint16_t *kp = skvq ? kPerm.get<uint16_t>() : nullptr, *vp = skvq ? vPerm.get<uint16_t>() : nullptr;
        const float clip = skvq ? float(c.clip) : 1.f;
        auto close = [&] {
            const __half *kh = k.get<__half>(), *vh = v.get<__half>();
            unsigned char *dst = scratch.get<unsigned char>();
            bits == 2   ? launchCloseGroup<2>(kh, vh, kp, vp, clip, dst, int(heads), L, t0, R)
            : bits == 4 ? launchCloseGroup<4>(kh, vh, kp, vp, clip, dst, int(heads), L, t0, R)
                        : launchCloseGroup<8>(kh, vh, kp, vp, clip, dst, int(heads), L, t0, R);
            return cudaGetLastError();
        };
        result.closeGroupMs = medianOf(close);
        std::vector<unsigned char> got(heads * size_t(R));
        PL_CUDA_TRY(cudaMemcpy(got.data(), scratch.get(), got.size(), cudaMemcpyDeviceToHost));
        double bad = 0;
        for (size_t h = 0; h < heads; ++h)
            for (int i = 0; i < R; ++i)
                bad += got[h * R + i] != job.records[(h * nb + nb - 1) * size_t(R) + i];
        result.closeGroupMismatchBytes = bad;
        // Appending overwrites position 0 of every head: harmless now that the decode's output
        // and the close-group check are done.
        auto append = [&] {
            appendTokenKernel<<<int(heads), 32>>>(newK.get<__half>(), newV.get<__half>(), k.get<__half>(),
                                                  v.get<__half>(), L, 0);
            return cudaGetLastError();
        };
        result.appendMs = medianOf(append);
    }
    return result;
}

} // namespace paperlab::kernels::cuda
