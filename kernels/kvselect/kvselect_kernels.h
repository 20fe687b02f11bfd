// Registry factory for the KV-selection family (StreamingLLM, H2O, TOVA, SnapKV, Quest,
// Double Sparsity) on one sparse decode.
#pragma once

#include "core/kernel_spec.h"

namespace paperlab::kernels {

KernelSpec makeKvSelectSpec();

} // namespace paperlab::kernels
