// FlashAttention-2 forward on mma.sync (sm80+; built for sm_90a/sm_90).
//
// Grid: (query tiles, batch * q_heads). A block of NW warps owns BR = 16*NW*MT query rows;
// each warp keeps the O accumulators and softmax state of its MT m-tiles (16 rows each) in
// registers and sweeps all K/V tiles (BC keys), which arrive by cp.async into a two-stage
// swizzled shared buffer while the previous tile is being multiplied. Causal blocks stop
// at the diagonal and mask only the tiles that cross it.
#include "cuda/attention_tile.cuh"
#include "cuda/gpu_job.cuh"

#include <cstdlib>
#include <type_traits>

namespace paperlab::kernels::cuda {

namespace {

struct FwdParams {
    const void *q;
    const void *k;
    const void *v;
    void *o;
    int seqQ, seqK, qHeads, kvHeads;
    float scaleLog2;
};

// A kernel configuration: NW warps, MT m-tiles (16 rows) per warp, Q fragments kept in
// registers or re-read from shared memory each tile (saves 64 registers at head dim 128).
template <int NW_, int MT_, bool QSMEM_, int BC_ = 64>
struct FwdConfig {
    static constexpr int NW = NW_, MT = MT_, BR = NW_ * MT_ * 16, BC = BC_;
    static constexpr bool QSMEM = QSMEM_;
};

template <int D, typename C>
constexpr int fwdSmemBytes()
{
    return (C::BR * D + 4 * C::BC * D) * 2; // Q tile + two stages of K and V
}

template <typename T, int D, typename C, bool CAUSAL>
__global__ void __launch_bounds__(C::NW * 32) flashFwdKernel(const FwdParams p)
{
    constexpr int BR = C::BR, MT = C::MT, THREADS = C::NW * 32, kBC = C::BC;
    extern __shared__ __align__(128) unsigned char smemRaw[];
    T *sQ = reinterpret_cast<T *>(smemRaw);
    T *sK = sQ + BR * D;
    T *sV = sK + 2 * kBC * D;

    const int tid = threadIdx.x, warp = tid >> 5, lane = tid & 31;
    // Causal tiles near the end of the sequence have the most work: start them first.
    const int qTile = CAUSAL ? int(gridDim.x) - 1 - int(blockIdx.x) : int(blockIdx.x);
    const int bh = blockIdx.y;
    const int b = bh / p.qHeads, h = bh % p.qHeads;
    const int hk = h / (p.qHeads / p.kvHeads);
    const T *Q = static_cast<const T *>(p.q) + size_t(bh) * p.seqQ * D;
    const T *K = static_cast<const T *>(p.k) + (size_t(b) * p.kvHeads + hk) * p.seqK * D;
    const T *V = static_cast<const T *>(p.v) + (size_t(b) * p.kvHeads + hk) * p.seqK * D;
    T *O = static_cast<T *>(p.o) + size_t(bh) * p.seqQ * D;

    const int q0 = qTile * BR;
    const int keyEnd = CAUSAL ? min(p.seqK, q0 + BR) : p.seqK;
    const int tiles = (keyEnd + kBC - 1) / kBC;

    loadTile<BR, D, THREADS>(sQ, Q, q0, p.seqQ, tid);
    loadTile<kBC, D, THREADS>(sK, K, 0, p.seqK, tid);
    loadTile<kBC, D, THREADS>(sV, V, 0, p.seqK, tid);
    cpAsyncCommit();

    AttnState<D, MT> st;
    st.init();
    constexpr int QREGS = C::QSMEM ? 1 : MT; // fragments kept in registers, if any
    uint32_t qf[QREGS][D / 16][4];
    const int g = lane >> 2;
    const int warpRow0 = warp * 16 * MT; // tile row of this warp's first m-tile
    auto qfrag = [&](int mt, int kk, uint32_t(&a)[4]) {
        if constexpr (C::QSMEM) {
            loadQFragment<D>(a, sQ, warpRow0 + mt * 16, kk, lane);
        } else {
#pragma unroll
            for (int i = 0; i < 4; ++i)
                a[i] = qf[mt][kk][i];
        }
    };

    for (int j = 0; j < tiles; ++j) {
        if (j + 1 < tiles) {
            const int stage = (j + 1) & 1;
            loadTile<kBC, D, THREADS>(sK + stage * kBC * D, K, (j + 1) * kBC, p.seqK, tid);
            loadTile<kBC, D, THREADS>(sV + stage * kBC * D, V, (j + 1) * kBC, p.seqK, tid);
        }
        cpAsyncCommit();
        cpAsyncWait<1>();
        __syncthreads();
        if constexpr (!C::QSMEM) {
            if (j == 0)
#pragma unroll
                for (int mt = 0; mt < MT; ++mt)
                    loadQFragments<D>(qf[mt], sQ, warpRow0 + mt * 16, lane);
        }

        const int k0 = j * kBC;
        const bool masked = k0 + kBC > p.seqK || (CAUSAL && k0 + kBC - 1 > q0 + warpRow0);
        auto keep = [&](int mt, int key, int half) {
            const int kIdx = k0 + key;
            return kIdx < p.seqK && (!CAUSAL || kIdx <= q0 + warpRow0 + mt * 16 + g + half * 8);
        };
        attendTile<T, D, kBC, MT>(st, qfrag, sK + (j & 1) * kBC * D, sV + (j & 1) * kBC * D, 0, p.scaleLog2, masked,
                                  keep, lane);
        __syncthreads(); // the next iteration refills the stage just read
    }

    const int t = lane & 3;
#pragma unroll
    for (int mt = 0; mt < MT; ++mt)
#pragma unroll
        for (int half = 0; half < 2; ++half) {
            const int row = q0 + warpRow0 + mt * 16 + g + half * 8;
            const float l = quadSum(st.l[mt][half]);
            const float inv = l > 0.f ? 1.f / l : 0.f;
            if (row < p.seqQ) {
                T *out = O + size_t(row) * D;
#pragma unroll
                for (int d = 0; d < D / 8; ++d)
                    *reinterpret_cast<uint32_t *>(out + d * 8 + 2 * t) =
                        Mma<T>::pack(st.o[mt][d][2 * half] * inv, st.o[mt][d][2 * half + 1] * inv);
            }
        }
}

template <typename T, int D, typename C, bool CAUSAL>
cudaError_t launchFwd(const FwdParams &p, int batch, cudaStream_t stream)
{
    constexpr int smem = fwdSmemBytes<D, C>();
    auto kernel = flashFwdKernel<T, D, C, CAUSAL>;
    cudaError_t e = cudaFuncSetAttribute(kernel, cudaFuncAttributeMaxDynamicSharedMemorySize, smem);
    if (e != cudaSuccess)
        return e;
    dim3 grid((p.seqQ + C::BR - 1) / C::BR, batch * p.qHeads);
    kernel<<<grid, C::NW * 32, smem, stream>>>(p);
    return cudaGetLastError();
}

template <typename T, int D, typename C>
cudaError_t dispatchCausal(const FwdParams &p, int batch, bool causal, cudaStream_t s)
{
    return causal ? launchFwd<T, D, C, true>(p, batch, s) : launchFwd<T, D, C, false>(p, batch, s);
}

// The configuration used unless PAPERLAB_FA_CONFIG picks another (a development knob for
// the comparisons in NOTES.md; only fp16 has the alternatives compiled). Configurations
// measured and dropped (8 warps x 16 or 32 rows, 32-key tiles) are described in NOTES.md.
using V1 = FwdConfig<4, 1, false>;     // 64 rows, 16 per warp, Q in registers: first version
using V2 = FwdConfig<4, 2, true>;      // 128 rows, 32 per warp, Q re-read from shared memory
using V3 = FwdConfig<4, 2, false>;     // 128 rows, 32 per warp, Q in registers
using V8 = FwdConfig<4, 2, true, 128>; // as V2 with 128-key tiles: half the per-tile overhead
template <int D>
using Default = std::conditional_t<D == 64, V8, V2>;

int configFromEnv()
{
    static const int v = [] {
        const char *e = std::getenv("PAPERLAB_FA_CONFIG");
        return e ? std::atoi(e) : 0;
    }();
    return v;
}

template <int D>
cudaError_t dispatchF16(const FwdParams &p, int batch, bool causal, cudaStream_t s)
{
    switch (configFromEnv()) {
    case 1:
        return dispatchCausal<__half, D, V1>(p, batch, causal, s);
    case 2:
        return dispatchCausal<__half, D, V2>(p, batch, causal, s);
    case 3:
        return dispatchCausal<__half, D, V3>(p, batch, causal, s);
    case 8:
        return dispatchCausal<__half, D, V8>(p, batch, causal, s);
    default:
        return dispatchCausal<__half, D, Default<D>>(p, batch, causal, s);
    }
}

} // namespace

bool wgmmaAvailable();
cudaError_t launchFlashAttentionWgmma(const AttentionShape &s, DType dtype, const void *q, const void *k, const void *v,
                                      void *o, int warpgroups, bool pipelined, cudaStream_t stream);

cudaError_t launchFlashAttention(const AttentionShape &s, DType dtype, const void *q, const void *k, const void *v,
                                 void *o, cudaStream_t stream)
{
    FwdParams p{q, k, v, o, s.seqQ, s.seqK, s.qHeads, s.kvHeads, float(s.softmaxScale() * 1.4426950408889634)};
    const bool bf = dtype == DType::BF16;
    // 10/11: wgmma, 2 warpgroups, plain/pipelined; 12/13: the same with 3 warpgroups.
    // Default on an sm_90a image: wgmma with 3 warpgroups at head dim 128 and 2 at 64 (the
    // fastest measured, NOTES.md); elsewhere the mma.sync configurations below.
    const int cfg = configFromEnv();
    if (cfg >= 10 && cfg <= 13 && wgmmaAvailable())
        return launchFlashAttentionWgmma(s, dtype, q, k, v, o, cfg >= 12 ? 3 : 2, cfg % 2 == 1, stream);
    if (cfg == 0 && wgmmaAvailable())
        return launchFlashAttentionWgmma(s, dtype, q, k, v, o, s.headDim == 128 ? 3 : 2, false, stream);
    if (s.headDim == 64)
        return bf ? dispatchCausal<__nv_bfloat16, 64, Default<64>>(p, s.batch, s.causal, stream)
                  : dispatchF16<64>(p, s.batch, s.causal, stream);
    if (s.headDim == 128)
        return bf ? dispatchCausal<__nv_bfloat16, 128, Default<128>>(p, s.batch, s.causal, stream)
                  : dispatchF16<128>(p, s.batch, s.causal, stream);
    return cudaErrorInvalidValue;
}

} // namespace paperlab::kernels::cuda

