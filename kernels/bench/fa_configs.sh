#!/usr/bin/env bash
# Development comparison of the FlashAttention kernel configurations (PAPERLAB_FA_CONFIG,
# see cuda/flash_attention_fwd.cu), fp16, on the benchmark's large shapes. Every point is
# checked against float64 by the runner before its time counts (column ok).
#   kernels/bench/fa_configs.sh RUNNER "1 2 3" [seq list]
set -euo pipefail
runner=$1
configs=${2:-"1 2 3 4 5"}
seqs=${3:-"4096,16384"}
printf "%-4s %-5s %-6s %-6s %9s %8s %9s %s\n" cfg hd causal seq ms TFLOPS rel_l2 ok
for cfg in $configs; do
  for hd in 64 128; do
    for causal in false true; do
      PAPERLAB_FA_CONFIG=$cfg "$runner" --kernel flash_attention --device cuda:0 --variants flash \
        --sweep seq_len=$seqs --set tokens=16384 --set model_dim=2048 --set head_dim=$hd \
        --set causal=$causal --reps 10 --warmup 3 --json |
        python3 "$(dirname "$0")/points_table.py" $cfg $hd $causal
    done
  done
done
