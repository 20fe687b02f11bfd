// One warp's step of FlashAttention: 16 query rows (A fragments in registers) against BC
// keys of a swizzled shared K/V tile. S = Q K^T and O += P V run on mma.sync; the online
// softmax keeps, per row, the running maximum m (log2 domain, already scaled) and the
// running sum l (this thread's partial; quad-reduced at the end).
#pragma once

#include "cuda/mma_helpers.cuh"

#include <math_constants.h>

namespace paperlab::kernels::cuda {

// MT m-tiles (16 rows each) per warp: with MT = 2 every K/V fragment read from shared
// memory feeds two MMAs, halving shared-memory traffic per FLOP (FlashAttention-2's layout).
template <int D, int MT = 1>
struct AttnState {
    float o[MT][D / 8][4];
    float m[MT][2];
    float l[MT][2];
    __device__ __forceinline__ void init()
    {
#pragma unroll
        for (int mt = 0; mt < MT; ++mt) {
#pragma unroll
            for (int i = 0; i < D / 8; ++i)
                o[mt][i][0] = o[mt][i][1] = o[mt][i][2] = o[mt][i][3] = 0.f;
            m[mt][0] = m[mt][1] = -CUDART_INF_F;
            l[mt][0] = l[mt][1] = 0.f;
        }
    }
};

// A fragment of query rows row0..row0+15, columns kk*16..kk*16+15, from a swizzled tile.
template <int D, typename T>
__device__ __forceinline__ void loadQFragment(uint32_t (&a)[4], const T *sQ, int row0, int kk, int lane)
{
    const int m = lane >> 3, r = lane & 7;
    ldmatrixX4(a, sQ + swz<D>(row0 + (m & 1) * 8 + r, kk * 2 + (m >> 1)));
}

// Loads this warp's 16 query rows (tile rows row0..row0+15) as A fragments.
template <int D, typename T>
__device__ __forceinline__ void loadQFragments(uint32_t (&qf)[D / 16][4], const T *sQ, int row0, int lane)
{
#pragma unroll
    for (int kk = 0; kk < D / 16; ++kk)
        loadQFragment<D>(qf[kk], sQ, row0, kk, lane);
}

// Online softmax over one tile of scores s (raw Q.K, this thread's fragment): updates the
// running max and sum, rescales O, and turns s into unnormalized probabilities in place.
template <int D, int BC, int MT>
__device__ __forceinline__ void softmaxStep(AttnState<D, MT> &st, float (&s)[MT][BC / 8][4], float scaleLog2)
{
    // Rows whose keys are all masked so far keep m = -inf; use 0 as the
    // exponent base for them so no (-inf) - (-inf) NaN appears.
#pragma unroll
    for (int mt = 0; mt < MT; ++mt) {
        float base[2];
#pragma unroll
        for (int h = 0; h < 2; ++h) {
            float mx = -CUDART_INF_F;
#pragma unroll
            for (int n = 0; n < BC / 8; ++n)
                mx = fmaxf(mx, fmaxf(s[mt][n][2 * h], s[mt][n][2 * h + 1]));
            mx = quadMax(mx);
            const float mNew = fmaxf(st.m[mt][h], mx * scaleLog2);
            base[h] = mNew == -CUDART_INF_F ? 0.f : mNew;
            const float corr = fastExp2(st.m[mt][h] - base[h]);
            st.l[mt][h] *= corr;
            // Once the running maximum settles, corr is exactly 1 for the whole warp most of
            // the time: skip the D/4 multiplies (a warp-uniform branch, so no divergence).
            // Measured: pays at head dim 128, costs more than it saves at 64 (NOTES.md).
            if (D < 128 || !__all_sync(0xffffffffu, corr == 1.f)) {
#pragma unroll
                for (int d = 0; d < D / 8; ++d) {
                    st.o[mt][d][2 * h] *= corr;
                    st.o[mt][d][2 * h + 1] *= corr;
                }
            }
            st.m[mt][h] = mNew;
        }
#pragma unroll
        for (int n = 0; n < BC / 8; ++n)
#pragma unroll
            for (int e = 0; e < 4; ++e) {
                s[mt][n][e] = fastExp2(s[mt][n][e] * scaleLog2 - base[e >> 1]);
                st.l[mt][e >> 1] += s[mt][n][e];
            }
    }
}

// One online-softmax step over BC keys starting at tile row keyRow0.
// qfrag(mt, kk, a): fills the A fragment of m-tile mt, k-slice kk (registers or shared).
// keep(mt, key, half): whether key (0..BC-1) is visible to row g (half 0) or g+8 (half 1)
// of m-tile mt; only consulted when `masked`.
template <typename T, int D, int BC, int MT, typename QFrag, typename Keep>
__device__ __forceinline__ void attendTile(AttnState<D, MT> &st, QFrag qfrag, const T *sK, const T *sV, int keyRow0,
                                           float scaleLog2, bool masked, Keep keep, int lane)
{
    const int m = lane >> 3, r = lane & 7, t = lane & 3;
    float s[MT][BC / 8][4];
#pragma unroll
    for (int mt = 0; mt < MT; ++mt)
#pragma unroll
        for (int n = 0; n < BC / 8; ++n)
            s[mt][n][0] = s[mt][n][1] = s[mt][n][2] = s[mt][n][3] = 0.f;

            // S = Q K^T: K rows are B columns, so plain ldmatrix gives B fragments.
#pragma unroll
    for (int kk = 0; kk < D / 16; ++kk) {
        uint32_t qa[MT][4];
#pragma unroll
        for (int mt = 0; mt < MT; ++mt)
            qfrag(mt, kk, qa[mt]);
#pragma unroll
        for (int nn = 0; nn < BC / 16; ++nn) {
            uint32_t kb[4];
            ldmatrixX4(kb, sK + swz<D>(keyRow0 + nn * 16 + (m >> 1) * 8 + r, kk * 2 + (m & 1)));
#pragma unroll
            for (int mt = 0; mt < MT; ++mt) {
                Mma<T>::run(s[mt][2 * nn], qa[mt], kb[0], kb[1]);
                Mma<T>::run(s[mt][2 * nn + 1], qa[mt], kb[2], kb[3]);
            }
        }
    }

    if (masked) {
#pragma unroll
        for (int mt = 0; mt < MT; ++mt)
#pragma unroll
            for (int n = 0; n < BC / 8; ++n)
#pragma unroll
                for (int e = 0; e < 4; ++e)
                    if (!keep(mt, n * 8 + 2 * t + (e & 1), e >> 1))
                        s[mt][n][e] = -CUDART_INF_F;
    }

    softmaxStep<D, BC, MT>(st, s, scaleLog2);

    // O += P V: the S accumulators of two n-tiles form one A fragment; V needs the
    // transposing ldmatrix to become B fragments.
#pragma unroll
    for (int kk = 0; kk < BC / 16; ++kk) {
        uint32_t pa[MT][4];
#pragma unroll
        for (int mt = 0; mt < MT; ++mt) {
            pa[mt][0] = Mma<T>::pack(s[mt][2 * kk][0], s[mt][2 * kk][1]);
            pa[mt][1] = Mma<T>::pack(s[mt][2 * kk][2], s[mt][2 * kk][3]);
            pa[mt][2] = Mma<T>::pack(s[mt][2 * kk + 1][0], s[mt][2 * kk + 1][1]);
            pa[mt][3] = Mma<T>::pack(s[mt][2 * kk + 1][2], s[mt][2 * kk + 1][3]);
        }
#pragma unroll
        for (int dd = 0; dd < D / 16; ++dd) {
            uint32_t vb[4];
            ldmatrixX4Trans(vb, sV + swz<D>(keyRow0 + kk * 16 + (m & 1) * 8 + r, dd * 2 + (m >> 1)));
#pragma unroll
            for (int mt = 0; mt < MT; ++mt) {
                Mma<T>::run(st.o[mt][2 * dd], pa[mt], vb[0], vb[1]);
                Mma<T>::run(st.o[mt][2 * dd + 1], pa[mt], vb[2], vb[3]);
            }
        }
    }
}

} // namespace paperlab::kernels::cuda
