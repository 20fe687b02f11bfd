// Command line of paperlab-runner.
#pragma once

#include "core/run_types.h"

#include <optional>
#include <string>

namespace paperlab::kernels::runner {

enum class CliAction { Help, List, Devices, Run, Protocol, Version, Probe };

struct CliOptions {
    CliAction action = CliAction::Help;
    bool json = false;
    bool reprobe = false;
    bool deviceGiven = false; // --probe: measure even when the ceilings are cached
    RunRequest request;
};

// Errors name the offending option.
std::optional<RunError> parseCli(int argc, char **argv, CliOptions &out);

const char *cliUsage();

} // namespace paperlab::kernels::runner
