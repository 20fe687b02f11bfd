// Host side of the TMA loads: a 3-D tensor map over a [slabs][rows][inner] 16-bit tensor
// (an attention operand [batch*heads][seq][head_dim]), read in {64, boxRows, 1} boxes with
// the 128-byte swizzle that wgmma's descriptors expect. cuTensorMapEncodeTiled is reached
// through the runtime's driver entry point, so nothing links libcuda directly.
#pragma once

#include <cuda.h>
#include <cudaTypedefs.h>
#include <cuda_runtime.h>

namespace paperlab::kernels::cuda::hopper {

inline PFN_cuTensorMapEncodeTiled_v12000 tensorMapEncoder()
{
    static PFN_cuTensorMapEncodeTiled_v12000 fn = [] {
        void *p = nullptr;
        cudaDriverEntryPointQueryResult found{};
        if (cudaGetDriverEntryPointByVersion("cuTensorMapEncodeTiled", &p, 12000, cudaEnableDefault, &found) !=
                cudaSuccess ||
            found != cudaDriverEntryPointSuccess)
            p = nullptr;
        return reinterpret_cast<PFN_cuTensorMapEncodeTiled_v12000>(p);
    }();
    return fn;
}

// Rows past `rows` in a slab read as zeros and are not written by stores: odd sequence
// lengths need no padding and no bounds tests in the kernel. The box is one 128-byte swizzle
// atom wide (64 16-bit or 128 8-bit elements).
inline bool encodeAttentionMap(CUtensorMap *map, const void *base, CUtensorMapDataType type, int elemBytes, int inner,
                               int rows, int slabs, int boxRows)
{
    auto encode = tensorMapEncoder();
    if (!encode)
        return false;
    const cuuint64_t dims[3] = {cuuint64_t(inner), cuuint64_t(rows), cuuint64_t(slabs)};
    const cuuint64_t strides[2] = {cuuint64_t(inner) * elemBytes, cuuint64_t(inner) * elemBytes * rows}; // dims 1..2
    const cuuint32_t box[3] = {cuuint32_t(128 / elemBytes), cuuint32_t(boxRows), 1};
    const cuuint32_t elemStrides[3] = {1, 1, 1};
    return encode(map, type, 3, const_cast<void *>(base), dims, strides, box, elemStrides,
                  CU_TENSOR_MAP_INTERLEAVE_NONE, CU_TENSOR_MAP_SWIZZLE_128B, CU_TENSOR_MAP_L2_PROMOTION_L2_256B,
                  CU_TENSOR_MAP_FLOAT_OOB_FILL_NONE) == CUDA_SUCCESS;
}

inline bool encodeAttentionMap(CUtensorMap *map, const void *base, bool bf16, int inner, int rows, int slabs,
                               int boxRows)
{
    return encodeAttentionMap(map, base, bf16 ? CU_TENSOR_MAP_DATA_TYPE_BFLOAT16 : CU_TENSOR_MAP_DATA_TYPE_FLOAT16, 2,
                              inner, rows, slabs, boxRows);
}

} // namespace paperlab::kernels::cuda::hopper
