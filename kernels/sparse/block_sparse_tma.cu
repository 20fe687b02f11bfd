// Block-sparse attention on the Hopper pipeline (variant sparse_tma): the GPU selection of
// `sparse` (GpuBlockSelection), the mask compacted on the GPU into the pipeline's kept-block
// lists (sparse/block_list.h), then dev/flash_forward_tma.cu's block-sparse walk over
// 128-token blocks. select_ms covers selection and compaction (together they turn Q and K
// into what the attention kernel reads); attn_ms the pipeline alone.
#include "cuda/gpu_job.cuh"
#include "sparse/block_list.h"
#include "sparse/block_selection.cuh"
#include "sparse/block_sparse_cuda.h"
#include "sparse/sparse_tma_params.h"

extern "C" int paperlab_dev_block_sparse_forward(int bf16, const void *q, const void *k, const void *v, void *o,
                                                 const int *list, const int *count, int maxKept, int batch, int qHeads,
                                                 int kvHeads, int seq, int headDim, int causal, float scale,
                                                 void *stream);

namespace paperlab::kernels::cuda {

bool wgmmaAvailable();

namespace {

constexpr int kCompactThreads = 128;
constexpr int kCompactWarps = kCompactThreads / 32;

// One block per (head, query block) compacts its row of the mask, kCompactThreads key
// blocks at a time: a ballot per warp orders the kept ones within the warp, the warps'
// counts in shared memory order the warps, so the list comes out ascending as on the CPU.
__global__ void __launch_bounds__(kCompactThreads)
    compactMaskKernel(const uint8_t *mask, int *list, int *count, int *emptyRows, int qBlocks, int kBlocks, int causal)
{
    __shared__ int warpKept[kCompactWarps];
    const int i = blockIdx.x, bh = blockIdx.y, lane = threadIdx.x & 31, warp = threadIdx.x >> 5;
    const size_t rowIndex = size_t(bh) * qBlocks + i;
    const uint8_t *row = mask + rowIndex * kBlocks;
    int *out = list + rowIndex * kBlocks;
    const int visible = causal ? min(i + 1, kBlocks) : kBlocks;
    int base = 0;
    for (int j0 = 0; j0 < visible; j0 += kCompactThreads) {
        const int j = j0 + int(threadIdx.x);
        const bool keep = j < visible && (row[j] != 0 || (causal && j == i));
        const unsigned ballot = __ballot_sync(0xffffffffu, keep);
        if (lane == 0)
            warpKept[warp] = __popc(ballot);
        __syncthreads();
        int before = base, total = base;
        for (int w = 0; w < kCompactWarps; ++w) {
            before += w < warp ? warpKept[w] : 0;
            total += warpKept[w];
        }
        if (keep)
            out[before + __popc(ballot & ((1u << lane) - 1u))] = j;
        __syncthreads(); // warpKept is rewritten by the next chunk
        base = total;
    }
    if (threadIdx.x == 0) {
        count[rowIndex] = base;
        if (base == 0)
            atomicAdd(emptyRows, 1);
    }
}

} // namespace

GpuSparseResult runBlockSparseTmaGpu(const GpuSparseJob &job)
{
    GpuSparseResult result;
    const AttentionShape &s = job.shape;
    const SparseConfig &c = job.config;
    if ((result.error = sparseTmaRefusal(s, c, job.inputs.dtype)))
        return result;
    if (s.seqQ != s.seqK || s.seqQ % c.blockSize != 0 || c.blockSize % c.stride != 0) {
        result.error = RunError{ErrorCode::BadParameter, "seq_len", "seq_len must be a multiple of block_size"};
        return result;
    }
    PL_CUDA_TRY(cudaSetDevice(job.device));
    if (!wgmmaAvailable()) {
        result.error = RunError{ErrorCode::NoDevice, "variant", "sparse_tma needs an sm_90a GPU (H100/H200)"};
        return result;
    }
    const int n = s.seqQ, heads = s.batch * s.qHeads;
    const size_t qn = s.qElements();
    AttentionBuffers buf;
    GpuBlockSelection selection;
    if ((result.error = setUpSparseRun(job, buf, selection)))
        return result;
    DeviceBuffer list, count, emptyRows;
    const int qBlocks = selection.qBlocks(), kBlocks = selection.kBlocks();
    PL_CUDA_TRY(list.alloc(size_t(heads) * qBlocks * kBlocks * sizeof(int)));
    PL_CUDA_TRY(count.alloc(size_t(heads) * qBlocks * sizeof(int)));
    PL_CUDA_TRY(emptyRows.alloc(sizeof(int)));
    PL_CUDA_TRY(cudaMemset(emptyRows.get(), 0, sizeof(int)));

    auto select = [&] {
        selection.launch();
        compactMaskKernel<<<dim3(qBlocks, heads), kCompactThreads>>>(
            selection.mask(), list.get<int>(), count.get<int>(), emptyRows.get<int>(), qBlocks, kBlocks, s.causal);
    };
    // The pipeline would wait forever on a row with no tile: select once, untimed, and refuse
    // before any attention launch if a row came out empty (sparseTmaRefusal rules out the
    // parameters that can do that; this guards the kernel should a selector change).
    select();
    int empty = 0;
    PL_CUDA_TRY(cudaGetLastError());
    PL_CUDA_TRY(cudaMemcpy(&empty, emptyRows.get(), sizeof(int), cudaMemcpyDeviceToHost));
    if ((result.error = selection.launchFailure()))
        return result;
    if (empty > 0) {
        result.error =
            RunError{ErrorCode::BadParameter, c.selector == BlockSelector::XAttention ? "threshold" : "top_k",
                     std::to_string(empty) + " query blocks kept no key block; sparse_tma needs one"};
        return result;
    }

    int code = 0;
    auto attend = [&] {
        code = paperlab_dev_block_sparse_forward(0, buf.q.get(), buf.k.get(), buf.v.get(), buf.o.get(), list.get<int>(),
                                                 count.get<int>(), kBlocks, s.batch, s.qHeads, s.kvHeads, n, s.headDim,
                                                 s.causal, float(s.softmaxScale()), nullptr);
    };
    timeSelectThenAttend(job, buf.o, buf.flush, result, select, attend, [&]() -> std::optional<RunError> {
        if (code == 0)
            return selection.launchFailure();
        return RunError{ErrorCode::CudaError, "launch",
                        "sparse_tma launch refused (code " + std::to_string(code) + ")"};
    });
    if (result.error)
        return result;
    result.output.resize(qn);
    PL_CUDA_TRY(cudaMemcpy(result.output.data(), buf.o.get(), qn * 2, cudaMemcpyDeviceToHost));
    PL_CUDA_TRY(selection.copyMaskTo(result.mask));
    // The GPU's lists against the CPU statement of the conversion, on the mask the GPU chose.
    CompactBlockList gpu;
    gpu.heads = heads;
    gpu.qBlocks = qBlocks;
    gpu.maxKept = kBlocks;
    gpu.list.resize(size_t(heads) * qBlocks * kBlocks);
    gpu.count.resize(size_t(heads) * qBlocks);
    PL_CUDA_TRY(cudaMemcpy(gpu.list.data(), list.get(), list.bytes(), cudaMemcpyDeviceToHost));
    PL_CUDA_TRY(cudaMemcpy(gpu.count.data(), count.get(), count.bytes(), cudaMemcpyDeviceToHost));
    const std::string diff = firstCompactListDifference(compactBlockMask(result.mask, s.causal), gpu);
    if (!diff.empty())
        result.error = RunError{ErrorCode::AccuracyCheckFailed, "",
                                "sparse_tma's GPU block list differs from the mask's at " + diff};
    return result;
}

} // namespace paperlab::kernels::cuda
