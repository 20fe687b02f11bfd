// KV-cache quantization (KIVI, SKVQ) on the CPU: the exact quantizer the CUDA kernels run
// (float32 arithmetic, fp16 scale/min, round-to-nearest-even), packing, dequantization, and
// float64 decode attention over the dequantized cache.
//
// Token ranges of one sequence: [0, qBegin) fp16 (SKVQ's attention sinks), [qBegin, qEnd)
// quantized, [qEnd, kvLen) fp16 (the recent window, plus the tokens that do not yet fill a
// group: KIVI's group of group_size tokens, as in the paper's residual; for SKVQ, whose groups
// run along channels, a block of kTokenBlock tokens, the unit the fused kernel's records hold).
//   KIVI: K per channel (a group = group_size consecutive tokens of one channel), V per token
//         (a group = group_size consecutive channels of one token), min/max asymmetric.
//   SKVQ: channels reordered so that similar channels share groups (sorted by the midpoint of
//         their range, a 1-D stand-in for the paper's clustering of (min, max)), K and V both
//         per token in groups of group_size reordered channels, ranges clipped by `clip`.
// Codes: bits-wide fields packed little-end-first into 32-bit words, a token's channels in
// stored (reordered) order: token jj's word w holds stored channels w*(32/bits)...
#pragma once

#include <cstdint>
#include <vector>

namespace paperlab::kernels {

enum class KvMethod { Kivi, Skvq };

struct KvQuantConfig {
    KvMethod method = KvMethod::Kivi;
    int bits = 4;       // 2 or 4
    int groupSize = 32; // tokens (KIVI keys) or channels (everything else)
    int residual = 128; // recent tokens kept in fp16
    int sink = 0;       // SKVQ: first tokens kept in fp16
    double clip = 1.0;  // SKVQ: the group's min and max are scaled by this
};

// SKVQ quantizes tokens as they leave the fp16 window in blocks of this many (KIVI: group_size).
constexpr int kTokenBlock = 32;

struct KvRanges {
    int qBegin = 0, qEnd = 0;
    int quantTokens() const { return qEnd - qBegin; }
};

KvRanges kvRanges(int kvLen, const KvQuantConfig &c);
inline bool keysPerChannel(const KvQuantConfig &c)
{
    return c.method == KvMethod::Kivi;
}
inline int wordsPerToken(int headDim, int bits)
{
    return headDim * bits / 32;
}

// Quantizes n values (float32, as the GPU) into codes; scale and min are returned as fp16 bits.
void quantizeGroup(const float *x, int n, int bits, float clip, std::uint16_t &scaleBits, std::uint16_t &minBits,
                   std::uint8_t *codes);
inline double dequantizeCode(int code, double scale, double minv)
{
    return code * scale + minv;
}

// One (batch, kv head) of the cache.
struct KvHeadCache {
    KvRanges r;
    std::vector<std::uint32_t> kCodes, vCodes;   // [quantTokens][wordsPerToken]
    std::vector<std::uint16_t> kParams, vParams; // fp16 (scale, min) pairs; see paramIndex*
    std::vector<std::uint16_t> kPerm, vPerm;     // stored channel p holds original channel perm[p]
};

// Pair index of the (scale, min) of stored channel p of quantized token jj.
inline std::size_t kParamIndex(const KvQuantConfig &c, int headDim, int jj, int p)
{
    return keysPerChannel(c) ? std::size_t(jj / c.groupSize) * headDim + p
                             : std::size_t(jj) * (headDim / c.groupSize) + p / c.groupSize;
}
inline std::size_t vParamIndex(const KvQuantConfig &c, int headDim, int jj, int p)
{
    return std::size_t(jj) * (headDim / c.groupSize) + p / c.groupSize;
}
std::size_t kParamPairs(const KvQuantConfig &c, int headDim, int quantTokens);
std::size_t vParamPairs(const KvQuantConfig &c, int headDim, int quantTokens);

// The SKVQ channel order of one head's [kvLen][headDim] fp16 tensor (identity for KIVI).
std::vector<std::uint16_t> channelOrder(const std::uint16_t *x, int kvLen, int headDim, const KvQuantConfig &c);

KvHeadCache quantizeKvHead(const std::uint16_t *k, const std::uint16_t *v, int kvLen, int headDim,
                           const KvQuantConfig &c);

// Back to [kvLen][headDim] doubles in the original channel order (fp16 ranges copied).
void dequantizeKvHead(const KvHeadCache &h, const std::uint16_t *k, const std::uint16_t *v, int kvLen, int headDim,
                      const KvQuantConfig &c, double *kOut, double *vOut);

// Bytes of the quantized cache (codes, scale/min pairs, fp16 ranges, permutations) and of
// the plain fp16 cache, for batch x kvHeads heads.
double kvCacheBytes(int batch, int kvHeads, int kvLen, int headDim, const KvQuantConfig &c);
double kvCacheBytesFp16(int batch, int kvHeads, int kvLen, int headDim);

// Decode attention in float64 for `rows` query rows that share one KV head:
// q [rows][headDim] (original channel order), K/V [kvLen][headDim]; out [rows][headDim].
void decodeRowsFloat64(const double *q, int rows, const double *k, const double *v, int kvLen, int headDim,
                       double scale, double *out);

} // namespace paperlab::kernels
