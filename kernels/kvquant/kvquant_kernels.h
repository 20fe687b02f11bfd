// Registry factory for the KV-cache quantization kernels (KIVI, SKVQ).
#pragma once

#include "core/kernel_spec.h"

namespace paperlab::kernels {

KernelSpec makeKvQuantSpec();

} // namespace paperlab::kernels
