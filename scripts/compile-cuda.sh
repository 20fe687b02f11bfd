#!/usr/bin/env bash
# Compiles every .cu file under kernels/ with nvcc for Hopper (sm_90a, the arch that admits
# wgmma), host and device warnings on, so a kernel that stops compiling fails CI even though
# the ci preset builds CPU-only. Object files are thrown away: this checks, it does not
# build. Does nothing (exit 0) where nvcc is absent; NVCC=/path/to/nvcc picks one.
set -euo pipefail
cd "$(dirname "$0")/.."
nvcc="${NVCC:-$(command -v nvcc || true)}"
if [[ -z "$nvcc" && -x /usr/local/cuda/bin/nvcc ]]; then nvcc=/usr/local/cuda/bin/nvcc; fi
if [[ -z "$nvcc" ]]; then
  echo "compile-cuda: no nvcc, skipped"
  exit 0
fi
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
# The same language flags as kernels/CMakeLists.txt; -Xcompiler passes the host warnings on,
# -Werror all-warnings makes nvcc's own (device) warnings errors.
flags=(-std=c++17 -arch=sm_90a -Ikernels --expt-relaxed-constexpr -lineinfo
       -DPAPERLAB_KERNELS_HAVE_CUDA -Xcompiler=-Wall,-Wextra -Werror all-warnings)
echo "compile-cuda: $("$nvcc" --version | tail -1)"
# One nvcc per core; xargs exits non-zero when any file fails.
git ls-files 'kernels/*.cu' | xargs -P "$(nproc)" -I{} sh -c \
  'echo "  {}"; exec "$0" "$@" -c {} -o "'"$out"'/$(echo {} | tr / _).o"' "$nvcc" "${flags[@]}"
echo "compile-cuda: every .cu file compiles for sm_90a"
