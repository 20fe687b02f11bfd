// The RunEnvironment as JSON: printed by `paperlab-runner --probe` and put beside the
// points of `--json` output (the app imports it from there).
#pragma once

#include "core/run_environment.h"

#include <string>

namespace paperlab::kernels::runner {

std::string environmentJson(const RunEnvironment &env);

} // namespace paperlab::kernels::runner