extern "C" int paperlab_dev_flash_forward(int variant, int bf16, const void *q, const void *k, const void *v, void *o,
                                          int batch, int qHeads, int kvHeads, int seqQ, int seqK, int headDim,
                                          int causal, float scale, void *stream);

namespace paperlab::kernels::cuda {

GpuAttentionResult runFlashAttentionTmaGpu(const GpuAttentionJob &job)
{
    GpuAttentionResult result;
    PL_CUDA_TRY(cudaSetDevice(job.device));
    if (!wgmmaAvailable()) {
        result.error = RunError{ErrorCode::NoDevice, "variant", "flash_tma needs an sm_90a GPU (H100/H200)"};
        return result;
    }
    const AttentionShape &s = job.shape;
    if (s.causal && s.seqQ != s.seqK) {
        result.error = RunError{ErrorCode::BadParameter, "causal", "causal needs equal query and key lengths"};
        return result;
    }
    if (s.headDim != 64 && s.headDim != 128) {
        result.error = RunError{ErrorCode::BadParameter, "head_dim", "flash_tma is built for head_dim 64 and 128"};
        return result;
    }
    AttentionBuffers buf;
    PL_CUDA_TRY(buf.setUp(job));
    // The fastest measured configurations over two full runs (NOTES.md, "Hopper pipeline"):
    // v22 = two consumer warpgroups in ping-pong at hd128, three at hd64; non-causal grids
    // query-tile fastest for L2 reuse of K/V, causal ones longest tile first.
    const int variant = 22;
    int code = 0;
    timeLaunches(job, buf, result, [&] {
        const int c = paperlab_dev_flash_forward(variant, job.inputs.dtype == DType::BF16, buf.q.get(), buf.k.get(),
                                                 buf.v.get(), buf.o.get(), s.batch, s.qHeads, s.kvHeads, s.seqQ, s.seqK,
                                                 s.headDim, s.causal, float(s.softmaxScale()), nullptr);
        if (c != 0)
            code = c;
    });
    if (!result.error && code != 0)
        result.error =
            RunError{ErrorCode::CudaError, "launch", "flash_tma launch refused (code " + std::to_string(code) + ")"};
    return result;
}

GpuAttentionResult runFlashAttentionGpu(const GpuAttentionJob &job)
{
    GpuAttentionResult result;
    PL_CUDA_TRY(cudaSetDevice(job.device));
    if (job.shape.causal && job.shape.seqQ != job.shape.seqK) {
        result.error = RunError{ErrorCode::BadParameter, "causal", "causal needs equal query and key lengths"};
        return result;
    }
    AttentionBuffers buf;
    PL_CUDA_TRY(buf.setUp(job));
    cudaError_t launchErr = cudaSuccess;
    timeLaunches(job, buf, result, [&] {
        cudaError_t e = launchFlashAttention(job.shape, job.inputs.dtype, buf.q.get(), buf.k.get(), buf.v.get(),
                                             buf.o.get(), nullptr);
        if (e != cudaSuccess)
            launchErr = e;
    });
    if (!result.error && launchErr != cudaSuccess)
        result.error = cudaFailure(launchErr, "flash attention launch");
    return result;
}

} // namespace paperlab::kernels::cuda
