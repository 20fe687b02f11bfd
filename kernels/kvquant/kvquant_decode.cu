// Quantized-KV decode on the GPU (KIVI, SKVQ).
//
// Quantize kernels: per-token groups (V, and SKVQ's K: G stored channels of one token, read
// through the channel order) one thread per group; per-channel groups (KIVI's K: G tokens of
// one channel) one thread per (token group, 32-bit word of channels). Same float32 arithmetic
// and fp16 scale/min as kvquant_reference.cpp, so the codes match the CPU's.
//
// Decode, grid (splits, kv heads, batch), 128 threads, tiles of 128 keys:
//   S:  thread = key; dots with the (<= 16) query rows of this KV head, dequantizing the
//       key's packed codes in registers (q in shared memory, in stored channel order);
//       fp16 tokens (sinks, recent window) read from the fp16 cache.
//   softmax: one warp per row, online max/sum kept in shared memory.
//   PV: thread = stored channel (two key halves when head dim is 64), dequantizing V codes.
// With one split the block writes the output; else a normalized partial and its log-sum-exp,
// merged by a combine kernel (as Flash-Decoding).
#include "cuda/gpu_job.cuh"
#include "kvquant/kv_quantize.cuh"
#include "kvquant/kvquant_cuda.h"

#include <algorithm>
#include <cmath>
#include <cuda_fp16.h>
#include <math_constants.h>

