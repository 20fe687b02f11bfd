#!/usr/bin/env bash
# Everything on one GPU call, from the repository root: the dev variants of every family
# (checked against float64, then timed beside SDPA: run_dev.sh), then the runner's GPU check
# programs (every CUDA variant of every kernel, flash_tma included) and one playground-style
# runner sweep showing flash_tma beside flash.
#   kernels/dev/check_all.sh [output-dir]        ($PAPERLAB_DEV_LIB: a prebuilt dev library)
set -uo pipefail
out=${1:-${OUT:-/tmp/paperlab-dev}}
mkdir -p "$out"
build=${PAPERLAB_BENCH_BUILD:-/tmp/paperlab-kernels-build}
status=0
timeout 300 kernels/dev/run_dev.sh "$out" --reps 20 --variants 14,15,16,17,18,19,20,21,22,23 2>&1 | grep -v "^  v.. .* ok$"
[[ ${PIPESTATUS[0]} == 0 ]] || status=1
cmake -S kernels -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DPAPERLAB_CUDA_GENCODE="-gencode=arch=compute_90a,code=sm_90a" >"$build.cmake.log" 2>&1 || { tail -20 "$build.cmake.log"; exit 1; }
cmake --build "$build" -j"$(nproc)" --target gpu_kernels_check gpu_quant_sparse_check paperlab-runner 2>&1 | tail -2
for check in gpu_kernels_check gpu_quant_sparse_check; do
  timeout 300 "$build/tests-kernels/$check" >"$out/$check.txt" 2>&1
  rc=$?
  echo "$check: exit $rc, $(tail -1 "$out/$check.txt")"
  [[ $rc == 0 ]] || status=1
done
"$build/paperlab-runner" --kernel flash_attention --device cuda:0 --variants flash,flash_tma \
  --sweep seq_len=4096,16384 --set head_dim=128 --set tokens=16384 --set model_dim=2048 --set causal=true \
  --reps 10 --json >"$out/runner_flash_tma.json" || status=1
python3 - "$out/runner_flash_tma.json" <<'PY'
import json, sys
for p in json.load(open(sys.argv[1]))["points"]:
    print(p["variant"], p["params"].get("seq_len"), {k: round(v, 4) for k, v in p["metrics"].items() if k in ("time_ms", "tflops", "rel_l2")})
PY
exit $status
