// The packed KIVI cache laid out for the fused decode kernel (kivi_fused_decode.cu).
//
// The quantized tokens of one (batch, kv head) are records of 32 tokens (one KIVI key group).
// A record is what one warp reads for those 32 keys, in the order its lanes use it, so a
// warp copies it with 16-byte loads, fully coalesced, and each lane later reads back 16-byte
// chunks that are already its mma.sync fragments (no shuffles, no bank conflicts):
//   K codes  [tile 2][chunk BITS/2][lane 32] x 16 B  B operand of S = (q*scale) . codes^T
//   V codes  [tile 2][chunk BITS/2][lane 32] x 16 B  A operand of O^T = codes^T . (p*scale)^T
//   K params [kstep 8][t 4] x 16 B: half2 scales (2t, 2t+1), (2t+8, 2t+9), then the two min
//            pairs: lane t's q pairs times its scales are its A fragments; the mins are the B
//            fragment of an mma that gives q . kmin
//   V scales [tile 2][t 4][group 4] x 2 half2: scales of keys (2t, 2t+1) and (2t+8, 2t+9), which
//            times lane t's P pair are the B fragments of that group
//   V mins   [tile 2][t 4][group 4] x 2 half2: the same keys' minimums, the B fragment (column
//            = group, lane g < 4) of an mma that gives p . vmin per group
// SKVQ (K per token in groups of 32 stored channels, like V) keeps the codes' layout and lays
// its K params out for S^T, whose keys g and g+8 a lane holds:
//   K params [tile 2][g 8] x 32 B: the 4 groups' scales of key g, of key g+8, then their mins.
// (tile = 16 keys, t = lane % 4, g = lane / 4.) Codes come in pairs that become one half2
// register: low half at bit BITS*i of a 32-bit word, high half at 16 + BITS*i, so
// (word >> BITS*i) & mask | 0x6400'6400 is the pair as fp16 1024 + code, exactly.
// The four pairs of one mma (pairs 4q .. 4q+3: a K kstep or a V m-tile) sit at the same shift
// in four consecutive words (word 4 (q / P) + j, shift BITS (q % P), P pairs per word). Why:
// a shift of at most 10 - BITS needs no shift at all, only a mask in place (word & mask << s
// is code * 2^s, still exact as 1024 + code * 2^s or as a subnormal), and a factor 2^s shared
// by the whole mma is undone once (in q' for K, in the output for V) instead of per pair.
//   K pair pi = kstep*4 + ntile*2 + r: key tile*16 + ntile*8 + g, channels 16*kstep + 2t + 8r (+1)
//   V pair pi = mtile*4 + j:           keys tile*16 + 2t + 8(j/2) (+1), channel 16*mtile + g + 8(j%2)
// (V is the A operand, rows = channels, so the query rows are the n dimension: 8 wide, not 16.)
// Group size 32 (K: 32 tokens per channel; V: 32 channels per token), head dim 128.
#pragma once

#include "core/host_device.h"

#include <cstddef>
#include <cstdint>

namespace paperlab::kernels::kivi {

constexpr int kGroup = 32;
constexpr int kHeadDim = 128;
constexpr int kTileKeys = 16;

PL_HD constexpr int codeBytes(int bits)
{
    return 512 * bits;
} // per section (K or V), 32 keys
PL_HD constexpr int recordBytes(int bits)
{
    return 2 * codeBytes(bits) + 1024;
}
PL_HD constexpr int kCodeOffset(int)
{
    return 0;
}
PL_HD constexpr int vCodeOffset(int bits)
{
    return codeBytes(bits);
}
PL_HD constexpr int kParamOffset(int bits)
{
    return 2 * codeBytes(bits);
}
PL_HD constexpr int vParamOffset(int bits)
{
    return 2 * codeBytes(bits) + 512;
}
PL_HD constexpr int pairsPerWord(int bits)
{
    return 16 / bits;
}

// The lane's word (of 2 BITS a tile, 4 per 16-byte chunk) and the shift of pair pi.
PL_HD constexpr int pairWord(int bits, int pi)
{
    return 4 * ((pi / 4) / pairsPerWord(bits)) + pi % 4;
}
PL_HD constexpr int pairShift(int bits, int pi)
{
    return bits * ((pi / 4) % pairsPerWord(bits));
}
// The pair at shift index i (shift BITS * i) of the lane's word wl: the inverse of the two above.
PL_HD constexpr int pairAtWord(int bits, int wl, int i)
{
    return 4 * ((wl / 4) * pairsPerWord(bits) + i) + wl % 4;
}
// Byte offset, inside a code section, of the 32-bit word holding lane's pair pi of a tile.
PL_HD int pairWordOffset(int bits, int tile, int lane, int pi)
{
    const int wl = pairWord(bits, pi);
    return ((tile * (bits / 2) + wl / 4) * 32 + lane) * 16 + (wl % 4) * 4;
}

// Token (within the record) and channel of the low element of a pair; the high element is
// channel + 1 (K) or token + 1 (V).
PL_HD void kPairSource(int tile, int lane, int pi, int &key, int &ch)
{
    const int kstep = pi / 4, ntile = (pi / 2) % 2, r = pi % 2;
    key = tile * kTileKeys + ntile * 8 + lane / 4;
    ch = 16 * kstep + 2 * (lane % 4) + 8 * r;
}
PL_HD void vPairSource(int tile, int lane, int pi, int &key, int &ch)
{
    const int mtile = pi / 4, j = pi % 4;
    key = tile * kTileKeys + 2 * (lane % 4) + 8 * (j >> 1);
    ch = 16 * mtile + lane / 4 + 8 * (j & 1);
}
// Channel of K param slot e (0..3) of kstep for lane group t, and key of V param slot j.
PL_HD int kParamChannel(int kstep, int t, int e)
{
    return 16 * kstep + 2 * t + (e & 1) + 8 * (e >> 1);
}
PL_HD int vParamKey(int tile, int t, int j)
{
    return tile * kTileKeys + 2 * t + (j & 1) + 8 * (j >> 1);
}
// Bytes inside the K param section: the scale and the min of slot e.
PL_HD int kScaleByte(int kstep, int t, int e)
{
    return (kstep * 4 + t) * 16 + (e >> 1) * 4 + (e & 1) * 2;
}
PL_HD int kMinByte(int kstep, int t, int e)
{
    return kScaleByte(kstep, t, e) + 8;
}
// Bytes inside the V param section: the scale and the min of key slot j, group grp.
PL_HD int vScaleByte(int tile, int t, int j, int grp)
{
    return ((tile * 4 + t) * 4 + grp) * 8 + (j >> 1) * 4 + (j & 1) * 2;
}
PL_HD int vMinByte(int tile, int t, int j, int grp)
{
    return 256 + vScaleByte(tile, t, j, grp);
}

// SKVQ: bytes inside the K param section of the scale and the min of group grp of key
// tile * 16 + g + 8 * hi.
PL_HD int skvqKScaleByte(int tile, int g, int hi, int grp)
{
    return (tile * 8 + g) * 32 + hi * 8 + grp * 2;
}
PL_HD int skvqKMinByte(int tile, int g, int hi, int grp)
{
    return skvqKScaleByte(tile, g, hi, grp) + 16;
}

} // namespace paperlab::kernels::kivi

#undef PL_HD
