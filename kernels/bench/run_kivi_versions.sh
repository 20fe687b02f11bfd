#!/usr/bin/env bash
# KIVI decode versions on a CUDA machine, from the repository root: build, the decode-family GPU
# check with the new version forced (PAPERLAB_KIVI_VERSION=9: S and the row bias in two mma
# chains of 4 instead of one of 8), then versions 8 and 9 timed beside SDPA cuDNN at 2 and 4
# bits, b16 x 32k and b1 x 128k (decode_versions.py --only kivi), and version 9 at 3 and 4
# blocks per SM.
#   kernels/bench/run_kivi_versions.sh OUT_DIR [rounds]
set -uo pipefail
out=${1:?output dir}; rounds=${2:-3}
b=${PAPERLAB_BENCH_BUILD:-/tmp/paperlab-kernels-build}
mkdir -p "$out"
nvidia-smi --query-gpu=name,driver_version,clocks.max.sm --format=csv | tee "$out/gpu.txt"
t0=$(date +%s)
cmake -S kernels -B "$b" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DPAPERLAB_CUDA_GENCODE="-gencode=arch=compute_90a,code=sm_90a" >"$out/cmake.log" 2>&1 || { tail -30 "$out/cmake.log"; exit 2; }
cmake --build "$b" -j"$(nproc)" --target paperlab-runner gpu_decode_family_check >"$out/build.log" 2>&1 ||
  { grep -E "error" "$out/build.log" | head -30; exit 3; }
echo "built in $(($(date +%s) - t0)) s"
PAPERLAB_KIVI_VERSION=9 "$b/tests-kernels/gpu_decode_family_check" >"$out/check_v9.txt" 2>&1
echo "check (version 9): rc=$? $(tail -1 "$out/check_v9.txt")"
grep -h FAIL "$out"/check_*.txt | head -20
PYTHONUNBUFFERED=1 python3 kernels/bench/decode_versions.py --runner "$b/paperlab-runner" --only kivi \
  --rounds "$rounds" --reps 20 --out "$out/versions.json" >"$out/versions.txt" 2>&1
sed -n '/medians/,$p' "$out/versions.txt"
# Version 9 at 3 blocks per SM (168 registers) against 4 (128): shorter chains may change which wins.
PAPERLAB_KIVI_VERSION=9 PYTHONUNBUFFERED=1 python3 kernels/bench/decode_versions.py --runner "$b/paperlab-runner" \
  --only kiviblocks --rounds 2 --reps 20 --out "$out/blocks_v9.json" >"$out/blocks_v9.txt" 2>&1
sed -n '/medians/,$p' "$out/blocks_v9.txt"
echo "done in $(($(date +%s) - t0)) s"
