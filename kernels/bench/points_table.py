#!/usr/bin/env python3
"""Tables of paperlab-runner points, shared by the bench scripts.

As a program: reads paperlab-runner --json on stdin; prints one line per point: labels
given as arguments, then sweep value, time, TFLOPS, rel L2 and whether the point passed
(fa_configs.sh). As a module: `m`/`fmt` read and format a point's metrics, and
`save_and_print` keeps a bench's raw points as JSON and prints the Markdown table of our
kernels beside SDPA that bench_quant_sparse.py and bench_decode_family.py end with."""
import json
import os
import sys


def m(pt, name):
    """A point's metric, NaN when the kernel did not report it."""
    v = pt["metrics"].get(name)
    return float("nan") if v is None else v


def fmt(x, p=3):
    return "n/a" if x is None or x != x else f"{x:.{p}f}"


def print_ratio_table(title, rows):
    """rows: dicts with k, var, shape, ours, extra, flash, cudnn, acc, ok and optionally err
    (times in ms; flash/cudnn None where SDPA has no such shape)."""
    print(f"\n{title} ratio = SDPA time / ours (>1: ours faster)")
    print("| kernel | variant | shape | ours ms | detail | SDPA flash ms | ratio | SDPA cuDNN ms | ratio | accuracy | ok |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        fr = r["flash"] / r["ours"] if r["flash"] else None
        cr = r["cudnn"] / r["ours"] if r["cudnn"] else None
        ok = "yes" if r["ok"] else ("NO " + r.get("err", "")[:80]).strip()
        print(f"| {r['k']} | {r['var']} | {r['shape']} | {fmt(r['ours'])} | {r['extra']} | {fmt(r['flash'])} | "
              f"{fmt(fr, 2)} | {fmt(r['cudnn'])} | {fmt(cr, 2)} | {r['acc']} | {ok} |")


def save_and_print(out_dir, name, raw, rows, title):
    """The end of a bench: `raw` (the runner's answers) with `rows` added, written to
    out_dir/name.json for a later look, then the ratio table of `rows` under `title`."""
    raw["rows"] = rows
    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, f"{name}.json"), "w") as f:
        json.dump(raw, f, indent=1)
    print_ratio_table(title, rows)


def print_points(labels, runner_json):
    prefix = " ".join(f"{a:6}" for a in labels)
    for p in runner_json["points"]:
        mt = p["metrics"]
        ok = p["error"] is None
        print(f"{prefix} {p.get('sweep_value', '-'):6} {mt['time_ms']:9.3f} {mt['tflops']:8.1f} {mt['rel_l2']:9.2e} {ok}")


if __name__ == "__main__":
    print_points(sys.argv[1:], json.load(sys.stdin))
