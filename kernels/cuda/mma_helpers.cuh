// Device helpers for the sm80+ tensor-core path: cp.async, ldmatrix, mma.sync m16n8k16,
// and a swizzled shared-memory tile layout.
//
// Fragment layout of mma.m16n8k16 (g = lane / 4, t = lane % 4):
//   A (16x16, row): a0 (g, 2t..2t+1)  a1 (g+8, 2t..)  a2 (g, 2t+8..)  a3 (g+8, 2t+8..)
//   B (16x8, col):  b0 (k 2t..2t+1, n g)  b1 (k 2t+8.., n g)
//   C (16x8):       c0,c1 (g, 2t..2t+1)  c2,c3 (g+8, 2t..2t+1)
#pragma once

#include <cstdint>
#include <cuda_bf16.h>
#include <cuda_fp16.h>

namespace paperlab::kernels::cuda {

__device__ __forceinline__ uint32_t smemAddr(const void *p)
{
    return static_cast<uint32_t>(__cvta_generic_to_shared(p));
}

// 16-byte async copy global -> shared; when !valid the destination is zero-filled instead.
__device__ __forceinline__ void cpAsync16(void *smem, const void *gmem, bool valid)
{
    const int bytes = valid ? 16 : 0;
    asm volatile("cp.async.cg.shared.global [%0], [%1], 16, %2;\n" ::"r"(smemAddr(smem)), "l"(gmem), "r"(bytes));
}

__device__ __forceinline__ void cpAsyncCommit()
{
    asm volatile("cp.async.commit_group;\n" ::);
}

template <int N>
__device__ __forceinline__ void cpAsyncWait()
{
    asm volatile("cp.async.wait_group %0;\n" ::"n"(N));
}

__device__ __forceinline__ void ldmatrixX4(uint32_t (&r)[4], const void *smem)
{
    asm volatile("ldmatrix.sync.aligned.m8n8.x4.shared.b16 {%0,%1,%2,%3}, [%4];\n"
                 : "=r"(r[0]), "=r"(r[1]), "=r"(r[2]), "=r"(r[3])
                 : "r"(smemAddr(smem)));
}

__device__ __forceinline__ void ldmatrixX4Trans(uint32_t (&r)[4], const void *smem)
{
    asm volatile("ldmatrix.sync.aligned.m8n8.x4.trans.shared.b16 {%0,%1,%2,%3}, [%4];\n"
                 : "=r"(r[0]), "=r"(r[1]), "=r"(r[2]), "=r"(r[3])
                 : "r"(smemAddr(smem)));
}

template <typename T>
struct Mma;

template <>
struct Mma<__half> {
    __device__ __forceinline__ static void run(float (&c)[4], const uint32_t (&a)[4], uint32_t b0, uint32_t b1)
    {
        asm volatile("mma.sync.aligned.m16n8k16.row.col.f32.f16.f16.f32 {%0,%1,%2,%3}, {%4,%5,%6,%7}, {%8,%9}, "
                     "{%0,%1,%2,%3};\n"
                     : "+f"(c[0]), "+f"(c[1]), "+f"(c[2]), "+f"(c[3])
                     : "r"(a[0]), "r"(a[1]), "r"(a[2]), "r"(a[3]), "r"(b0), "r"(b1));
    }
    __device__ __forceinline__ static uint32_t pack(float lo, float hi)
    {
        __half2 h = __floats2half2_rn(lo, hi);
        return *reinterpret_cast<uint32_t *>(&h);
    }
};

template <>
struct Mma<__nv_bfloat16> {
    __device__ __forceinline__ static void run(float (&c)[4], const uint32_t (&a)[4], uint32_t b0, uint32_t b1)
    {
        asm volatile("mma.sync.aligned.m16n8k16.row.col.f32.bf16.bf16.f32 {%0,%1,%2,%3}, {%4,%5,%6,%7}, {%8,%9}, "
                     "{%0,%1,%2,%3};\n"
                     : "+f"(c[0]), "+f"(c[1]), "+f"(c[2]), "+f"(c[3])
                     : "r"(a[0]), "r"(a[1]), "r"(a[2]), "r"(a[3]), "r"(b0), "r"(b1));
    }
    __device__ __forceinline__ static uint32_t pack(float lo, float hi)
    {
        __nv_bfloat162 h = __floats2bfloat162_rn(lo, hi);
        return *reinterpret_cast<uint32_t *>(&h);
    }
};

// Shared tile of rows x D 16-bit elements, stored in 16-byte chunks whose index is XORed
// with (row % 8): the 8 rows an ldmatrix phase reads then sit in 8 different bank groups.
template <int D>
__device__ __forceinline__ int swz(int row, int chunk)
{
    return row * D + ((chunk ^ (row & 7)) << 3);
}

// Copies rows [row0, row0 + ROWS) of a [rows][D] global matrix into a swizzled tile;
// rows at or past `rowLimit` become zeros.
template <int ROWS, int D, int THREADS, typename T>
__device__ __forceinline__ void loadTile(T *tile, const T *g, int row0, int rowLimit, int tid)
{
    constexpr int CHUNKS = D / 8;
#pragma unroll
    for (int i = tid; i < ROWS * CHUNKS; i += THREADS) {
        const int r = i / CHUNKS, c = i % CHUNKS;
        const bool valid = row0 + r < rowLimit;
        const T *src = g + size_t(valid ? row0 + r : 0) * D + c * 8;
        cpAsync16(tile + swz<D>(r, c), src, valid);
    }
}

// loadTile through an index (a sparse decode's selected tokens): tile row r is global row
// rows[it] for the it-th 16-byte chunk this thread copies (fetched a stage ahead by
// tileRowIndices, so the copy does not wait on the index load); rows at or past `rowLimit`
// become zeros.
template <int ROWS, int D, int THREADS>
constexpr int tileChunksPerThread()
{
    return ROWS * (D / 8) / THREADS;
}

template <int ROWS, int D, int THREADS>
__device__ __forceinline__ void tileRowIndices(int (&rows)[tileChunksPerThread<ROWS, D, THREADS>()], const int *index,
                                               int row0, int rowLimit, int tid)
{
#pragma unroll
    for (int it = 0; it < tileChunksPerThread<ROWS, D, THREADS>(); ++it) {
        const int r = row0 + (tid + it * THREADS) / (D / 8);
        rows[it] = r < rowLimit ? __ldg(index + r) : 0;
    }
}

template <int ROWS, int D, int THREADS, typename T>
__device__ __forceinline__ void loadTileRows(T *tile, const T *g,
                                             const int (&rows)[tileChunksPerThread<ROWS, D, THREADS>()], int row0,
                                             int rowLimit, int tid)
{
    constexpr int CHUNKS = D / 8;
#pragma unroll
    for (int it = 0; it < tileChunksPerThread<ROWS, D, THREADS>(); ++it) {
        const int i = tid + it * THREADS, r = i / CHUNKS, c = i % CHUNKS;
        cpAsync16(tile + swz<D>(r, c), g + size_t(rows[it]) * D + c * 8, row0 + r < rowLimit);
    }
}

// 2^x on the special-function unit, flushing denormals: exp2f adds range fix-ups around the
// same instruction that softmax weights in [0, 1] never need.
__device__ __forceinline__ float fastExp2(float x)
{
    float y;
    asm("ex2.approx.ftz.f32 %0, %1;\n" : "=f"(y) : "f"(x));
    return y;
}

__device__ __forceinline__ float quadMax(float v)
{
    v = fmaxf(v, __shfl_xor_sync(0xffffffffu, v, 1));
    return fmaxf(v, __shfl_xor_sync(0xffffffffu, v, 2));
}

__device__ __forceinline__ float quadSum(float v)
{
    v += __shfl_xor_sync(0xffffffffu, v, 1);
    return v + __shfl_xor_sync(0xffffffffu, v, 2);
}

} // namespace paperlab::kernels::cuda
