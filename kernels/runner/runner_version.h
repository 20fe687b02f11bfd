#pragma once
// Reported by --version and in the protocol's Hello; bump with incompatible changes.
#define PAPERLAB_RUNNER_VERSION "0.1.0"
