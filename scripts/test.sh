#!/usr/bin/env bash
# Builds PaperLab (lean Debug, CPU-only) and runs the whole test suite with CTest.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
export CCACHE_DIR="${CCACHE_DIR:-$HOME/.cache/paperlab-ccache}"
cmake --preset ci
cmake --build --preset ci --parallel "$(nproc)"
# Offscreen Qt for GUI tests; CTest's closing line gives passed and failed counts.
QT_QPA_PLATFORM=offscreen ctest --preset ci

# The same suite again built by clang under ASan/UBSan, plus one replay of every fuzz
# target's corpus and crash inputs (CTest label "fuzz"); any sanitizer report fails it.
# ASAN_OPTIONS (set by the asan test preset) has detect_leaks=0: Qt keeps allocations for
# the life of the process (plugin loaders, the font database, QCoreApplication statics)
# that LeakSanitizer reports at exit; they are not ours, do not grow, and would bury a
# real report. Memory errors, UB and uncaught exceptions still abort the test.
cmake --preset asan
cmake --build --preset asan --parallel "$(nproc)"
ctest --preset asan
