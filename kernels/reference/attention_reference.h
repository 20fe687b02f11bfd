// Float64 attention on the CPU: the ground truth for every attention kernel and the
// fallback variant on machines without a GPU.
//
// Layouts (row-major, contiguous): q and out [batch][qHeads][seqQ][headDim],
// k and v [batch][kvHeads][seqK][headDim]. Query head h reads kv head h / (qHeads/kvHeads).
// Causal masking is aligned top-left: query i sees keys 0..i.
#pragma once

#include "core/half_bits.h"

#include <cstdint>
#include <vector>

namespace paperlab::kernels {

struct AttentionShape {
    int batch = 1;
    int qHeads = 1;
    int kvHeads = 1;
    int seqQ = 1;
    int seqK = 1;
    int headDim = 64;
    bool causal = false;
    double scale = 0; // 0: 1/sqrt(headDim)

    double softmaxScale() const;
    std::size_t qElements() const { return std::size_t(batch) * qHeads * seqQ * headDim; }
    std::size_t kvElements() const { return std::size_t(batch) * kvHeads * seqK * headDim; }
};

// Inputs are dtype bit patterns (exactly what the GPU reads), widened to double inside.
struct AttentionInputs {
    DType dtype = DType::F16;
    const std::uint16_t *q = nullptr;
    const std::uint16_t *k = nullptr;
    const std::uint16_t *v = nullptr;
};

// Blocked online-softmax attention over all rows, std::thread over (batch, head) pairs.
void attentionReferenceBlocked(const AttentionShape &shape, const AttentionInputs &in, double *out,
                               unsigned threads = 0);

// The textbook two-pass formula for one query row: max, exp-sum, weighted sum of V.
// Kept deliberately simple: it is what the blocked version and the GPU are checked against.
void attentionReferenceRow(const AttentionShape &shape, const AttentionInputs &in, int b, int h, int i, double *outRow);

struct RowId {
    int b, h, i;
};

// Which query rows to check: all of them when cheap, else a seeded random sample sized so
// the float64 check stays within about a second on a few cores.
std::vector<RowId> rowsToCheck(const AttentionShape &shape, std::uint64_t seed);

// Reference rows for `rows`, threaded; result is rows.size() * headDim doubles.
std::vector<double> attentionReferenceRows(const AttentionShape &shape, const AttentionInputs &in,
                                           const std::vector<RowId> &rows);

} // namespace paperlab::kernels