namespace paperlab::kernels::cuda {

namespace {

constexpr int kThreads = 128;
constexpr int kTile = 128;
constexpr int kMaxRows = 16;

template <int BITS>
__global__ void quantPerTokenKernel(const __half *x, const uint16_t *perm, uint32_t *codes, __half2 *params, int L,
                                    int D, int qBegin, int lq, int G, float clip, long long total)
{
    constexpr int PER = 32 / BITS, LEVELS = (1 << BITS) - 1;
    const long long idx = blockIdx.x * (long long)blockDim.x + threadIdx.x;
    if (idx >= total)
        return;
    const int groups = D / G;
    const int gi = int(idx % groups);
    const long long rest = idx / groups;
    const int jj = int(rest % lq);
    const long long bh = rest / lq;
    const __half *row = x + (size_t(bh) * L + qBegin + jj) * D;
    const uint16_t *pm = perm + size_t(bh) * D + gi * G;
    float mn = CUDART_INF_F, mx = -CUDART_INF_F;
    for (int i = 0; i < G; ++i) {
        const float f = __half2float(row[pm[i]]);
        mn = fminf(mn, f);
        mx = fmaxf(mx, f);
    }
    __half sh, mh;
    float sf, mf;
    groupParams(mn, mx, clip, LEVELS, sh, sf, mh, mf);
    params[size_t(bh) * lq * groups + size_t(jj) * groups + gi] = __halves2half2(sh, mh);
    uint32_t *w = codes + (size_t(bh) * lq + jj) * (D * BITS / 32) + gi * G / PER;
    for (int wi = 0; wi < G / PER; ++wi) {
        uint32_t word = 0;
#pragma unroll
        for (int e = 0; e < PER; ++e)
            word |= codeOf(__half2float(row[pm[wi * PER + e]]), mf, sf, LEVELS) << (e * BITS);
        w[wi] = word;
    }
}

template <int BITS>
__global__ void quantPerChannelKernel(const __half *x, uint32_t *codes, __half2 *params, int L, int D, int qBegin,
                                      int lq, int G, long long total)
{
    constexpr int PER = 32 / BITS, LEVELS = (1 << BITS) - 1;
    const long long idx = blockIdx.x * (long long)blockDim.x + threadIdx.x;
    if (idx >= total)
        return;
    const int W = D * BITS / 32, tgs = lq / G;
    const int wi = int(idx % W);
    const long long rest = idx / W;
    const int tg = int(rest % tgs);
    const long long bh = rest / tgs;
    const __half *base = x + (size_t(bh) * L + qBegin + size_t(tg) * G) * D + wi * PER;
    float sf[PER], mf[PER];
#pragma unroll
    for (int e = 0; e < PER; ++e) {
        float mn = CUDART_INF_F, mx = -CUDART_INF_F;
        for (int i = 0; i < G; ++i) {
            const float f = __half2float(base[size_t(i) * D + e]);
            mn = fminf(mn, f);
            mx = fmaxf(mx, f);
        }
        __half sh, mh;
        groupParams(mn, mx, 1.f, LEVELS, sh, sf[e], mh, mf[e]);
        params[size_t(bh) * tgs * D + size_t(tg) * D + wi * PER + e] = __halves2half2(sh, mh);
    }
    for (int i = 0; i < G; ++i) {
        uint32_t word = 0;
#pragma unroll
        for (int e = 0; e < PER; ++e)
            word |= codeOf(__half2float(base[size_t(i) * D + e]), mf[e], sf[e], LEVELS) << (e * BITS);
        codes[(size_t(bh) * lq + size_t(tg) * G + i) * W + wi] = word;
    }
}

struct KvDecodeParams {
    const __half *q;
    const __half *k;
    const __half *v;
    const uint32_t *kCodes;
    const uint32_t *vCodes;
    const __half2 *kParams;
    const __half2 *vParams;
    const uint16_t *kPerm;
    const uint16_t *vPerm;
    __half *o;
    float *partO;   // [rows][splits][D]
    float *partLse; // [rows][splits], log2 domain
    int qHeads, kvHeads, L, qBegin, qEnd, G, kPerChannel, splits, chunk;
    long long kPairsPerHead, vPairsPerHead;
    float scaleLog2;
};

template <int D, int BITS>
__global__ void __launch_bounds__(kThreads) kvDecodeKernel(const KvDecodeParams p)
{
    constexpr int W = D * BITS / 32, PER = 32 / BITS, KP = kThreads / D;
    constexpr uint32_t MASK = (1u << BITS) - 1;
    __shared__ __align__(16) float sQo[kMaxRows][D]; // original channel order (fp16 tokens)
    __shared__ __align__(16) float sQp[kMaxRows][D]; // stored order (quantized keys)
    __shared__ float sS[kMaxRows][kTile];
    __shared__ float sAcc[kMaxRows][D];
    __shared__ float sM[kMaxRows], sL[kMaxRows], sCorr[kMaxRows];

    const int tid = threadIdx.x, warp = tid >> 5, lane = tid & 31;
    const int split = blockIdx.x, hk = blockIdx.y, b = blockIdx.z;
    const int group = p.qHeads / p.kvHeads; // <= kMaxRows, checked on the host
    const size_t bh = size_t(b) * p.kvHeads + hk;
    const size_t rowBase = size_t(b) * p.qHeads + size_t(hk) * group;
    const uint16_t *kp = p.kPerm + bh * D;
    const uint16_t *vp = p.vPerm + bh * D;
    for (int i = tid; i < group * D; i += kThreads)
        sQo[i / D][i % D] = __half2float(p.q[(rowBase + i / D) * D + i % D]);
    if (tid < kMaxRows) {
        sM[tid] = -CUDART_INF_F;
        sL[tid] = 0.f;
    }
    __syncthreads();
    for (int i = tid; i < group * D; i += kThreads)
        sQp[i / D][i % D] = sQo[i / D][kp[i % D]];
    __syncthreads();

    const int lq = p.qEnd - p.qBegin;
    const __half *Kh = p.k + bh * p.L * D;
    const __half *Vh = p.v + bh * p.L * D;
    const uint32_t *Kc = p.kCodes + bh * size_t(lq) * W;
    const uint32_t *Vc = p.vCodes + bh * size_t(lq) * W;
    const __half2 *Kp = p.kParams + bh * p.kPairsPerHead;
    const __half2 *Vp = p.vParams + bh * p.vPairsPerHead;
    const int pc = tid % D, part = tid / D;
    const int vch = vp[pc];
    const int groupsPerToken = D / p.G;

    float acc[kMaxRows];
#pragma unroll
    for (int r = 0; r < kMaxRows; ++r)
        acc[r] = 0.f;
    const int keyBegin = split * p.chunk, keyEnd = min(p.L, keyBegin + p.chunk);
    for (int t0 = keyBegin; t0 < keyEnd; t0 += kTile) {
        // S: one key per thread
        const int j = t0 + tid;
        float s[kMaxRows];
#pragma unroll
        for (int r = 0; r < kMaxRows; ++r)
            s[r] = 0.f;
        if (j < keyEnd) {
            if (j < p.qBegin || j >= p.qEnd) {
                const __half *kr = Kh + size_t(j) * D;
                for (int c8 = 0; c8 < D; c8 += 8) {
                    const uint4 raw = *reinterpret_cast<const uint4 *>(kr + c8);
                    const __half2 *h2 = reinterpret_cast<const __half2 *>(&raw);
                    float kv[8];
#pragma unroll
                    for (int e = 0; e < 4; ++e) {
                        const float2 f = __half22float2(h2[e]);
                        kv[2 * e] = f.x;
                        kv[2 * e + 1] = f.y;
                    }
#pragma unroll
                    for (int r = 0; r < kMaxRows; ++r) {
                        if (r < group) {
                            const float4 qa = *reinterpret_cast<const float4 *>(&sQo[r][c8]);
                            const float4 qb = *reinterpret_cast<const float4 *>(&sQo[r][c8 + 4]);
                            s[r] += qa.x * kv[0] + qa.y * kv[1] + qa.z * kv[2] + qa.w * kv[3] + qb.x * kv[4] +
                                    qb.y * kv[5] + qb.z * kv[6] + qb.w * kv[7];
                        }
                    }
                }
            } else {
                const int jj = j - p.qBegin;
                const uint4 *kw = reinterpret_cast<const uint4 *>(Kc + size_t(jj) * W);
#pragma unroll
                for (int w4 = 0; w4 < W / 4; ++w4) {
                    const uint4 raw = kw[w4];
                    const uint32_t words[4] = {raw.x, raw.y, raw.z, raw.w};
#pragma unroll
                    for (int wq = 0; wq < 4; ++wq) {
#pragma unroll
                        for (int e = 0; e < PER; ++e) {
                            const int pp = (w4 * 4 + wq) * PER + e;
                            const uint32_t code = (words[wq] >> (e * BITS)) & MASK;
                            const __half2 prm = p.kPerChannel ? Kp[size_t(jj / p.G) * D + pp]
                                                              : Kp[size_t(jj) * groupsPerToken + pp / p.G];
                            const float2 pf = __half22float2(prm);
                            const float kval = float(code) * pf.x + pf.y;
#pragma unroll
                            for (int r = 0; r < kMaxRows; ++r)
                                if (r < group)
                                    s[r] += sQp[r][pp] * kval;
                        }
                    }
                }
            }
        }
#pragma unroll
        for (int r = 0; r < kMaxRows; ++r)
            if (r < group)
                sS[r][tid] = j < keyEnd ? s[r] * p.scaleLog2 : -CUDART_INF_F;
        __syncthreads();

        // softmax: one warp per row
        for (int r = warp; r < group; r += kThreads / 32) {
            float v[kTile / 32];
            float mx = -CUDART_INF_F;
#pragma unroll
            for (int i = 0; i < kTile / 32; ++i) {
                v[i] = sS[r][lane + 32 * i];
                mx = fmaxf(mx, v[i]);
            }
#pragma unroll
            for (int o = 16; o > 0; o >>= 1)
                mx = fmaxf(mx, __shfl_xor_sync(0xffffffffu, mx, o));
            const float mOld = sM[r];
            const float mNew = fmaxf(mOld, mx);
            const float mSafe = mNew == -CUDART_INF_F ? 0.f : mNew;
            float sum = 0.f;
#pragma unroll
            for (int i = 0; i < kTile / 32; ++i) {
                const float e = exp2f(v[i] - mSafe);
                sS[r][lane + 32 * i] = e;
                sum += e;
            }
#pragma unroll
            for (int o = 16; o > 0; o >>= 1)
                sum += __shfl_xor_sync(0xffffffffu, sum, o);
            if (lane == 0) {
                const float corr = exp2f(mOld - mSafe);
                sL[r] = sL[r] * corr + sum;
                sM[r] = mNew;
                sCorr[r] = corr;
            }
        }
        __syncthreads();

        // PV: thread = stored channel pc (key half `part` when D = 64)
#pragma unroll
        for (int r = 0; r < kMaxRows; ++r)
            if (r < group)
                acc[r] *= sCorr[r];
        const int nKeys = min(kTile, keyEnd - t0);
#pragma unroll 4
        for (int jl = part; jl < nKeys; jl += KP) {
            const int j2 = t0 + jl;
            float val;
            if (j2 < p.qBegin || j2 >= p.qEnd) {
                val = __half2float(Vh[size_t(j2) * D + vch]);
            } else {
                const int jj = j2 - p.qBegin;
                const uint32_t word = Vc[size_t(jj) * W + pc / PER];
                const uint32_t code = (word >> ((pc % PER) * BITS)) & MASK;
                const float2 pf = __half22float2(Vp[size_t(jj) * groupsPerToken + pc / p.G]);
                val = float(code) * pf.x + pf.y;
            }
#pragma unroll
            for (int r = 0; r < kMaxRows; ++r)
                if (r < group)
                    acc[r] += sS[r][jl] * val;
        }
        __syncthreads();
    }
    if (KP > 1) {
        if (part == 1)
            for (int r = 0; r < group; ++r)
                sAcc[r][pc] = acc[r];
        __syncthreads();
        if (part == 1)
            return;
#pragma unroll
        for (int r = 0; r < kMaxRows; ++r)
            if (r < group)
                acc[r] += sAcc[r][pc];
    }
#pragma unroll
    for (int r = 0; r < kMaxRows; ++r) {
        if (r >= group)
            continue;
        const float l = sL[r];
        const float out = l > 0.f ? acc[r] / l : 0.f;
        const size_t row = rowBase + r;
        if (p.splits == 1) {
            p.o[row * D + vch] = __float2half_rn(out);
        } else {
            p.partO[(row * p.splits + split) * D + vch] = out;
            if (pc == 0)
                p.partLse[row * p.splits + split] = l > 0.f ? sM[r] + log2f(l) : -CUDART_INF_F;
        }
    }
}

template <int D>
__global__ void kvCombineKernel(const KvDecodeParams p)
{
    const size_t row = blockIdx.x;
    const float *lse = p.partLse + row * p.splits;
    float mMax = -CUDART_INF_F;
    for (int s = 0; s < p.splits; ++s)
        mMax = fmaxf(mMax, lse[s]);
    for (int c = threadIdx.x; c < D; c += blockDim.x) {
        float l = 0.f, acc = 0.f;
        for (int s = 0; s < p.splits; ++s) {
            const float w = lse[s] == -CUDART_INF_F ? 0.f : exp2f(lse[s] - mMax);
            l += w;
            acc += w * p.partO[(row * p.splits + s) * D + c];
        }
        p.o[row * D + c] = __float2half_rn(l > 0.f ? acc / l : 0.f);
    }
}

template <int D, int BITS>
void launchDecode(const KvDecodeParams &p, int batch)
{
    kvDecodeKernel<D, BITS><<<dim3(p.splits, p.kvHeads, batch), kThreads>>>(p);
    if (p.splits > 1)
        kvCombineKernel<D><<<batch * p.qHeads, D>>>(p);
}

} // namespace

GpuKvResult runKvQuantDecodeGpu(const GpuKvJob &job)
{
    GpuKvResult result;
    PL_CUDA_TRY(cudaSetDevice(job.device));
    const KvQuantConfig &c = job.config;
    const int D = job.headDim, L = job.kvLen, group = job.qHeads / job.kvHeads;
    if ((D != 64 && D != 128) || (c.bits != 2 && c.bits != 4) || group > kMaxRows || D % c.groupSize != 0) {
        result.error = RunError{ErrorCode::BadParameter, "head_dim", "unsupported head_dim / bits / group_size"};
        return result;
    }
    const size_t heads = size_t(job.batch) * job.kvHeads;
    const KvRanges r = job.fp16Cache ? KvRanges{} : kvRanges(L, c);
    const int lq = r.quantTokens(), W = D * c.bits / 32;
    const size_t kPairs = job.fp16Cache ? 0 : kParamPairs(c, D, lq), vPairs = job.fp16Cache ? 0 : vParamPairs(c, D, lq);
    const size_t qn = size_t(job.batch) * job.qHeads * D, kn = heads * L * D;

    DeviceBuffer q, k, v, o, kc, vc, kpar, vpar, kperm, vperm, partO, partLse, flush;
    PL_CUDA_TRY(q.alloc(qn * 2));
    PL_CUDA_TRY(k.alloc(kn * 2));
    PL_CUDA_TRY(v.alloc(kn * 2));
    PL_CUDA_TRY(o.alloc(qn * 2));
    PL_CUDA_TRY(kc.alloc(heads * lq * W * 4));
    PL_CUDA_TRY(vc.alloc(heads * lq * W * 4));
    PL_CUDA_TRY(kpar.alloc(heads * kPairs * 4));
    PL_CUDA_TRY(vpar.alloc(heads * vPairs * 4));
    PL_CUDA_TRY(kperm.alloc(heads * D * 2));
    PL_CUDA_TRY(vperm.alloc(heads * D * 2));
    PL_CUDA_TRY(cudaMemcpy(q.get(), job.q, qn * 2, cudaMemcpyHostToDevice));
    PL_CUDA_TRY(cudaMemcpy(k.get(), job.k, kn * 2, cudaMemcpyHostToDevice));
    PL_CUDA_TRY(cudaMemcpy(v.get(), job.v, kn * 2, cudaMemcpyHostToDevice));
    PL_CUDA_TRY(cudaMemcpy(kperm.get(), job.kPerm, heads * D * 2, cudaMemcpyHostToDevice));
    PL_CUDA_TRY(cudaMemcpy(vperm.get(), job.vPerm, heads * D * 2, cudaMemcpyHostToDevice));
    int l2 = 0, sms = 0;
    PL_CUDA_TRY(cudaDeviceGetAttribute(&l2, cudaDevAttrL2CacheSize, job.device));
    PL_CUDA_TRY(cudaDeviceGetAttribute(&sms, cudaDevAttrMultiProcessorCount, job.device));
    PL_CUDA_TRY(flush.alloc(size_t(l2) * 4));

    auto quantize = [&] {
        const float clip = c.method == KvMethod::Skvq ? float(c.clip) : 1.f;
        const long long tokTotal = (long long)heads * lq * (D / c.groupSize);
        const int tokBlocks = int((tokTotal + 255) / 256);
        if (keysPerChannel(c)) {
            const long long chTotal = (long long)heads * (lq / c.groupSize) * W;
            const int chBlocks = int((chTotal + 255) / 256);
            if (c.bits == 4)
                quantPerChannelKernel<4><<<chBlocks, 256>>>(k.get<__half>(), kc.get<uint32_t>(), kpar.get<__half2>(), L,
                                                            D, r.qBegin, lq, c.groupSize, chTotal);
            else
                quantPerChannelKernel<2><<<chBlocks, 256>>>(k.get<__half>(), kc.get<uint32_t>(), kpar.get<__half2>(), L,
                                                            D, r.qBegin, lq, c.groupSize, chTotal);
        } else if (c.bits == 4) {
            quantPerTokenKernel<4><<<tokBlocks, 256>>>(k.get<__half>(), kperm.get<uint16_t>(), kc.get<uint32_t>(),
                                                       kpar.get<__half2>(), L, D, r.qBegin, lq, c.groupSize, clip,
                                                       tokTotal);
        } else {
            quantPerTokenKernel<2><<<tokBlocks, 256>>>(k.get<__half>(), kperm.get<uint16_t>(), kc.get<uint32_t>(),
                                                       kpar.get<__half2>(), L, D, r.qBegin, lq, c.groupSize, clip,
                                                       tokTotal);
        }
        if (c.bits == 4)
            quantPerTokenKernel<4><<<tokBlocks, 256>>>(v.get<__half>(), vperm.get<uint16_t>(), vc.get<uint32_t>(),
                                                       vpar.get<__half2>(), L, D, r.qBegin, lq, c.groupSize, clip,
                                                       tokTotal);
        else
            quantPerTokenKernel<2><<<tokBlocks, 256>>>(v.get<__half>(), vperm.get<uint16_t>(), vc.get<uint32_t>(),
                                                       vpar.get<__half2>(), L, D, r.qBegin, lq, c.groupSize, clip,
                                                       tokTotal);
    };
    if (lq > 0) {
        // The middle of three runs, the cache as it is (neither flushed nor poisoned).
        std::vector<double> qt;
        const LaunchTimer once{0, 3, nullptr, nullptr, nullptr, "kv quantize launch"};
        if (auto err = once.run(
                [&] {
                    quantize();
                    return cudaGetLastError();
                },
                qt)) {
            result.error = err;
            return result;
        }
        std::sort(qt.begin(), qt.end());
        result.quantMs = qt[1];
    }

    // splits: about 4 blocks per SM, at least 512 keys per split, whole tiles
    const int blocks = int(heads);
    int splits =
        job.numSplits > 0 ? job.numSplits : std::max(1, std::min((L + 511) / 512, (4 * sms + blocks - 1) / blocks));
    int chunk = (L + splits - 1) / splits;
    chunk = (chunk + kTile - 1) / kTile * kTile;
    splits = (L + chunk - 1) / chunk;
    result.numSplitsUsed = splits;
    PL_CUDA_TRY(partO.alloc(qn * splits * 4));
    PL_CUDA_TRY(partLse.alloc(size_t(job.batch) * job.qHeads * splits * 4));

    KvDecodeParams p{};
    p.q = q.get<__half>();
    p.k = k.get<__half>();
    p.v = v.get<__half>();
    p.kCodes = kc.get<uint32_t>();
    p.vCodes = vc.get<uint32_t>();
    p.kParams = kpar.get<__half2>();
    p.vParams = vpar.get<__half2>();
    p.kPerm = kperm.get<uint16_t>();
    p.vPerm = vperm.get<uint16_t>();
    p.o = o.get<__half>();
    p.partO = partO.get<float>();
    p.partLse = partLse.get<float>();
    p.qHeads = job.qHeads;
    p.kvHeads = job.kvHeads;
    p.L = L;
    p.qBegin = r.qBegin;
    p.qEnd = r.qEnd;
    p.G = c.groupSize;
    p.kPerChannel = keysPerChannel(c) ? 1 : 0;
    p.splits = splits;
    p.chunk = chunk;
    p.kPairsPerHead = (long long)kPairs;
    p.vPairsPerHead = (long long)vPairs;
    p.scaleLog2 = float(1.4426950408889634 / std::sqrt(double(D)));

    const LaunchTimer timer{job.warmup, job.repetitions, job.cancel, &flush, &o, "kv decode launch"};
    auto decode = [&] {
        if (D == 64)
            c.bits == 4 ? launchDecode<64, 4>(p, job.batch) : launchDecode<64, 2>(p, job.batch);
        else
            c.bits == 4 ? launchDecode<128, 4>(p, job.batch) : launchDecode<128, 2>(p, job.batch);
        return cudaGetLastError();
    };
    if (auto err = timer.run(decode, result.timesMs))
        result.error = err;
    if (!result.error) {
        result.output.resize(qn);
        PL_CUDA_TRY(cudaMemcpy(result.output.data(), o.get(), qn * 2, cudaMemcpyDeviceToHost));
    }
    return result;
}

} // namespace paperlab::kernels::cuda
