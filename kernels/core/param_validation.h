// Turns user text (CLI --set/--sweep, protobuf maps) into a validated ParamSet,
// naming the offending parameter in every error.
#pragma once

#include "core/kernel_spec.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>

namespace paperlab::kernels {

// The error for a bad parameter value, naming the parameter (the runner and the playground
// show `name` beside the field). Every kernel spec's own checks use it.
RunError badParam(const std::string &name, const std::string &message);

// The decode kernels put the query heads of one KV head into one 16-row MMA tile: kv_heads
// must divide q_heads, and at most 16 query heads may share a KV head.
std::optional<RunError> checkDecodeHeadGroups(std::int64_t qHeads, std::int64_t kvHeads);

std::optional<RunError> validateValue(const ParamSpec &spec, const std::string &value);

// Defaults for everything not given; unknown names and bad values are errors.
std::optional<RunError> resolveParams(const KernelSpec &kernel, const std::map<std::string, std::string> &given,
                                      ParamSet &out);

} // namespace paperlab::kernels
