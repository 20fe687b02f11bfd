#pragma once
// The runner's RunEnvironment (runner.proto, sent with the Summary) as the catalog's type.

#include "runenvironment.h"

namespace paperlab::runner {
class RunEnvironment;
}

namespace paperlab::playground {

// An absent message (an older runner) gives an empty environment.
paperlab::RunEnvironment environmentFromProto(const paperlab::runner::RunEnvironment &message);

} // namespace paperlab::playground
