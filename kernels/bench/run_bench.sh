#!/usr/bin/env bash
# Builds paperlab-runner standalone (no Qt, no protobuf needed), runs the GPU correctness
# check, then the side-by-side benchmark. Run from the repository root on a CUDA machine:
#   kernels/bench/run_bench.sh [output-dir] [bench.py options, e.g. --quick --naive]
set -euo pipefail
out=${1:-${OUT:-/tmp/paperlab-bench}}
shift || true
build=${PAPERLAB_BENCH_BUILD:-/tmp/paperlab-kernels-build}
mkdir -p "$out"
nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm --format=csv | tee "$out/gpu.txt"
nvcc --version | tail -1 | tee -a "$out/gpu.txt"
python3 -c "import torch; print('torch', torch.__version__, 'cudnn', torch.backends.cudnn.version())" | tee -a "$out/gpu.txt"
cmake -S kernels -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DPAPERLAB_CUDA_GENCODE="-gencode=arch=compute_90a,code=sm_90a" >"$out/cmake.log"
cmake --build "$build" -j"$(nproc)" 2>&1 | tail -3
"$build/paperlab-runner" --devices
"$build/tests-kernels/gpu_kernels_check" 2>&1 | tee "$out/gpu_check.txt" | tail -40
PYTHONUNBUFFERED=1 python3 kernels/bench/bench.py --runner "$build/paperlab-runner" --out "$out" "$@" 2>&1 | tee "$out/bench.txt"
