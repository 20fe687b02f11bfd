// Host side of the fused KIVI layout (kivi_fragment_layout.h): packs the quantizer's output
// (kvquant_reference.h, the codes the GPU's close-group kernel also produces) into records,
// and reads records back, so tests can check the layout against the plain cache.
#pragma once

#include "kvquant/kvquant_reference.h"

#include <cstdint>
#include <string>
#include <vector>

namespace paperlab::kernels {

// Empty when the fused kernel handles this configuration, else why not (names the parameter).
std::string kiviFusedUnsupported(const KvQuantConfig &c, int headDim, int rowsPerKvHead);

// One head's quantized tokens [qBegin, qEnd) as (qEnd - qBegin)/32 records of
// kivi::recordBytes(bits); channels in the stored (for SKVQ permuted) order.
std::vector<std::uint8_t> packKiviRecords(const KvHeadCache &h, const KvQuantConfig &c);

struct KiviRecordElement {
    int code = 0;
    std::uint16_t scaleBits = 0, minBits = 0;
};
// Token `key` (0..31) of the record, stored channel ch: K (KIVI: per-channel group, SKVQ:
// per-token group) and V (per-token group).
KiviRecordElement recordKey(const std::uint8_t *record, int bits, int key, int ch, KvMethod method = KvMethod::Kivi);
KiviRecordElement recordValue(const std::uint8_t *record, int bits, int key, int ch);

} // namespace paperlab::kernels
