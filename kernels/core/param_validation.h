// Turns user text (CLI --set/--sweep, protobuf maps) into a validated ParamSet,
// naming the offending parameter in every error.
#pragma once

#include "core/kernel_spec.h"

#include <map>
#include <optional>
#include <string>

namespace paperlab::kernels {

std::optional<RunError> validateValue(const ParamSpec& spec, const std::string& value);

// Defaults for everything not given; unknown names and bad values are errors.
std::optional<RunError> resolveParams(const KernelSpec& kernel,
                                      const std::map<std::string, std::string>& given,
                                      ParamSet& out);

}  // namespace paperlab::kernels
