// Factories for the attention kernels in the registry.
#pragma once

#include "core/kernel_spec.h"

namespace paperlab::kernels {

KernelSpec makeFlashAttentionSpec(); // FlashAttention / FlashAttention-2 forward
KernelSpec makeFlashDecodingSpec();  // Flash-Decoding: split-KV decode attention

} // namespace paperlab::kernels
