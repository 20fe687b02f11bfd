// Device helpers of the Hopper (sm_90a) attention pipeline: mbarrier rings filled by TMA,
// warp-specialised register budgets (setmaxnreg), named barriers for warpgroup ping-pong,
// wgmma ordering (fence / commit / wait, operand fences) and shared-memory descriptors.
//
// The mbarrier and bulk-tensor-copy instructions go through CCCL's cuda::ptx wrappers; the
// rest have no wrapper there and are written as inline PTX. Everything here is only valid
// when compiling for sm_90a (guarded by PL_HOPPER_PIPELINE).
#pragma once

#include "cuda/mma_helpers.cuh"

#include <cstdint>
#include <cuda/ptx>

#if defined(__CUDA_ARCH__) && defined(__CUDA_ARCH_FEAT_SM90_ALL)
#define PL_HOPPER_PIPELINE 1
#endif

namespace paperlab::kernels::cuda::hopper {

namespace ptx = ::cuda::ptx;

#ifdef PL_HOPPER_PIPELINE

// ---- mbarriers -------------------------------------------------------------------------

__device__ __forceinline__ void barrierInit(uint64_t *bar, unsigned count)
{
    ptx::mbarrier_init(bar, count);
}

// Blocks until the phase of the given parity has completed. try_wait suspends the thread for
// a hardware-chosen time, so the loop does not spin on the shared-memory port.
__device__ __forceinline__ void barrierWait(uint64_t *bar, uint32_t parity)
{
    while (!ptx::mbarrier_try_wait_parity(bar, parity)) {
    }
}

__device__ __forceinline__ void barrierArrive(uint64_t *bar)
{
    (void)ptx::mbarrier_arrive(bar);
}

__device__ __forceinline__ void barrierExpectBytes(uint64_t *bar, uint32_t bytes)
{
    (void)ptx::mbarrier_arrive_expect_tx(ptx::sem_release, ptx::scope_cta, ptx::space_shared, bar, bytes);
}

// ---- TMA (bulk tensor copies) ----------------------------------------------------------

// One box of a 3-D tensor map ({inner, row, slab}) into shared memory; completes on bar.
__device__ __forceinline__ void tmaLoad3d(void *dst, const void *map, int c0, int c1, int c2, uint64_t *bar)
{
    const int32_t coords[3] = {c0, c1, c2};
    ptx::cp_async_bulk_tensor(ptx::space_cluster, ptx::space_global, dst, map, coords, bar);
}

__device__ __forceinline__ void tmaStore3d(const void *map, int c0, int c1, int c2, const void *src)
{
    const int32_t coords[3] = {c0, c1, c2};
    ptx::cp_async_bulk_tensor(ptx::space_global, ptx::space_shared, map, coords, src);
}

__device__ __forceinline__ void tmaStoreCommitAndDrain()
{
    ptx::cp_async_bulk_commit_group();
    ptx::cp_async_bulk_wait_group_read(ptx::n32_t<0>{}); // shared memory may be freed after
}

__device__ __forceinline__ void prefetchTensorMap(const void *map)
{
    asm volatile("prefetch.tensormap [%0];\n" ::"l"(map) : "memory");
}

// Shared memory written by ordinary stores and read next by TMA or wgmma (async proxy).
__device__ __forceinline__ void fenceSharedToAsync()
{
    asm volatile("fence.proxy.async.shared::cta;\n" ::: "memory");
}

// ---- warp specialisation ---------------------------------------------------------------

// Register budget per thread of the calling warpgroup. Works only when the kernel has a
// register cap at entry (__launch_bounds__(threads, 1)) and the roles are one if/else.
template <int N>
__device__ __forceinline__ void registersDown()
{
    asm volatile("setmaxnreg.dec.sync.aligned.u32 %0;\n" ::"n"(N));
}
template <int N>
__device__ __forceinline__ void registersUp()
{
    asm volatile("setmaxnreg.inc.sync.aligned.u32 %0;\n" ::"n"(N));
}

// Named barriers (id 0 is __syncthreads). sync waits for `threads` arrivals including its
// own warp's; arrive counts without waiting (the ping-pong hand-over).
__device__ __forceinline__ void namedSync(int id, int threads)
{
    asm volatile("bar.sync %0, %1;\n" ::"r"(id), "r"(threads) : "memory");
}
__device__ __forceinline__ void namedArrive(int id, int threads)
{
    asm volatile("bar.arrive %0, %1;\n" ::"r"(id), "r"(threads) : "memory");
}

// ---- wgmma ordering --------------------------------------------------------------------

__device__ __forceinline__ void wgmmaFence()
{
    asm volatile("wgmma.fence.sync.aligned;\n" ::: "memory");
}
__device__ __forceinline__ void wgmmaCommit()
{
    asm volatile("wgmma.commit_group.sync.aligned;\n" ::: "memory");
}
template <int N>
__device__ __forceinline__ void wgmmaWait()
{
    asm volatile("wgmma.wait_group.sync.aligned %0;\n" ::"n"(N) : "memory");
}

// Keeps the compiler from moving reads or writes of accumulator registers across an
// asynchronous wgmma's issue or wait (it sees the asm as complete when issued).
template <int N>
__device__ __forceinline__ void fenceOperands(float (&acc)[N][4])
{
#pragma unroll
    for (int i = 0; i < N; ++i)
#pragma unroll
        for (int e = 0; e < 4; ++e)
            asm volatile("" : "+f"(acc[i][e])::"memory");
}
template <int N>
__device__ __forceinline__ void fenceOperands(int (&acc)[N][4])
{
#pragma unroll
    for (int i = 0; i < N; ++i)
#pragma unroll
        for (int e = 0; e < 4; ++e)
            asm volatile("" : "+r"(acc[i][e])::"memory");
}
template <int N>
__device__ __forceinline__ void fenceOperands(uint32_t (&a)[N][4])
{
#pragma unroll
    for (int i = 0; i < N; ++i)
#pragma unroll
        for (int e = 0; e < 4; ++e)
            asm volatile("" : "+r"(a[i][e])::"memory");
}

// wgmma shared-memory descriptor of a 128-byte-swizzled operand (tile base 1024-aligned).
__device__ __forceinline__ uint64_t descSwizzle128(const void *p, uint32_t lbo, uint32_t sbo)
{
    const uint64_t addr = smemAddr(p);
    return ((addr & 0x3FFFF) >> 4) | (uint64_t((lbo >> 4) & 0x3FFF) << 16) | (uint64_t((sbo >> 4) & 0x3FFF) << 32) |
           (1ull << 62);
}

#endif // PL_HOPPER_PIPELINE

// Element offset of (row, 16-byte chunk) in a [D/64][ROWS][64] tile with the 128-byte
// swizzle: the layout TMA writes for a {64, ROWS} box with CU_TENSOR_MAP_SWIZZLE_128B and
// the one wgmma reads through descSwizzle128.
template <int ROWS>
__device__ __forceinline__ int swizzle128Offset(int row, int chunk)
{
    return (chunk >> 3) * ROWS * 64 + row * 64 + (((chunk & 7) ^ (row & 7)) << 3);
}

} // namespace paperlab::kernels::cuda::hopper
