#include "core/accuracy.h"
#include "cuda/ceiling_probe.h"

#include <algorithm>
#include <cstdio>
#include <cublas_v2.h>
#include <cuda_bf16.h>
#include <cuda_fp16.h>
#include <cuda_runtime.h>
#include <functional>

namespace paperlab::kernels::cuda {

namespace {

constexpr int kWarmup = 3;
constexpr int kCopyReps = 20;
constexpr int kGemmReps = 10;
constexpr int kGemmN = 8192;

std::string versionText(int v)
{
    return std::to_string(v / 1000) + "." + std::to_string((v % 1000) / 10);
}

struct Buffer {
    void *ptr = nullptr;
    ~Buffer() { cudaFree(ptr); }
    cudaError_t alloc(size_t bytes) { return cudaMalloc(&ptr, bytes); }
};

// Random-looking inputs: tensor cores draw less power (and so clock higher) on zeros,
// which would flatter the peak.
__device__ unsigned hashIndex(size_t i)
{
    unsigned x = unsigned(i) * 2654435761u ^ unsigned(i >> 32);
    x ^= x >> 16;
    x *= 0x7feb352du;
    x ^= x >> 15;
    return x;
}

template <typename T>
__global__ void fillRandom(T *out, size_t n)
{
    for (size_t i = blockIdx.x * size_t(blockDim.x) + threadIdx.x; i < n; i += size_t(gridDim.x) * blockDim.x) {
        const float u = float(hashIndex(i) & 0xffff) / 65536.0f - 0.5f;
        if constexpr (std::is_same_v<T, signed char>)
            out[i] = static_cast<signed char>(hashIndex(i) & 0x7f) - 64;
        else if constexpr (std::is_same_v<T, __half>)
            out[i] = __float2half(u);
        else
            out[i] = __float2bfloat16(u);
    }
}

// Median milliseconds of `reps` runs of `launch`, after kWarmup untimed ones; negative on error.
double medianMs(int reps, const std::function<bool()> &launch, std::string &why)
{
    cudaEvent_t start, stop;
    cudaEventCreate(&start);
    cudaEventCreate(&stop);
    std::vector<double> times;
    for (int i = 0; i < kWarmup + reps; ++i) {
        cudaEventRecord(start);
        if (!launch()) {
            why = "launch failed";
            break;
        }
        cudaEventRecord(stop);
        if (cudaEventSynchronize(stop) != cudaSuccess) {
            why = cudaGetErrorString(cudaGetLastError());
            break;
        }
        float ms = 0;
        cudaEventElapsedTime(&ms, start, stop);
        if (i >= kWarmup)
            times.push_back(ms);
    }
    cudaEventDestroy(start);
    cudaEventDestroy(stop);
    return int(times.size()) == reps ? median(times) : -1.0;
}

void addNote(std::string &note, const std::string &text)
{
    note += (note.empty() ? "" : "; ") + text;
}

void measureCopy(std::uint64_t l2Bytes, std::vector<Ceiling> &out, std::string &note)
{
    // Far larger than L2, so the copy streams device memory; smaller when memory is short.
    size_t freeBytes = 0, totalBytes = 0;
    cudaMemGetInfo(&freeBytes, &totalBytes);
    size_t bytes = std::max<size_t>(size_t(1) << 30, size_t(l2Bytes) * 32);
    bytes = std::min(bytes, freeBytes / 4);
    Buffer src, dst;
    if (cudaError_t e = src.alloc(bytes); e != cudaSuccess || (e = dst.alloc(bytes)) != cudaSuccess) {
        addNote(note, std::string("copy: ") + cudaGetErrorString(e));
        cudaGetLastError();
        return;
    }
    cudaMemset(src.ptr, 1, bytes);
    std::string why;
    const double ms = medianMs(
        kCopyReps, [&] { return cudaMemcpyAsync(dst.ptr, src.ptr, bytes, cudaMemcpyDeviceToDevice) == cudaSuccess; },
        why);
    if (ms <= 0) {
        addNote(note, "copy: " + why);
        return;
    }
    char how[160];
    std::snprintf(how, sizeof how, "cudaMemcpy device to device, %.0f MiB, bytes read + written, median of %d",
                  double(bytes) / (1 << 20), kCopyReps);
    out.push_back({"copy", 2.0 * double(bytes) / (ms * 1e-3) / 1e9, "GB/s", how});
}

struct GemmKind {
    const char *id;
    const char *label;
    cudaDataType_t in, out;
    cublasComputeType_t compute;
    const char *unit;
};

void measureGemm(cublasHandle_t handle, const GemmKind &kind, void *a, void *b, void *c, std::vector<Ceiling> &out,
                 std::string &note)
{
    const int n = kGemmN;
    const bool integer = kind.compute == CUBLAS_COMPUTE_32I;
    const float alphaF = 1.0f, betaF = 0.0f;
    const int alphaI = 1, betaI = 0;
    const void *alpha = integer ? static_cast<const void *>(&alphaI) : &alphaF;
    const void *beta = integer ? static_cast<const void *>(&betaI) : &betaF;
    // int8 GEMM wants A transposed (the "TN" layout cuBLAS's integer kernels are built for).
    const cublasOperation_t opA = integer ? CUBLAS_OP_T : CUBLAS_OP_N;
    cublasStatus_t status = CUBLAS_STATUS_SUCCESS;
    std::string why;
    const double ms = medianMs(
        kGemmReps,
        [&] {
            status = cublasGemmEx(handle, opA, CUBLAS_OP_N, n, n, n, alpha, a, kind.in, n, b, kind.in, n, beta, c,
                                  kind.out, n, kind.compute, CUBLAS_GEMM_DEFAULT);
            return status == CUBLAS_STATUS_SUCCESS;
        },
        why);
    if (ms <= 0) {
        addNote(note, std::string(kind.id) + ": " +
                          (status != CUBLAS_STATUS_SUCCESS ? cublasGetStatusString(status) : why.c_str()));
        return;
    }
    char how[160];
    std::snprintf(how, sizeof how, "cuBLAS GEMM %d^3 %s, median of %d", n, kind.label, kGemmReps);
    out.push_back({kind.id, 2.0 * double(n) * n * n / (ms * 1e-3) / 1e12, kind.unit, how});
}

template <typename T>
void fill(void *p, size_t n)
{
    fillRandom<T><<<1024, 256>>>(static_cast<T *>(p), n);
}

} // namespace

CudaIdentity cudaIdentity(int device)
{
    CudaIdentity id;
    cudaDeviceProp prop{};
    if (cudaError_t e = cudaGetDeviceProperties(&prop, device); e != cudaSuccess) {
        id.error = cudaGetErrorString(e);
        cudaGetLastError();
        return id;
    }
    id.name = prop.name;
    id.smCount = prop.multiProcessorCount;
    id.l2Bytes = std::uint64_t(prop.l2CacheSize);
    const auto *u = reinterpret_cast<const unsigned char *>(prop.uuid.bytes);
    char text[64];
    std::snprintf(text, sizeof text, "GPU-%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", u[0],
                  u[1], u[2], u[3], u[4], u[5], u[6], u[7], u[8], u[9], u[10], u[11], u[12], u[13], u[14], u[15]);
    id.uuid = text;
    int v = 0;
    if (cudaRuntimeGetVersion(&v) == cudaSuccess)
        id.runtimeVersion = versionText(v);
    if (cudaDriverGetVersion(&v) == cudaSuccess)
        id.driverVersion = versionText(v);
    return id;
}

std::vector<Ceiling> measureCeilings(int device, std::string &note)
{
    std::vector<Ceiling> out;
    note.clear();
    if (cudaError_t e = cudaSetDevice(device); e != cudaSuccess) {
        note = std::string("cuda:") + std::to_string(device) + ": " + cudaGetErrorString(e);
        cudaGetLastError();
        return out;
    }
    measureCopy(cudaIdentity(device).l2Bytes, out, note);

    cublasHandle_t handle = nullptr;
    if (cublasCreate(&handle) != CUBLAS_STATUS_SUCCESS) {
        addNote(note, "matrix: cuBLAS could not start");
        return out;
    }
    const size_t n2 = size_t(kGemmN) * kGemmN;
    Buffer a, b, c;
    // 2 bytes per input element covers fp16/bf16 and int8; C holds fp16, bf16 or int32.
    if (cudaError_t e = a.alloc(n2 * 2);
        e != cudaSuccess || (e = b.alloc(n2 * 2)) != cudaSuccess || (e = c.alloc(n2 * 4)) != cudaSuccess) {
        addNote(note, std::string("matrix: ") + cudaGetErrorString(e));
        cudaGetLastError();
        cublasDestroy(handle);
        return out;
    }
    const GemmKind kinds[] = {
        {"matrix_fp16", "fp16 in, fp32 accumulate", CUDA_R_16F, CUDA_R_16F, CUBLAS_COMPUTE_32F, "TFLOP/s"},
        {"matrix_bf16", "bf16 in, fp32 accumulate", CUDA_R_16BF, CUDA_R_16BF, CUBLAS_COMPUTE_32F, "TFLOP/s"},
        {"matrix_int8", "int8 in, int32 accumulate", CUDA_R_8I, CUDA_R_32I, CUBLAS_COMPUTE_32I, "TOP/s"},
    };
    for (const GemmKind &kind : kinds) {
        if (kind.in == CUDA_R_16F) {
            fill<__half>(a.ptr, n2), fill<__half>(b.ptr, n2);
        } else if (kind.in == CUDA_R_16BF) {
            fill<__nv_bfloat16>(a.ptr, n2), fill<__nv_bfloat16>(b.ptr, n2);
        } else {
            fill<signed char>(a.ptr, n2), fill<signed char>(b.ptr, n2);
        }
        measureGemm(handle, kind, a.ptr, b.ptr, c.ptr, out, note);
    }
    cublasDestroy(handle);
    cudaDeviceSynchronize();
    cudaGetLastError();
    return out;
}

} // namespace paperlab::kernels::cuda
