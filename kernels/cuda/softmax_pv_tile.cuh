// Shared by the SageAttention and block-sparse kernels: one warp owns 16 query
// rows; a step takes that warp's 16 x 64 score tile (mma C layout, log2 domain, masked
// entries -inf), updates the online softmax, and adds P V with fp16 mma.sync m16n8k16, V
// read from a transposed shared tile sVt[D][kVtStride] (channel-major, so each B fragment
// register is one aligned 32-bit load).
//
// C layout of an m16n8 tile (g = lane / 4, t = lane % 4): c0,c1 row g cols 2t,2t+1; c2,c3
// row g+8. Score n-tile nt covers keys nt*8..nt*8+7.
#pragma once

#include "cuda/mma_helpers.cuh"

#include <math_constants.h>

namespace paperlab::kernels::cuda::pvtile {

constexpr int kKeys = 64;            // keys per step
constexpr int kVtStride = kKeys + 8; // halves per sVt row: 36 words, conflict-free B loads

template <int D>
struct PvState {
    float o[D / 8][4];
    float m[2]; // running max per row half (row g, row g+8), log2 domain
    float l[2]; // this thread's partial row sums
    __device__ __forceinline__ void init()
    {
#pragma unroll
        for (int i = 0; i < D / 8; ++i)
            o[i][0] = o[i][1] = o[i][2] = o[i][3] = 0.f;
        m[0] = m[1] = -CUDART_INF_F;
        l[0] = l[1] = 0.f;
    }
};

// Keys key0..key0+63 of a [rows][D] fp16 matrix into sVt (transposed); rows >= keyLimit are zeros.
template <int D, int THREADS>
__device__ __forceinline__ void loadVTransposed(__half *sVt, const __half *V, int key0, int keyLimit, int tid)
{
    constexpr int CH = D / 8;
    for (int i = tid; i < kKeys * CH; i += THREADS) {
        const int r = i / CH, c = i % CH;
        uint4 val = make_uint4(0, 0, 0, 0);
        if (key0 + r < keyLimit)
            val = *reinterpret_cast<const uint4 *>(V + size_t(key0 + r) * D + c * 8);
        const __half *h = reinterpret_cast<const __half *>(&val);
#pragma unroll
        for (int e = 0; e < 8; ++e)
            sVt[(c * 8 + e) * kVtStride + r] = h[e];
    }
}

template <int D>
__device__ __forceinline__ void softmaxPvStep(PvState<D> &st, float (&s)[kKeys / 8][4], const __half *sVt, int lane)
{
    const int g = lane >> 2, t = lane & 3;
#pragma unroll
    for (int half = 0; half < 2; ++half) {
        float mx = -CUDART_INF_F;
#pragma unroll
        for (int nt = 0; nt < kKeys / 8; ++nt)
            mx = fmaxf(mx, fmaxf(s[nt][2 * half], s[nt][2 * half + 1]));
        mx = quadMax(mx);
        const float mNew = fmaxf(st.m[half], mx);
        const float mSafe = mNew == -CUDART_INF_F ? 0.f : mNew; // a fully masked row so far
        const float corr = fastExp2(st.m[half] - mSafe);
        float sum = 0.f;
#pragma unroll
        for (int nt = 0; nt < kKeys / 8; ++nt) {
            s[nt][2 * half] = fastExp2(s[nt][2 * half] - mSafe);
            s[nt][2 * half + 1] = fastExp2(s[nt][2 * half + 1] - mSafe);
            sum += s[nt][2 * half] + s[nt][2 * half + 1];
        }
        st.l[half] = st.l[half] * corr + sum;
        st.m[half] = mNew;
#pragma unroll
        for (int dt = 0; dt < D / 8; ++dt) {
            st.o[dt][2 * half] *= corr;
            st.o[dt][2 * half + 1] *= corr;
        }
    }
#pragma unroll
    for (int ks = 0; ks < kKeys / 16; ++ks) {
        uint32_t a[4];
        a[0] = Mma<__half>::pack(s[2 * ks][0], s[2 * ks][1]);
        a[1] = Mma<__half>::pack(s[2 * ks][2], s[2 * ks][3]);
        a[2] = Mma<__half>::pack(s[2 * ks + 1][0], s[2 * ks + 1][1]);
        a[3] = Mma<__half>::pack(s[2 * ks + 1][2], s[2 * ks + 1][3]);
#pragma unroll
        for (int dt = 0; dt < D / 8; ++dt) {
            const __half *vrow = sVt + (dt * 8 + g) * kVtStride + ks * 16 + 2 * t;
            const uint32_t b0 = *reinterpret_cast<const uint32_t *>(vrow);
            const uint32_t b1 = *reinterpret_cast<const uint32_t *>(vrow + 8);
            Mma<__half>::run(st.o[dt], a, b0, b1);
        }
    }
}

// Version 2 of the step: V stays row-major in shared memory (rows of D + 8 halves, so the
// 8 rows an ldmatrix phase reads fall in different banks; filled by cp.async), and the B
// fragments come from ldmatrix.x4.trans: matrices (keys 0-7 | 8-15) x (channels 0-7 | 8-15)
// give b0/b1 of two 8-channel n-tiles.
template <int D>
constexpr int kVRowStride = D + 8;

template <int D>
__device__ __forceinline__ void softmaxPvStepRowMajorV(PvState<D> &st, float (&s)[kKeys / 8][4], const __half *sV,
                                                       int lane)
{
#pragma unroll
    for (int half = 0; half < 2; ++half) {
        float mx = -CUDART_INF_F;
#pragma unroll
        for (int nt = 0; nt < kKeys / 8; ++nt)
            mx = fmaxf(mx, fmaxf(s[nt][2 * half], s[nt][2 * half + 1]));
        mx = quadMax(mx);
        const float mNew = fmaxf(st.m[half], mx);
        const float mSafe = mNew == -CUDART_INF_F ? 0.f : mNew;
        const float corr = fastExp2(st.m[half] - mSafe);
        float sum = 0.f;
#pragma unroll
        for (int nt = 0; nt < kKeys / 8; ++nt) {
            s[nt][2 * half] = fastExp2(s[nt][2 * half] - mSafe);
            s[nt][2 * half + 1] = fastExp2(s[nt][2 * half + 1] - mSafe);
            sum += s[nt][2 * half] + s[nt][2 * half + 1];
        }
        st.l[half] = st.l[half] * corr + sum;
        st.m[half] = mNew;
#pragma unroll
        for (int dt = 0; dt < D / 8; ++dt) {
            st.o[dt][2 * half] *= corr;
            st.o[dt][2 * half + 1] *= corr;
        }
    }
    const int ldRow = (lane & 7) + ((lane >> 3) & 1) * 8, ldCol = (lane >> 4) * 8;
#pragma unroll
    for (int ks = 0; ks < kKeys / 16; ++ks) {
        uint32_t a[4];
        a[0] = Mma<__half>::pack(s[2 * ks][0], s[2 * ks][1]);
        a[1] = Mma<__half>::pack(s[2 * ks][2], s[2 * ks][3]);
        a[2] = Mma<__half>::pack(s[2 * ks + 1][0], s[2 * ks + 1][1]);
        a[3] = Mma<__half>::pack(s[2 * ks + 1][2], s[2 * ks + 1][3]);
#pragma unroll
        for (int dp = 0; dp < D / 16; ++dp) {
            uint32_t b[4];
            ldmatrixX4Trans(b, sV + (ks * 16 + ldRow) * kVRowStride<D> + dp * 16 + ldCol);
            Mma<__half>::run(st.o[2 * dp], a, b[0], b[1]);
            Mma<__half>::run(st.o[2 * dp + 1], a, b[2], b[3]);
        }
    }
}

// cp.async of rows key0..key0+63 of a [rows][ROWBYTES] matrix into a shared tile whose rows
// are STRIDE bytes apart; rows >= keyLimit are zero-filled. ROWBYTES % 16 == 0.
template <int ROWBYTES, int STRIDE, int THREADS>
__device__ __forceinline__ void loadRowsAsync(void *tile, const void *g, int key0, int keyLimit, int tid)
{
    constexpr int CHUNKS = ROWBYTES / 16;
    for (int i = tid; i < kKeys * CHUNKS; i += THREADS) {
        const int r = i / CHUNKS, c = i % CHUNKS;
        const bool valid = key0 + r < keyLimit;
        const char *src = static_cast<const char *>(g) + size_t(valid ? key0 + r : 0) * ROWBYTES + c * 16;
        cpAsync16(static_cast<char *>(tile) + r * STRIDE + c * 16, src, valid);
    }
}

// Writes this warp's rows row0 + g and row0 + g + 8 (those < rowLimit) of O = o / l.
template <int D>
__device__ __forceinline__ void storeRows(PvState<D> &st, __half *O, int row0, int rowLimit, int lane)
{
    const int g = lane >> 2, t = lane & 3;
#pragma unroll
    for (int half = 0; half < 2; ++half) {
        const float l = quadSum(st.l[half]);
        const float inv = l > 0.f ? 1.f / l : 0.f;
        const int row = row0 + g + 8 * half;
        if (row >= rowLimit)
            continue;
#pragma unroll
        for (int dt = 0; dt < D / 8; ++dt) {
            const __half2 h = __floats2half2_rn(st.o[dt][2 * half] * inv, st.o[dt][2 * half + 1] * inv);
            *reinterpret_cast<__half2 *>(O + size_t(row) * D + dt * 8 + 2 * t) = h;
        }
    }
}

} // namespace paperlab::kernels::cuda::pvtile
