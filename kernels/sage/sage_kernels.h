// Registry factory for SageAttention.
#pragma once

#include "core/kernel_spec.h"

namespace paperlab::kernels {

KernelSpec makeSageAttentionSpec();

} // namespace paperlab::kernels
