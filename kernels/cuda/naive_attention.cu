// The unfused baseline: S = Q K^T with cuBLAS into fp32, a softmax kernel writing P in the
// input type, O = P V with cuBLAS. The whole seq x seq score matrix goes through device
// memory, which is exactly what FlashAttention avoids.
#include "cuda/gpu_job.cuh"
#include "cuda/mma_helpers.cuh"

#include <cublas_v2.h>
#include <math_constants.h>

namespace paperlab::kernels::cuda {

namespace {

template <typename T>
__global__ void softmaxRowsKernel(const float *S, T *P, int seqQ, int seqK, float scaleLog2, bool causal)
{
    const size_t row = blockIdx.x;
    const int i = int(row % seqQ);
    const int visible = causal ? min(i + 1, seqK) : seqK;
    const float *s = S + row * seqK;
    T *p = P + row * seqK;
    __shared__ float red[32];
    auto blockReduce = [&](float v, bool isMax) {
        for (int o = 16; o; o >>= 1) {
            float other = __shfl_xor_sync(0xffffffffu, v, o);
            v = isMax ? fmaxf(v, other) : v + other;
        }
        if ((threadIdx.x & 31) == 0)
            red[threadIdx.x >> 5] = v;
        __syncthreads();
        v = threadIdx.x < blockDim.x / 32 ? red[threadIdx.x] : (isMax ? -CUDART_INF_F : 0.f);
        if (threadIdx.x < 32)
            for (int o = 16; o; o >>= 1) {
                float other = __shfl_xor_sync(0xffffffffu, v, o);
                v = isMax ? fmaxf(v, other) : v + other;
            }
        if (threadIdx.x == 0)
            red[0] = v;
        __syncthreads();
        v = red[0];
        __syncthreads();
        return v;
    };
    float mx = -CUDART_INF_F;
    for (int j = threadIdx.x; j < visible; j += blockDim.x)
        mx = fmaxf(mx, s[j]);
    mx = blockReduce(mx, true) * scaleLog2;
    float sum = 0.f;
    for (int j = threadIdx.x; j < visible; j += blockDim.x)
        sum += exp2f(s[j] * scaleLog2 - mx);
    const float inv = 1.f / blockReduce(sum, false);
    for (int j = threadIdx.x; j < seqK; j += blockDim.x)
        p[j] = T(j < visible ? exp2f(s[j] * scaleLog2 - mx) * inv : 0.f);
}

const char *cublasText(cublasStatus_t s)
{
    switch (s) {
    case CUBLAS_STATUS_ALLOC_FAILED:
        return "CUBLAS_STATUS_ALLOC_FAILED";
    case CUBLAS_STATUS_INVALID_VALUE:
        return "CUBLAS_STATUS_INVALID_VALUE";
    case CUBLAS_STATUS_NOT_SUPPORTED:
        return "CUBLAS_STATUS_NOT_SUPPORTED";
    case CUBLAS_STATUS_EXECUTION_FAILED:
        return "CUBLAS_STATUS_EXECUTION_FAILED";
    default:
        return "cuBLAS error";
    }
}

} // namespace

GpuAttentionResult runNaiveAttentionGpu(const GpuAttentionJob &job)
{
    GpuAttentionResult result;
    const AttentionShape &s = job.shape;
    PL_CUDA_TRY(cudaSetDevice(job.device));
    AttentionBuffers buf;
    PL_CUDA_TRY(buf.setUp(job));
    const int heads = s.batch * s.qHeads;
    const size_t scores = size_t(heads) * s.seqQ * s.seqK;
    DeviceBuffer S, P, ptrs;
    PL_CUDA_TRY(S.alloc(scores * sizeof(float)));
    PL_CUDA_TRY(P.alloc(scores * 2));
    PL_CUDA_TRY(ptrs.alloc(size_t(heads) * 6 * sizeof(void *)));

    // Pointer arrays, because grouped-query heads share K/V: no single batch stride works.
    const int group = s.qHeads / s.kvHeads;
    std::vector<const void *> host(size_t(heads) * 6);
    const size_t d = s.headDim;
    for (int bh = 0; bh < heads; ++bh) {
        const int b = bh / s.qHeads, kvh = b * s.kvHeads + (bh % s.qHeads) / group;
        host[bh] = buf.k.get<char>() + size_t(kvh) * s.seqK * d * 2;             // A of QK^T
        host[heads + bh] = buf.q.get<char>() + size_t(bh) * s.seqQ * d * 2;      // B of QK^T
        host[2 * heads + bh] = S.get<char>() + size_t(bh) * s.seqQ * s.seqK * 4; // C of QK^T
        host[3 * heads + bh] = buf.v.get<char>() + size_t(kvh) * s.seqK * d * 2; // A of PV
        host[4 * heads + bh] = P.get<char>() + size_t(bh) * s.seqQ * s.seqK * 2; // B of PV
        host[5 * heads + bh] = buf.o.get<char>() + size_t(bh) * s.seqQ * d * 2;  // C of PV
    }
    PL_CUDA_TRY(cudaMemcpy(ptrs.get(), host.data(), host.size() * sizeof(void *), cudaMemcpyHostToDevice));
    void **dp = ptrs.get<void *>();

    cublasHandle_t handle;
    if (cublasCreate(&handle) != CUBLAS_STATUS_SUCCESS) {
        result.error = RunError{ErrorCode::CudaError, "", "cublasCreate failed"};
        return result;
    }
    const cudaDataType_t io = job.inputs.dtype == DType::BF16 ? CUDA_R_16BF : CUDA_R_16F;
    const float one = 1.f, zero = 0.f;
    const float scaleLog2 = float(s.softmaxScale() * 1.4426950408889634);
    cublasStatus_t status = CUBLAS_STATUS_SUCCESS;
    auto note = [&](cublasStatus_t st) {
        if (st != CUBLAS_STATUS_SUCCESS)
            status = st;
    };
    timeLaunches(job, buf, result, [&] {
        // Row-major S (seqQ x seqK) is column-major S^T = K Q^T.
        note(cublasGemmBatchedEx(handle, CUBLAS_OP_T, CUBLAS_OP_N, s.seqK, s.seqQ, s.headDim, &one, dp, io, s.headDim,
                                 dp + heads, io, s.headDim, &zero, dp + 2 * heads, CUDA_R_32F, s.seqK, heads,
                                 CUBLAS_COMPUTE_32F, CUBLAS_GEMM_DEFAULT));
        if (job.inputs.dtype == DType::BF16)
            softmaxRowsKernel<__nv_bfloat16>
                <<<heads * s.seqQ, 256>>>(S.get<float>(), P.get<__nv_bfloat16>(), s.seqQ, s.seqK, scaleLog2, s.causal);
        else
            softmaxRowsKernel<__half>
                <<<heads * s.seqQ, 256>>>(S.get<float>(), P.get<__half>(), s.seqQ, s.seqK, scaleLog2, s.causal);
        // Row-major O (seqQ x d) is column-major O^T = V^T P^T.
        note(cublasGemmBatchedEx(handle, CUBLAS_OP_N, CUBLAS_OP_N, s.headDim, s.seqQ, s.seqK, &one, dp + 3 * heads, io,
                                 s.headDim, dp + 4 * heads, io, s.seqK, &zero, dp + 5 * heads, io, s.headDim, heads,
                                 CUBLAS_COMPUTE_32F, CUBLAS_GEMM_DEFAULT));
    });
    cublasDestroy(handle);
    if (!result.error && status != CUBLAS_STATUS_SUCCESS)
        result.error = RunError{ErrorCode::CudaError, "", std::string("cuBLAS: ") + cublasText(status)};
    return result;
}

} // namespace paperlab::kernels::cuda
