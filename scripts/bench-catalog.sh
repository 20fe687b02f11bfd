#!/usr/bin/env bash
# The figures of the README's benchmark table (issue 16), on a quiet machine:
#   scripts/bench-catalog.sh [--papers N] [--runs N] [--check FILE] [--out DIR]
# Builds the `bench` preset, runs paperlab-catalog-bench and paperlab-app-bench --runs times
# each (default 3, at 100,000 papers), and prints one table: the median of each figure and
# its spread (min–max) over the runs. Wall and CPU time are printed side by side: on a shared
# machine the wall clock measures the other people too.
# --check FILE: every catalog run also compares what the benchmark's 1,000 queries return
#   with FILE (written by `paperlab-catalog-bench --write-results FILE` on the code to compare
#   with, same --papers); the script fails when any run differs.
# Pin it to the cores you mean to measure: taskset -c 0,1 scripts/bench-catalog.sh
set -euo pipefail
cd "$(dirname "$0")/.."

papers=100000 runs=3 check="" out=""
while [ $# -gt 0 ]; do
  case "$1" in
    --papers) papers="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    --check) check="$(realpath "$2")"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    -h|--help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench-catalog.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
case "$papers$runs" in *[!0-9]*) echo "bench-catalog.sh: --papers and --runs take a whole number" >&2; exit 2 ;; esac

export CCACHE_DIR="${CCACHE_DIR:-$HOME/.cache/paperlab-ccache}"
cmake --preset bench >/dev/null
cmake --build --preset bench --parallel "$(nproc)" --target paperlab-catalog-bench paperlab-app-bench paperlab

out="${out:-$(mktemp -d /tmp/paperlab-bench.XXXXXX)}"
mkdir -p "$out"
work="$(mktemp -d /tmp/paperlab-bench-work.XXXXXX)"
trap 'rm -rf "$work"' EXIT
bin=build/bench
start=$(date +%s)
for i in $(seq 1 "$runs"); do
  echo "catalog run $i of $runs ($papers papers)…" >&2
  args=(--papers "$papers")
  [ -n "$check" ] && args+=(--check-results "$check")
  "$bin/catalog/bench/paperlab-catalog-bench" "${args[@]}" | tee "$out/catalog-$i.txt" >&2
done
for i in $(seq 1 "$runs"); do
  echo "app run $i of $runs…" >&2
  # The synthetic library is written and imported by the first run and reused by the others.
  "$bin/app/gui/paperlab-app-bench" --papers "$papers" --runs 5 --keep "$work/synthetic" | tee "$out/app-$i.txt" >&2
done
echo "logs in $out; $(( $(date +%s) - start )) s in all" >&2
python3 "$(dirname "$0")/bench-table.py" "$papers" "$out"/catalog-*.txt -- "$out"/app-*.txt
