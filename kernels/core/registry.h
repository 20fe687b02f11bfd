// The list of kernels the runner and the playground know about.
// Adding a kernel: write a make...Spec() factory (see attention/attention_kernels.h) and
// append it in registry.cpp. An explicit list rather than static self-registration,
// because a static library silently drops objects nothing references.
#pragma once

#include "core/kernel_spec.h"

#include <string>
#include <vector>

namespace paperlab::kernels {

const std::vector<KernelSpec> &allKernels();
const KernelSpec *findKernel(const std::string &id);

} // namespace paperlab::kernels
