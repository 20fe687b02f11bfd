#!/usr/bin/env python3
"""Versions of the decode-family kernels timed against each other in one run: each version is
chosen by its environment switch (PAPERLAB_KIVI_VERSION, PAPERLAB_TOPK, ...), the versions of a
configuration run in turn and the whole set is repeated `--rounds` times, so a drifting clock or
a warming card shows up as spread instead of as a difference between versions. PyTorch SDPA
decode (cuDNN) on the same shapes is the reference of the ratios. Prints one line per point and
a table of medians over the rounds; PAPERLAB_TOPK_STAMPS lines from the runner are passed on.

  decode_versions.py --runner build/paperlab-runner [--rounds 2] [--only kivi,skvq,select,select8,pdl,kivisplits,kiviblocks,stage,rank]
"""
import argparse
import json
import os
import statistics
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_decode_family import sdpa_decode  # noqa: E402


def common(b, L):
    return [f"batch={b}", f"kv_len={L}", "q_heads=32", "kv_heads=8", "head_dim=128"]


def configs(parts):
    sel = common(16, 32768) + ["keep_ratio=0.125", "obs_window=8"]
    out = []
    if "kivi" in parts:
        for bits in ("4", "2"):
            out.append((f"kivi {bits}-bit b16x32k", (16, 32768), "kv_quant_decode", "",
                        common(16, 32768) + ["method=kivi", f"bits={bits}"], "quant", "PAPERLAB_KIVI_VERSION",
                        ["7", "8"]))
        out.append(("kivi 4-bit b1x128k", (1, 131072), "kv_quant_decode", "",
                    common(1, 131072) + ["method=kivi", "bits=4"], "quant", "PAPERLAB_KIVI_VERSION", ["7", "8"]))
    if "kivisplits" in parts:  # forced split counts (0: the chooser's) for both register builds
        out.append(("kivi 4-bit splits", (16, 32768), "kv_quant_decode", "num_splits=0,8,12,16,24",
                    common(16, 32768) + ["method=kivi", "bits=4"], "quant", "PAPERLAB_KIVI_BLOCKS", ["4", "3"]))
    if "kiviblocks" in parts:  # the 128-register (4 blocks/SM) and 168-register (3) builds
        for bits, b, L in (("4", 16, 32768), ("4", 1, 131072), ("2", 16, 32768), ("2", 1, 131072)):
            out.append((f"kivi {bits}-bit b{b}x{L // 1024}k blocks", (b, L), "kv_quant_decode", "",
                        common(b, L) + ["method=kivi", f"bits={bits}"], "quant", "PAPERLAB_KIVI_BLOCKS", ["4", "3"]))
    if "skvq" in parts:  # one version: the same kernel's KIVI beside it
        for bits in ("4", "2"):
            out.append((f"skvq {bits}-bit b16x32k", (16, 32768), "kv_quant_decode", "method=kivi,skvq",
                        common(16, 32768) + [f"bits={bits}", "sink=4", "k_channel_offset=5"], "quant",
                        "PAPERLAB_KIVI_VERSION", ["8"]))
    if "select" in parts:
        out.append(("select 1/8 b16x32k", (16, 32768), "kv_select_decode",
                    "policy=h2o,tova,snapkv,double_sparsity",
                    sel, "sparse", "PAPERLAB_TOPK", ["5", "8"]))
        out.append(("select quest", (16, 32768), "kv_select_decode", "page_size=16,64,128", sel + ["policy=quest"],
                    "sparse", "PAPERLAB_QUEST_SCORE", ["3", "4"]))
    if "select8" in parts:  # fp16 page bounds / label cache against 8-bit codes (a parameter, not a version)
        out.append(("quest bounds", (16, 32768), "kv_select_decode", "page_size=16,64,128", sel + ["policy=quest"],
                    "sparse", "param:bounds_bits", ["16", "8"]))
        out.append(("ds labels", (16, 32768), "kv_select_decode", "", sel + ["policy=double_sparsity"], "sparse",
                    "param:label_bits", ["16", "8", "4"]))
    if "pdl" in parts:  # the sparse decode launched plainly (0) or as a programmatic dependent (1)
        for name, sets in (("pdl h2o", sel + ["policy=h2o"]),
                           ("pdl streaming", sel + ["policy=streaming"]),
                           ("pdl quest p16 b8", sel + ["policy=quest", "page_size=16", "bounds_bits=8"]),
                           ("pdl quest p128 b8", sel + ["policy=quest", "page_size=128", "bounds_bits=8"]),
                           ("pdl ds labels4", sel + ["policy=double_sparsity", "label_bits=4"])):
            out.append((name, (16, 32768), "kv_select_decode", "", sets, "sparse", "PAPERLAB_PDL", ["0", "1"]))
    if "stage" in parts:  # Double Sparsity's label codes loaded per thread (0) or staged by cp.async (1)
        for bits in ("4", "8", "16"):
            out.append((f"ds labels{bits} stage", (16, 32768), "kv_select_decode", "",
                        sel + ["policy=double_sparsity", f"label_bits={bits}"], "sparse", "PAPERLAB_DS_STAGE",
                        ["0", "1"]))
    if "rank" in parts:  # Quest's pages chosen by the radix select (8) or by ranking (9, <= 256 pages)
        for bits in ("8", "16"):
            out.append((f"quest b{bits} rank", (16, 32768), "kv_select_decode", "page_size=64,128",
                        sel + ["policy=quest", f"bounds_bits={bits}"], "sparse", "PAPERLAB_TOPK", ["8", "9"]))
    return out


