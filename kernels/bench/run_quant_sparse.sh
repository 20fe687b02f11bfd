#!/usr/bin/env bash
# SageAttention, KIVI/SKVQ and block-sparse on a CUDA machine, from the repository root: build standalone (no Qt, no protobuf),
# run the GPU check of these kernels, then the side-by-side benchmark.
#   kernels/bench/run_quant_sparse.sh [output-dir] [bench_quant_sparse.py options]
set -uo pipefail
out=${1:-${OUT:-/tmp/paperlab-quant-sparse}}
shift || true
build=${PAPERLAB_BENCH_BUILD:-/tmp/paperlab-kernels-build}
mkdir -p "$out"
nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm --format=csv | tee "$out/gpu.txt"
nvcc --version | tail -1 | tee -a "$out/gpu.txt"
cmake -S kernels -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DPAPERLAB_CUDA_GENCODE="-gencode=arch=compute_90a,code=sm_90a" >"$out/cmake.log" 2>&1 || { tail -30 "$out/cmake.log"; exit 2; }
if ! cmake --build "$build" -j"$(nproc)" >"$out/build.log" 2>&1; then
  grep -E "error|Error" "$out/build.log" | head -40
  exit 3
fi
grep -E "warning" "$out/build.log" | grep -E "sage|kvquant|sparse|softmax_pv" | head -20
"$build/tests-kernels/gpu_quant_sparse_check" 2>&1 | tee "$out/gpu_quant_sparse_check.txt" | grep -vE "^ok  " | tail -40
PYTHONUNBUFFERED=1 python3 kernels/bench/bench_quant_sparse.py --runner "$build/paperlab-runner" --out "$out" "$@" 2>&1 | tee "$out/bench_quant_sparse.txt"
