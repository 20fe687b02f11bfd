// Flash-Decoding over a subset of the cache: the rows a KV-selection policy chose, given as
// an index per (batch, kv head). Same split-KV kernel and combine as the dense decode; the
// loads gather rows through the index. Device pointers, fp16, launched on `stream`.
#pragma once

#include <cuda_fp16.h>
#include <cuda_runtime.h>

namespace paperlab::kernels::cuda {

struct IndexedDecodeArgs {
    const __half *q = nullptr; // [batch][qHeads][headDim]
    const __half *k = nullptr; // [batch][kvHeads][kvLen][headDim]
    const __half *v = nullptr;
    __half *o = nullptr;        // [batch][qHeads][headDim]
    float *partO = nullptr;     // [batch*qHeads][splits][headDim]
    float *partLse = nullptr;   // [batch*qHeads][splits]
    const int *index = nullptr; // [batch][kvHeads][count] rows of the cache
    int count = 0, batch = 1, qHeads = 32, kvHeads = 8, kvLen = 0, headDim = 128, splits = 1;
};

// Splits that fill the GPU for `count` selected rows per (batch, kv head).
int indexedDecodeSplits(int batch, int kvHeads, int count, int headDim, int device);
cudaError_t launchIndexedDecode(const IndexedDecodeArgs &args, cudaStream_t stream);

} // namespace paperlab::kernels::cuda
