#!/usr/bin/env bash
# Builds paperlab-runner standalone on a CUDA machine, checks the ceiling probe (label gpu:
# copy and GEMM ceilings, the per-host cache, p10/p90 on a real point), prints this GPU's
# environment, and writes one FlashAttention sweep as runner JSON (environment, ceilings and
# spread included) for the playground's chart. From the repository root:
#   kernels/bench/run_ceilings.sh [output-dir]
set -euo pipefail
out=${1:-${OUT:-/tmp/paperlab-ceilings}}
build=${PAPERLAB_BENCH_BUILD:-/tmp/paperlab-kernels-build}
mkdir -p "$out"
nvidia-smi --query-gpu=name,driver_version,clocks.sm,clocks.mem,power.draw,power.limit --format=csv | tee "$out/gpu.txt"
cmake -S kernels -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DPAPERLAB_CUDA_GENCODE="-gencode=arch=compute_90a,code=sm_90a" >"$out/cmake.log"
cmake --build "$build" -j"$(nproc)" --target paperlab-runner gpu_ceilings_check 2>&1 | tail -3
"$build/tests-kernels/gpu_ceilings_check" 2>&1 | tee "$out/gpu_ceilings_check.txt"
# First probe of this host measures (seconds); the second reads the cache.
( time "$build/paperlab-runner" --probe --device cuda:0 ) 2>&1 | tee "$out/probe_first.json"
( time "$build/paperlab-runner" --probe --device cuda:0 ) 2>&1 | tee "$out/probe_cached.json"
"$build/paperlab-runner" --kernel flash_attention --device cuda:0 --sweep seq_len=1024,2048,4096,8192,16384 \
  --set tokens=16384 --set model_dim=2048 --set head_dim=128 --variants flash --reps 20 --json >"$out/flash_ceilings.json"
python3 - "$out/flash_ceilings.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
env = d["environment"]
roof = {c["id"]: c["value"] for c in env["ceilings"]}
print(env["device_name"], "driver", env["driver_version"], "SM clock", env["start"]["sm_clock_mhz"], "->", env["end"]["sm_clock_mhz"])
for p in d["points"]:
    m = p["metrics"]
    print(f"seq_len {p['sweep_value']:>6}: {m['tflops']:6.1f} TFLOP/s (p10 {m['tflops_p10']:6.1f}, p90 {m['tflops_p90']:6.1f}) "
          f"= {100 * m['tflops'] / roof['matrix_fp16']:4.1f}% of measured fp16 matrix peak {roof['matrix_fp16']:.0f}")
PY
