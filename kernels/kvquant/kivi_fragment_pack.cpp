#include "kvquant/kivi_fragment_pack.h"

#include "kvquant/kivi_fragment_layout.h"

#include <cstring>

namespace paperlab::kernels {

namespace {

int codeAt(const std::vector<std::uint32_t> &words, int W, int token, int ch, int bits)
{
    const int per = 32 / bits;
    return int((words[std::size_t(token) * W + ch / per] >> ((ch % per) * bits)) & ((1u << bits) - 1));
}

void orPair(std::uint8_t *section, int bits, int tile, int lane, int pi, int lo, int hi)
{
    std::uint32_t w;
    const int off = kivi::pairWordOffset(bits, tile, lane, pi), sh = kivi::pairShift(bits, pi);
    std::memcpy(&w, section + off, 4);
    w |= std::uint32_t(lo) << sh | std::uint32_t(hi) << (16 + sh);
    std::memcpy(section + off, &w, 4);
}

int pairCode(const std::uint8_t *section, int bits, int tile, int lane, int pi, bool high)
{
    std::uint32_t w;
    std::memcpy(&w, section + kivi::pairWordOffset(bits, tile, lane, pi), 4);
    return int((w >> (kivi::pairShift(bits, pi) + (high ? 16 : 0))) & ((1u << bits) - 1));
}

void put16(std::uint8_t *at, std::uint16_t x)
{
    std::memcpy(at, &x, 2);
}
std::uint16_t get16(const std::uint8_t *at)
{
    std::uint16_t x;
    std::memcpy(&x, at, 2);
    return x;
}

} // namespace

std::string kiviFusedUnsupported(const KvQuantConfig &c, int headDim, int rows)
{
    if (headDim != kivi::kHeadDim)
        return "head_dim";
    if (c.groupSize != kivi::kGroup)
        return "group_size";
    if (rows > 8)
        return "q_heads";
    return {};
}

std::vector<std::uint8_t> packKiviRecords(const KvHeadCache &h, const KvQuantConfig &c)
{
    const int bits = c.bits, d = kivi::kHeadDim, W = wordsPerToken(d, bits), R = kivi::recordBytes(bits);
    const int blocks = h.r.quantTokens() / kivi::kGroup;
    std::vector<std::uint8_t> out(std::size_t(blocks) * R, 0);
    for (int blk = 0; blk < blocks; ++blk) {
        std::uint8_t *rec = out.data() + std::size_t(blk) * R;
        const int t0 = blk * kivi::kGroup;
        for (int tile = 0; tile < 2; ++tile)
            for (int lane = 0; lane < 32; ++lane)
                for (int pi = 0; pi < 32; ++pi) {
                    int key, ch;
                    kivi::kPairSource(tile, lane, pi, key, ch);
                    orPair(rec + kivi::kCodeOffset(bits), bits, tile, lane, pi, codeAt(h.kCodes, W, t0 + key, ch, bits),
                           codeAt(h.kCodes, W, t0 + key, ch + 1, bits));
                    kivi::vPairSource(tile, lane, pi, key, ch);
                    orPair(rec + kivi::vCodeOffset(bits), bits, tile, lane, pi, codeAt(h.vCodes, W, t0 + key, ch, bits),
                           codeAt(h.vCodes, W, t0 + key + 1, ch, bits));
                }
        if (keysPerChannel(c)) {
            for (int kstep = 0; kstep < 8; ++kstep)
                for (int t = 0; t < 4; ++t)
                    for (int e = 0; e < 4; ++e) {
                        const std::size_t pi = kParamIndex(c, d, t0, kivi::kParamChannel(kstep, t, e));
                        put16(rec + kivi::kParamOffset(bits) + kivi::kScaleByte(kstep, t, e), h.kParams[2 * pi]);
                        put16(rec + kivi::kParamOffset(bits) + kivi::kMinByte(kstep, t, e), h.kParams[2 * pi + 1]);
                    }
        } else {
            for (int tile = 0; tile < 2; ++tile)
                for (int g = 0; g < 8; ++g)
                    for (int hi = 0; hi < 2; ++hi)
                        for (int grp = 0; grp < d / kivi::kGroup; ++grp) {
                            const int key = tile * kivi::kTileKeys + g + 8 * hi;
                            const std::size_t pi = kParamIndex(c, d, t0 + key, grp * kivi::kGroup);
                            put16(rec + kivi::kParamOffset(bits) + kivi::skvqKScaleByte(tile, g, hi, grp),
                                  h.kParams[2 * pi]);
                            put16(rec + kivi::kParamOffset(bits) + kivi::skvqKMinByte(tile, g, hi, grp),
                                  h.kParams[2 * pi + 1]);
                        }
        }
        for (int tile = 0; tile < 2; ++tile)
            for (int t = 0; t < 4; ++t)
                for (int j = 0; j < 4; ++j)
                    for (int grp = 0; grp < d / kivi::kGroup; ++grp) {
                        const std::size_t pi = vParamIndex(c, d, t0 + kivi::vParamKey(tile, t, j), grp * kivi::kGroup);
                        put16(rec + kivi::vParamOffset(bits) + kivi::vScaleByte(tile, t, j, grp), h.vParams[2 * pi]);
                        put16(rec + kivi::vParamOffset(bits) + kivi::vMinByte(tile, t, j, grp), h.vParams[2 * pi + 1]);
                    }
    }
    return out;
}

KiviRecordElement recordKey(const std::uint8_t *rec, int bits, int key, int ch, KvMethod method)
{
    // Invert kPairSource: key = tile*16 + ntile*8 + g, ch = 16*kstep + 2t + 8r + high.
    const int tile = key / 16, ntile = (key / 8) % 2, g = key % 8;
    const int kstep = ch / 16, within = ch % 16, r = within / 8, t = (within % 8) / 2, high = within % 2;
    KiviRecordElement e;
    e.code = pairCode(rec + kivi::kCodeOffset(bits), bits, tile, g * 4 + t, kstep * 4 + ntile * 2 + r, high);
    if (method == KvMethod::Skvq) {
        const int hi = (key % 16) / 8, grp = ch / kivi::kGroup;
        e.scaleBits = get16(rec + kivi::kParamOffset(bits) + kivi::skvqKScaleByte(tile, g, hi, grp));
        e.minBits = get16(rec + kivi::kParamOffset(bits) + kivi::skvqKMinByte(tile, g, hi, grp));
        return e;
    }
    const int slot = (within % 2) + 2 * r;
    e.scaleBits = get16(rec + kivi::kParamOffset(bits) + kivi::kScaleByte(kstep, t, slot));
    e.minBits = get16(rec + kivi::kParamOffset(bits) + kivi::kMinByte(kstep, t, slot));
    return e;
}

KiviRecordElement recordValue(const std::uint8_t *rec, int bits, int key, int ch)
{
    // Invert vPairSource: key = tile*16 + 2t + 8(j/2) + high, ch = 16*mtile + g + 8(j%2).
    const int tile = key / 16, within = key % 16, r = within / 8, t = (within % 8) / 2, high = within % 2;
    const int mtile = ch / 16, g = ch % 8, jc = (ch % 16) / 8;
    KiviRecordElement e;
    e.code = pairCode(rec + kivi::vCodeOffset(bits), bits, tile, g * 4 + t, mtile * 4 + 2 * r + jc, high);
    const int j = high + 2 * r, grp = ch / kivi::kGroup;
    e.scaleBits = get16(rec + kivi::vParamOffset(bits) + kivi::vScaleByte(tile, t, j, grp));
    e.minBits = get16(rec + kivi::vParamOffset(bits) + kivi::vMinByte(tile, t, j, grp));
    return e;
}

} // namespace paperlab::kernels
