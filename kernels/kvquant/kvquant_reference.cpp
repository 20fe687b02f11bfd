#include "kvquant/kvquant_reference.h"

#include "core/half_bits.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace paperlab::kernels {

KvRanges kvRanges(int kvLen, const KvQuantConfig &c)
{
    KvRanges r;
    if (c.method == KvMethod::Kivi) {
        const int mid = std::max(0, kvLen - c.residual);
        r.qBegin = 0;
        r.qEnd = mid / c.groupSize * c.groupSize; // whole token groups only
    } else {
        r.qBegin = std::min(kvLen, std::max(0, c.sink));
        r.qEnd = r.qBegin + std::max(0, kvLen - c.residual - r.qBegin) / kTokenBlock * kTokenBlock;
    }
    return r;
}

void quantizeGroup(const float *x, int n, int bits, float clip, std::uint16_t &scaleBits, std::uint16_t &minBits,
                   std::uint8_t *codes)
{
    float mn = x[0], mx = x[0];
    for (int i = 1; i < n; ++i) {
        mn = std::min(mn, x[i]);
        mx = std::max(mx, x[i]);
    }
    mn *= clip;
    mx *= clip;
    const int levels = (1 << bits) - 1;
    const float scale = (mx - mn) / float(levels);
    scaleBits = floatToF16(scale);
    float sf = f16ToFloat(scaleBits);
    if (!(sf > 0.f)) {      // constant group (or fp16 underflow): any positive scale is exact
        scaleBits = 0x3c00; // 1.0
        sf = 1.f;
    }
    minBits = floatToF16(mn);
    const float mf = f16ToFloat(minBits);
    for (int i = 0; i < n; ++i) {
        const float q = std::nearbyint((x[i] - mf) / sf);
        codes[i] = std::uint8_t(std::clamp(q, 0.f, float(levels)));
    }
}

std::size_t kParamPairs(const KvQuantConfig &c, int headDim, int quantTokens)
{
    return keysPerChannel(c) ? std::size_t(quantTokens / c.groupSize) * headDim
                             : std::size_t(quantTokens) * (headDim / c.groupSize);
}

std::size_t vParamPairs(const KvQuantConfig &c, int headDim, int quantTokens)
{
    return std::size_t(quantTokens) * (headDim / c.groupSize);
}

std::vector<std::uint16_t> channelOrder(const std::uint16_t *x, int kvLen, int d, const KvQuantConfig &c)
{
    std::vector<std::uint16_t> perm(d);
    std::iota(perm.begin(), perm.end(), std::uint16_t(0));
    if (c.method != KvMethod::Skvq || kvLen == 0)
        return perm;
    std::vector<float> mn(d, std::numeric_limits<float>::infinity()), mx(d, -std::numeric_limits<float>::infinity());
    for (int j = 0; j < kvLen; ++j)
        for (int ch = 0; ch < d; ++ch) {
            const float f = f16ToFloat(x[std::size_t(j) * d + ch]);
            mn[ch] = std::min(mn[ch], f);
            mx[ch] = std::max(mx[ch], f);
        }
    std::stable_sort(perm.begin(), perm.end(),
                     [&](std::uint16_t a, std::uint16_t b) { return mn[a] + mx[a] < mn[b] + mx[b]; });
    return perm;
}

namespace {

void packCodes(const std::uint8_t *codes, int d, int bits, std::uint32_t *words)
{
    const int per = 32 / bits;
    for (int w = 0; w < d / per; ++w) {
        std::uint32_t word = 0;
        for (int i = 0; i < per; ++i)
            word |= std::uint32_t(codes[w * per + i]) << (i * bits);
        words[w] = word;
    }
}

int unpackCode(const std::uint32_t *words, int p, int bits)
{
    const int per = 32 / bits;
    return int((words[p / per] >> ((p % per) * bits)) & ((1u << bits) - 1));
}

} // namespace

