#!/usr/bin/env bash
# Decode family on a CUDA machine, from the repository root: build standalone (no Qt, no
# protobuf), run the GPU check of the fused KIVI and KV-selection decodes, then the benchmark
# beside SDPA.   kernels/bench/run_decode_family.sh [output-dir] [--skip-check] [bench options]
set -uo pipefail
out=${1:-${OUT:-/tmp/paperlab-decode-family}}
shift || true
check=1
if [ "${1:-}" = "--skip-check" ]; then check=0; shift; fi
build=${PAPERLAB_BENCH_BUILD:-/tmp/paperlab-kernels-build}
mkdir -p "$out"
nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm --format=csv | tee "$out/gpu.txt"
cmake -S kernels -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DPAPERLAB_CUDA_GENCODE="-gencode=arch=compute_90a,code=sm_90a" >"$out/cmake.log" 2>&1 || { tail -30 "$out/cmake.log"; exit 2; }
if ! cmake --build "$build" -j"$(nproc)" --target paperlab-runner gpu_decode_family_check >"$out/build.log" 2>&1; then
  grep -E "error|Error" "$out/build.log" | head -40
  exit 3
fi
if [ $check = 1 ]; then
  "$build/tests-kernels/gpu_decode_family_check" 2>&1 | tee "$out/gpu_decode_family_check.txt" | grep -vE "^ok  " | tail -30
fi
PYTHONUNBUFFERED=1 python3 kernels/bench/bench_decode_family.py --runner "$build/paperlab-runner" --out "$out" "$@" \
  2>&1 | tee "$out/bench_decode_family.txt"
