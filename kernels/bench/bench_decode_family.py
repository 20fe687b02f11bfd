#!/usr/bin/env python3
"""Decode family benchmark: the fused KIVI decode and the KV-selection decode from
paperlab-runner beside PyTorch SDPA decode (cuDNN and flash backends) on the same shapes, and
the card's device-to-device copy bandwidth, all in one run on one GPU. ratio = cuDNN time /
ours (> 1: ours faster). Same timing discipline as bench.py: L2 flushed, CUDA events, medians.
"""
import argparse
import os
import sys

import torch
from torch.nn.attention import SDPBackend

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_quant_sparse import run_runner, sdpa_ms, time_cuda  # noqa: E402
from points_table import fmt, m, save_and_print  # noqa: E402


def copy_tbps(reps):
    n = 1 << 30  # 1 GiB each way
    a = torch.empty(n, dtype=torch.uint8, device="cuda").random_(0, 255)
    b = torch.empty_like(a)
    ms = time_cuda(lambda: b.copy_(a), reps)
    del a, b
    return 2 * n / (ms * 1e-3) / 1e12


def sdpa_decode(batch, L, reps):
    H = torch.float16
    q = torch.randn(batch, 32, 1, 128, device="cuda", dtype=H)
    k = torch.randn(batch, 8, L, 128, device="cuda", dtype=H)
    v = torch.randn_like(k)
    fl = sdpa_ms(SDPBackend.FLASH_ATTENTION, q, k, v, False, True, reps)
    cu = sdpa_ms(SDPBackend.CUDNN_ATTENTION, q, k, v, False, True, reps)
    del q, k, v
    torch.cuda.empty_cache()
    return fl, cu


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runner", required=True)
    ap.add_argument("--out", default=".")
    ap.add_argument("--reps", type=int, default=10)
    ap.add_argument("--only", default="kv,kvlong,select,acc", help="comma list of parts")
    args = ap.parse_args()
    parts = set(args.only.split(","))
    dev = torch.cuda.get_device_properties(0)
    raw, rows = {"device": dev.name}, []
    copy = copy_tbps(args.reps)
    raw["copy_tbps"] = copy
    print(f"copy bandwidth {copy:.2f} TB/s (read + write)", flush=True)
    shapes = []
    if "kv" in parts or "select" in parts or "kvsplits" in parts:
        shapes.append((16, 32768))
    if "kvlong" in parts or "kvlongsplits" in parts:
        shapes.append((1, 131072))
    base = {}
    for batch, L in shapes:
        base[(batch, L)] = sdpa_decode(batch, L, args.reps)
        raw[f"sdpa_b{batch}_{L}"] = base[(batch, L)]
    common = lambda b, L: [f"batch={b}", f"kv_len={L}", "q_heads=32", "kv_heads=8", "head_dim=128"]

    def add(kind, shape, pt, extra, acc, batch, L):
        fl, cu = base.get((batch, L), (None, None))
        rows.append(dict(k=kind, shape=shape, var=pt["variant"], ours=m(pt, "time_ms"), extra=extra, flash=fl,
                         cudnn=cu, acc=acc, ok=pt["error"] is None, err=(pt["error"] or {}).get("message", "")))
        r = rows[-1]
        print(f"  {kind} {r['var']} {shape}: {fmt(r['ours'])} ms (cuDNN {fmt(cu)}, x{fmt(cu / r['ours'] if cu else None, 2)}) "
              f"{extra} | {acc} {'' if r['ok'] else 'FAILED ' + r['err'][:100]}", flush=True)

    kv_runs = []
    if "kv" in parts:
        kv_runs += [(16, 32768, "bits=4", "quant,fp16,quant_v1"), (16, 32768, "bits=2", "quant"),
                    (16, 32768, "bits=8", "quant")]
    if "kvlong" in parts:
        kv_runs += [(1, 131072, "bits=4", "quant,fp16"), (1, 131072, "bits=2", "quant")]
    if "kvsplits" in parts:  # forced split counts (the default chooser's pick is one of them)
        for bits, splits in (("bits=4", "3,4,6,8,12"), ("bits=2", "4,8"), ("bits=8", "2,3,4")):
            res = run_runner(args.runner, "kv_quant_decode", f"num_splits={splits}",
                             common(16, 32768) + ["method=kivi", bits], "quant", args.reps)
            raw[f"kv_splits_{bits}"] = res
            for pt in res["points"]:
                pt["variant"] += f"(splits {pt.get('sweep_value')})"
                add("kivi", f"b16 kv32768 {bits}", pt, f"{m(pt, 'gbps'):.0f} GB/s",
                    f"sim {m(pt, 'sim_rel_l2'):.1e}", 16, 32768)
    if "kvlongsplits" in parts:  # b1 x 128k: forced split counts around the chooser's pick
        res = run_runner(args.runner, "kv_quant_decode", "num_splits=28,55,110,220", common(1, 131072) +
                         ["method=kivi", "bits=4"], "quant", args.reps)
        raw["kv_long_splits"] = res
        for pt in res["points"]:
            pt["variant"] += f"(splits {pt.get('sweep_value')})"
            add("kivi", "b1 kv131072 bits=4", pt, f"{m(pt, 'gbps'):.0f} GB/s", f"sim {m(pt, 'sim_rel_l2'):.1e}", 1,
                131072)
    if "kvblocks" in parts:  # the 168-register build, 3 blocks per SM (NOTES.md compares)
        kv_runs += [(16, 32768, "bits=4", "quant", "3"), (16, 32768, "bits=2", "quant", "3")]
    for run in kv_runs:
        batch, L, bits, variants = run[:4]
        blocks = run[4] if len(run) > 4 else None
        if blocks:
            os.environ["PAPERLAB_KIVI_BLOCKS"] = blocks
        res = run_runner(args.runner, "kv_quant_decode", "", common(batch, L) + ["method=kivi", bits], variants, args.reps)
        os.environ.pop("PAPERLAB_KIVI_BLOCKS", None)
        raw[f"kv_b{batch}_{L}_{bits}" + (f"_blocks{blocks}" if blocks else "")] = res
        for pt in res["points"]:
            if blocks:
                pt["variant"] += f"({blocks} blocks/SM)"
            mb = m(pt, "cache_mb")
            add("kivi", f"b{batch} kv{L} {bits}", pt,
                f"{m(pt, 'gbps'):.0f} GB/s ({100 * m(pt, 'gbps') / (copy * 1e3):.0f}% copy), cache {mb:.0f} MB, "
                f"{int(m(pt, 'num_splits'))} splits, append {fmt(m(pt, 'append_us'), 1)} us, "
                f"close group {fmt(m(pt, 'close_group_us'), 1)} us",
                f"cos {m(pt, 'cosine'):.4f} relL2 {m(pt, 'rel_l2'):.3f} sim {m(pt, 'sim_rel_l2'):.1e}", batch, L)

    if "select" in parts:
        batch, L = 16, 32768
        runs = [("policy=streaming,h2o,tova,snapkv,quest,double_sparsity", ["keep_ratio=0.125", "obs_window=8"],
                 "sparse"),
                ("page_size=16,64,128", ["keep_ratio=0.125", "policy=quest"], "sparse"),
                ("", ["keep_ratio=0.125"], "full")]
        for sweep, sets, variants in runs:
            res = run_runner(args.runner, "kv_select_decode", sweep, common(batch, L) + sets, variants, args.reps)
            raw[f"select_{sweep or 'full'}"] = res
            for pt in res["points"]:
                p = pt.get("params", {})
                add("select", f"b{batch} kv{L} 1/8 {pt.get('sweep_value') or 'full'}", pt,
                    f"select {fmt(m(pt, 'select_ms'))} ms, score {fmt(m(pt, 'score_ms'))} ms "
                    f"({fmt(100 * m(pt, 'score_share'), 1)}% of step), metadata {fmt(m(pt, 'metadata_ms'))} ms, "
                    f"{m(pt, 'gbps'):.0f} GB/s on kept",
                    f"mass {m(pt, 'mass_recall'):.3f} relL2 {m(pt, 'rel_l2'):.3f} sim {m(pt, 'sim_rel_l2'):.1e} "
                    f"agree {fmt(m(pt, 'agreement'), 4)}", batch, L)

    if "acc" in parts:  # accuracy on random and structured inputs (smaller batch: the float64 side is the cost)
        for inputs in ("random", "heavy", "recency"):
            res = run_runner(args.runner, "kv_select_decode", "policy=streaming,h2o,tova,snapkv,quest,double_sparsity",
                             common(2, 32768) + ["keep_ratio=0.125", f"inputs={inputs}", "obs_window=8"], "sparse",
                             3)
            raw[f"acc_{inputs}"] = res
            for pt in res["points"]:
                add("select-acc", f"b2 kv32768 1/8 {inputs} {pt.get('sweep_value')}", pt, "",
                    f"mass {m(pt, 'mass_recall'):.3f} relL2 {m(pt, 'rel_l2'):.3f} cos {m(pt, 'cosine'):.4f} "
                    f"sim {m(pt, 'sim_rel_l2'):.1e}", 0, 0)

    save_and_print(args.out, "bench_decode_family", raw, rows, f"{dev.name}; copy {copy:.2f} TB/s.")


if __name__ == "__main__":
    main()
