// SageAttention in float64 on the CPU: the same smoothing and INT8 quantization as the CUDA
// kernel, with exact integer dot products, so the GPU is checked against the algorithm and
// the algorithm against exact attention.
//
//   K' = K - mean_over_tokens(K)         (smoothing; softmax is unchanged by it: q.mean is
//                                         the same for every key of a row)
//   Q' = Q * softmax_scale
//   delta = max|x| / 127 over a block of rows of one head (or one token); x_int = round(x / delta)
//   S = (Q_int K_int^T) * dQ * dK,  P = softmax(S),  O = P V
// With fp8PV (SageAttention2's P·V, off unless asked for), P and V are rounded to e4m3
// before the product, as sage_tma's kernel does it: the softmax runs online over 128-key
// tiles, P = e4m3(448 * exp(S - running max at its tile)), O and the row sum l accumulate
// the rounded P (the kernel takes l from the tensor cores, P against a block of ones) and are
// rescaled by exp(m_old - m_new) when the max moves; V per channel c is e4m3(V / s_c) * s_c
// with s_c = max over the sequence of |V_c| / 448.
#pragma once

#include "reference/attention_reference.h"

#include <cstdint>
#include <vector>

namespace paperlab::kernels {

constexpr int kSageBlockRows = 64;       // rows per quantization block of the mma.sync kernels, Q and K
constexpr int kSageTmaKeyTileRows = 128; // sage_tma: one K scale per key tile of its wgmma

struct SageOptions {
    // Rows of one head that share one INT8 scale (1 = per token). The mma.sync kernels
    // (sage, sage_v1, cpu) use 64 for Q and K; sage_tma quantises Q per 64 rows (one consumer
    // warpgroup's rows) but K per 128-key tile, the tile its s8 wgmma reads: coarser K
    // scales, so its simulation must use them too or sim_rel_l2 measures the difference.
    int qGroupRows = kSageBlockRows;
    int kGroupRows = kSageBlockRows;
    bool smoothK = true;
    bool fp8PV = false;                    // round P and V to e4m3 before P·V (see above)
    int fp8TileKeys = kSageTmaKeyTileRows; // fp8PV: keys per online-softmax step
};

// Symmetric INT8 quantization of n values: returns delta (max|x|/127, 1 when all zero).
double quantizeInt8(const double *x, std::size_t n, std::int8_t *codes);

struct SageQuantized {
    std::vector<std::int8_t> q, k; // same layouts as the fp16 inputs
    std::vector<double> qScale, kScale;
    int qGroupsPerSeq = 0, kGroupsPerSeq = 0, qGroupRows = 1, kGroupRows = 1;
    std::vector<double> kMean; // [batch][kvHeads][headDim]
    bool fp8PV = false;
    int fp8TileKeys = kSageTmaKeyTileRows;
    std::vector<double> vScale; // fp8PV only: [batch][kvHeads][headDim], s_c above
};

SageQuantized sageQuantize(const AttentionShape &s, const AttentionInputs &in, const SageOptions &o);

// Output rows (rows.size() * headDim) of the quantized algorithm; threads over rows.
std::vector<double> sageReferenceRows(const AttentionShape &s, const AttentionInputs &in, const SageQuantized &qz,
                                      const std::vector<RowId> &rows);

// Adds offset * u_c to channel c of every key (u: fixed random normal per channel), rounded
// back to the input type: the channel-wise bias of real keys that smoothing removes.
void addKeyChannelOffset(const AttentionShape &s, DType dtype, double offset, std::vector<std::uint16_t> &k);

} // namespace paperlab::kernels
