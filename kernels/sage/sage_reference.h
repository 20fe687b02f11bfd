// SageAttention in float64 on the CPU: the same smoothing and INT8 quantization as the CUDA
// kernel, with exact integer dot products, so the GPU is checked against the algorithm and
// the algorithm against exact attention.
//
//   K' = K - mean_over_tokens(K)         (smoothing; softmax is unchanged by it: q.mean is
//                                         the same for every key of a row)
//   Q' = Q * softmax_scale
//   delta = max|x| / 127 over a block (64 rows of one head) or one token; x_int = round(x / delta)
//   S = (Q_int K_int^T) * dQ * dK,  P = softmax(S),  O = P V
#pragma once

#include "reference/attention_reference.h"

#include <cstdint>
#include <vector>

namespace paperlab::kernels {

constexpr int kSageBlockRows = 64; // rows per quantization block, Q and K (= the CUDA tile)

struct SageOptions {
    bool perToken = false; // false: one scale per 64-row block
    bool smoothK = true;
};

// Symmetric INT8 quantization of n values: returns delta (max|x|/127, 1 when all zero).
double quantizeInt8(const double *x, std::size_t n, std::int8_t *codes);

struct SageQuantized {
    std::vector<std::int8_t> q, k; // same layouts as the fp16 inputs
    std::vector<double> qScale, kScale;
    int qGroupsPerSeq = 0, kGroupsPerSeq = 0, groupRows = 1;
    std::vector<double> kMean; // [batch][kvHeads][headDim]
};

SageQuantized sageQuantize(const AttentionShape &s, const AttentionInputs &in, const SageOptions &o);

// Output rows (rows.size() * headDim) of the quantized algorithm; threads over rows.
std::vector<double> sageReferenceRows(const AttentionShape &s, const AttentionInputs &in, const SageQuantized &qz,
                                      const std::vector<RowId> &rows);

// Adds offset * u_c to channel c of every key (u: fixed random normal per channel), rounded
// back to the input type: the channel-wise bias of real keys that smoothing removes.
void addKeyChannelOffset(const AttentionShape &s, DType dtype, double offset, std::vector<std::uint16_t> &k);

} // namespace paperlab::kernels
