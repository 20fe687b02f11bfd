// The runner's command-line front end: --list, --devices, and single runs printed as a
// table or as one JSON document (for scripts and the benchmark).
#pragma once

#include "runner/cli_args.h"

#include <string>

namespace paperlab::kernels::runner {

std::string kernelsJson();
std::string devicesJson();
std::string errorJson(const RunError &e);

// Returns the process exit code: 0 all points ran and passed, 1 some point failed,
// 2 the request was rejected.
int runCli(const CliOptions &options);
// --probe: the device's RunEnvironment as JSON (without --device: cuda:0, else the CPU).
int probeCli(const CliOptions &options);

} // namespace paperlab::kernels::runner
