#!/usr/bin/env bash
# Builds the dev variants' shared library (unless $PAPERLAB_DEV_LIB names a built one) and
# runs the check-then-bench driver. From the repository root on a Hopper machine:
#   kernels/dev/run_dev.sh [output-dir] [run_dev.py options]
set -euo pipefail
out=${1:-${OUT:-/tmp/paperlab-dev}}
shift || true
mkdir -p "$out"
lib=${PAPERLAB_DEV_LIB:-/tmp/paperlab-dev/libpaperlab_dev.so}
if [[ ! -f $lib ]]; then
  mkdir -p "$(dirname "$lib")"
  nvcc -std=c++17 -O3 -gencode=arch=compute_90a,code=sm_90a -Xptxas -v -Ikernels -shared -Xcompiler -fPIC \
    -o "$lib" kernels/dev/flash_forward_tma.cu 2>"$out/ptxas.txt"
fi
nvidia-smi --query-gpu=name,driver_version,clocks.max.sm --format=csv,noheader | tee "$out/gpu.txt"
PYTHONUNBUFFERED=1 python3 kernels/dev/run_dev.py --lib "$lib" --json "$out/dev_points.json" "$@" 2>&1 |
  tee "$out/dev_bench.txt"