def run(runner, kernel, sweep, sets, variants, reps, env):
    cmd = [runner, "--kernel", kernel, "--device", "cuda:0", "--variants", variants, "--reps", str(reps),
           "--warmup", "2", "--json"] + (["--sweep", sweep] if sweep else [])
    for s in sets:
        cmd += ["--set", s]
    p = subprocess.run(cmd, capture_output=True, text=True, env={**os.environ, **env})
    for line in p.stderr.splitlines():
        if line.startswith("topk stamps"):
            print("   ", line, flush=True)
    if p.returncode not in (0, 1):
        print(p.stdout[-2000:], p.stderr[-2000:], file=sys.stderr)
        return []
    return json.loads(p.stdout)["points"]


def metric(pt, name):
    v = pt.get("metrics", {}).get(name)
    return v if isinstance(v, (int, float)) else None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runner", required=True)
    ap.add_argument("--reps", type=int, default=10)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--only", default="kivi,select")
    ap.add_argument("--stamps", action="store_true", help="PAPERLAB_TOPK_STAMPS=1 in the selection runs")
    ap.add_argument("--out", default="")
    args = ap.parse_args()
    cfgs = configs(set(args.only.split(",")))
    base = {}
    for c in cfgs:
        if c[1] not in base:
            base[c[1]] = sdpa_decode(*c[1], args.reps)
            print(f"SDPA decode {c[1]}: flash {base[c[1]][0]:.4f} ms, cuDNN {base[c[1]][1]:.4f} ms", flush=True)
    times = {}
    raw = []
    for rnd in range(args.rounds):
        for name, shape, kernel, sweep, sets, variants, var, values in cfgs:
            for val in values:
                env, point_sets = {var: val}, sets
                if var.startswith("param:"):  # the versions are values of a kernel parameter
                    env, point_sets = {}, sets + [f"{var[6:]}={val}"]
                if args.stamps and kernel == "kv_select_decode":
                    env["PAPERLAB_TOPK_STAMPS"] = "1"
                for pt in run(args.runner, kernel, sweep, point_sets, variants, args.reps, env):
                    key = (name, pt.get("sweep_value") or "", val)
                    t = metric(pt, "time_ms")
                    err = (pt.get("error") or {}).get("message")
                    extra = {k: metric(pt, k) for k in ("select_ms", "score_ms", "attend_ms", "select_added_share",
                                                        "gbps", "sim_rel_l2", "cosine", "agreement", "mass_recall",
                                                        "metadata_mismatches")}
                    raw.append(dict(round=rnd, name=name, point=key[1], version=val, time_ms=t, error=err, **extra))
                    if t:
                        times.setdefault(key, []).append((t, extra))
                    cu = base[shape][1]
                    print(f"  r{rnd} {name} {key[1]} {var}={val}: {t} ms (x{cu / t:.2f} cuDNN) "
                          f"{ {k: v for k, v in extra.items() if v is not None} } {err or ''}", flush=True)
    print("\nmedians over rounds (ratio = cuDNN decode / ours)")
    for (name, point, val), ts in times.items():
        shape = next(c[1] for c in cfgs if c[0] == name)
        t = statistics.median(x[0] for x in ts)
        sel = [x[1]["select_ms"] for x in ts if x[1].get("select_ms")]
        sc = [x[1]["score_ms"] for x in ts if x[1].get("score_ms")]
        att = [x[1]["attend_ms"] for x in ts if x[1].get("attend_ms")]
        more = f" select {statistics.median(sel):.4f} score {statistics.median(sc):.4f} ms" if sel else ""
        if att:  # what the selection adds: the step against the decode alone on the same index
            a = statistics.median(att)
            more += f" attend {a:.4f} ms, selection adds {t - a:.4f} ms = {(t - a) / t:.1%} of the step"
        print(f"{name:24} {point:18} v{val}: {t:.4f} ms  x{base[shape][1] / t:.2f}  "
              f"(spread {min(x[0] for x in ts):.4f}-{max(x[0] for x in ts):.4f}){more}")
    if args.out:
        with open(args.out, "w") as f:
            json.dump(dict(sdpa={str(k): v for k, v in base.items()}, points=raw), f, indent=1)


if __name__ == "__main__":
    main()