KvHeadCache quantizeKvHead(const std::uint16_t *k, const std::uint16_t *v, int L, int d, const KvQuantConfig &c)
{
    KvHeadCache h;
    h.r = kvRanges(L, c);
    const int lq = h.r.quantTokens(), W = wordsPerToken(d, c.bits), G = c.groupSize;
    const float clip = c.method == KvMethod::Skvq ? float(c.clip) : 1.f;
    h.kPerm = channelOrder(k, L, d, c);
    h.vPerm = channelOrder(v, L, d, c);
    h.kCodes.assign(std::size_t(lq) * W, 0);
    h.vCodes.assign(std::size_t(lq) * W, 0);
    h.kParams.assign(2 * kParamPairs(c, d, lq), 0);
    h.vParams.assign(2 * vParamPairs(c, d, lq), 0);
    std::vector<float> buf(std::max(G, 1));
    std::vector<std::uint8_t> codes(std::size_t(std::max(lq, 1)) * d);

    auto perToken = [&](const std::uint16_t *x, const std::vector<std::uint16_t> &perm,
                        std::vector<std::uint16_t> &params, std::vector<std::uint32_t> &words) {
        for (int jj = 0; jj < lq; ++jj) {
            const std::uint16_t *row = x + std::size_t(h.r.qBegin + jj) * d;
            std::uint8_t *cr = &codes[std::size_t(jj) * d];
            for (int g = 0; g < d / G; ++g) {
                for (int i = 0; i < G; ++i)
                    buf[i] = f16ToFloat(row[perm[g * G + i]]);
                const std::size_t pi = std::size_t(jj) * (d / G) + g;
                quantizeGroup(buf.data(), G, c.bits, clip, params[2 * pi], params[2 * pi + 1], cr + g * G);
            }
            packCodes(cr, d, c.bits, &words[std::size_t(jj) * W]);
        }
    };
    if (keysPerChannel(c)) {
        for (int tg = 0; tg < lq / G; ++tg) {
            for (int p = 0; p < d; ++p) {
                for (int i = 0; i < G; ++i)
                    buf[i] = f16ToFloat(k[std::size_t(h.r.qBegin + tg * G + i) * d + h.kPerm[p]]);
                std::uint8_t col[128];
                const std::size_t pi = std::size_t(tg) * d + p;
                quantizeGroup(buf.data(), G, c.bits, clip, h.kParams[2 * pi], h.kParams[2 * pi + 1], col);
                for (int i = 0; i < G; ++i)
                    codes[std::size_t(tg * G + i) * d + p] = col[i];
            }
        }
        for (int jj = 0; jj < lq; ++jj)
            packCodes(&codes[std::size_t(jj) * d], d, c.bits, &h.kCodes[std::size_t(jj) * W]);
    } else {
        perToken(k, h.kPerm, h.kParams, h.kCodes);
    }
    perToken(v, h.vPerm, h.vParams, h.vCodes);
    return h;
}

void dequantizeKvHead(const KvHeadCache &h, const std::uint16_t *k, const std::uint16_t *v, int L, int d,
                      const KvQuantConfig &c, double *kOut, double *vOut)
{
    const int W = wordsPerToken(d, c.bits);
    for (int j = 0; j < L; ++j) {
        const int jj = j - h.r.qBegin;
        if (jj < 0 || j >= h.r.qEnd) {
            for (int ch = 0; ch < d; ++ch) {
                kOut[std::size_t(j) * d + ch] = f16ToFloat(k[std::size_t(j) * d + ch]);
                vOut[std::size_t(j) * d + ch] = f16ToFloat(v[std::size_t(j) * d + ch]);
            }
            continue;
        }
        for (int p = 0; p < d; ++p) {
            const std::size_t ki = kParamIndex(c, d, jj, p), vi = vParamIndex(c, d, jj, p);
            kOut[std::size_t(j) * d + h.kPerm[p]] =
                dequantizeCode(unpackCode(&h.kCodes[std::size_t(jj) * W], p, c.bits), f16ToFloat(h.kParams[2 * ki]),
                               f16ToFloat(h.kParams[2 * ki + 1]));
            vOut[std::size_t(j) * d + h.vPerm[p]] =
                dequantizeCode(unpackCode(&h.vCodes[std::size_t(jj) * W], p, c.bits), f16ToFloat(h.vParams[2 * vi]),
                               f16ToFloat(h.vParams[2 * vi + 1]));
        }
    }
}

double kvCacheBytes(int batch, int kvHeads, int L, int d, const KvQuantConfig &c)
{
    const KvRanges r = kvRanges(L, c);
    const int lq = r.quantTokens();
    double perHead = 2.0 * double(L - lq) * d * 2                                   // fp16 tokens, K and V
                     + 2.0 * double(lq) * d * c.bits / 8                            // codes
                     + 4.0 * double(kParamPairs(c, d, lq) + vParamPairs(c, d, lq)); // fp16 scale + min
    if (c.method == KvMethod::Skvq)
        perHead += 2.0 * d * 2; // the two channel orders, 16-bit each
    return perHead * batch * kvHeads;
}

double kvCacheBytesFp16(int batch, int kvHeads, int L, int d)
{
    return 4.0 * L * d * double(batch) * kvHeads;
}

void decodeRowsFloat64(const double *q, int rows, const double *k, const double *v, int L, int d, double scale,
                       double *out)
{
    std::vector<double> sc(std::max(L, 1));
    for (int r = 0; r < rows; ++r) {
        double mx = -std::numeric_limits<double>::infinity();
        for (int j = 0; j < L; ++j) {
            double dot = 0;
            for (int ch = 0; ch < d; ++ch)
                dot += q[std::size_t(r) * d + ch] * k[std::size_t(j) * d + ch];
            sc[j] = dot * scale;
            mx = std::max(mx, sc[j]);
        }
        double sum = 0;
        for (int j = 0; j < L; ++j)
            sum += (sc[j] = std::exp(sc[j] - mx));
        double *o = out + std::size_t(r) * d;
        std::fill(o, o + d, 0.0);
        for (int j = 0; j < L; ++j) {
            const double p = sc[j] / sum;
            for (int ch = 0; ch < d; ++ch)
                o[ch] += p * v[std::size_t(j) * d + ch];
        }
    }
}

} // namespace paperlab::kernels
