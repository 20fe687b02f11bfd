#!/usr/bin/env bash
# Builds PaperLab (lean Debug, CPU-only) and runs the whole test suite with CTest.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
# Style first: every C++/CUDA file as .clang-format says (seconds; names the files that differ).
scripts/check-format.sh
export CCACHE_DIR="${CCACHE_DIR:-$HOME/.cache/paperlab-ccache}"
# The remote-run tests start sshd and Slurm on loopback (tests/remote/daemons.sh) and stop
# them after; here they must run, not skip.
export PAPERLAB_REQUIRE_DAEMONS=1
cmake --preset ci
cmake --build --preset ci --parallel "$(nproc)"
# Offscreen Qt for GUI tests; CTest's closing line gives passed and failed counts. One test
# per core (each test has its own temporary files; the remote tests' daemons are a CTest
# fixture, started before them and stopped after): run one by one, the two suites took 30%
# of CI's time.
QT_QPA_PLATFORM=offscreen ctest --preset ci --parallel "$(nproc)"

# The ci preset is CPU-only; where nvcc is installed, every .cu file still has to compile
# (for sm_90a, warnings as errors). Skipped without nvcc.
scripts/compile-cuda.sh

# The same suite again built by clang under ASan/UBSan, plus one replay of every fuzz
# target's corpus and crash inputs (CTest label "fuzz"); any sanitizer report fails it.
# The asan test preset sets QT_QPA_PLATFORM=offscreen and keeps LeakSanitizer on: with the
# offscreen platform Qt 6.4 leaves nothing behind that LSan reports (the whole suite was
# leak-clean when this was added), so a leak report is ours. Should a Qt plugin's
# process-lifetime allocation ever show up, suppress that one allocation by name
# (LSAN_OPTIONS=suppressions=...) rather than switching leak checking off.
# new_delete_type_mismatch is off: Qt WebEngine's Chromium (libQt6WebEngineCore, built
# without ASan) frees some objects with a sized delete of another size, which ASan's
# interposed operator delete reports although none of the code is ours.
cmake --preset asan
cmake --build --preset asan --parallel "$(nproc)"
ctest --preset asan --parallel "$(nproc)"
