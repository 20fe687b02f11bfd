#!/usr/bin/env bash
# Selection versions on a CUDA machine, from the repository root: build standalone, run the
# decode-family GPU check with the default versions and again with the session-10 trials
# switched on (PAPERLAB_TOPK=9, Quest's pages by ranking, the default since run s11-1;
# PAPERLAB_DS_STAGE=1, Double Sparsity's label codes staged by cp.async, slower, off), then time
# them against the versions before them beside SDPA cuDNN (decode_versions.py --only
# stage,rank), then the phase stamps.
#   kernels/bench/run_select_versions.sh OUT_DIR [rounds]
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
"$b/tests-kernels/gpu_decode_family_check" >"$out/check_default.txt" 2>&1
echo "check (defaults): rc=$? $(tail -1 "$out/check_default.txt")"
PAPERLAB_TOPK=9 PAPERLAB_DS_STAGE=1 "$b/tests-kernels/gpu_decode_family_check" >"$out/check_trial.txt" 2>&1
echo "check (TOPK=9, DS_STAGE=1): rc=$? $(tail -1 "$out/check_trial.txt")"
grep -h FAIL "$out"/check_*.txt | head -20
PYTHONUNBUFFERED=1 python3 kernels/bench/decode_versions.py --runner "$b/paperlab-runner" --only stage,rank \
  --rounds "$rounds" --reps 20 --out "$out/versions.json" >"$out/versions.txt" 2>&1
sed -n '/medians/,$p' "$out/versions.txt"
PYTHONUNBUFFERED=1 python3 kernels/bench/decode_versions.py --runner "$b/paperlab-runner" --only stage,rank \
  --rounds 1 --reps 5 --stamps >"$out/stamps.txt" 2>&1
grep -E "stamps" "$out/stamps.txt" | head -20
echo "done in $(($(date +%s) - t0)) s"
