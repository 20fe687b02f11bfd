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
