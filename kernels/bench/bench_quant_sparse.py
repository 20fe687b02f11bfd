#!/usr/bin/env python3
"""Benchmark of the quantised and sparse kernels: SageAttention, KIVI/SKVQ decode and block-sparse attention from
paperlab-runner beside PyTorch SDPA (flash and cuDNN backends) on identical shapes, in one
run on one GPU. ratio = SDPA time / ours (> 1: ours faster). Same timing discipline as
bench.py: L2 flushed between runs, CUDA events, medians.
"""
import argparse
import json
import subprocess
import sys

import torch
from torch.nn.attention import SDPBackend

from bench import sdpa_ms, time_cuda  # noqa: E402  one timing loop (L2 flush, events, median)
from points_table import fmt, m, save_and_print  # noqa: E402


def run_runner(runner, kernel, sweep, sets, variants, reps):
    cmd = [runner, "--kernel", kernel, "--device", "cuda:0", "--variants", variants, "--reps", str(reps),
           "--warmup", "2", "--json"]
    if sweep:
        cmd += ["--sweep", sweep]
    for s in sets:
        cmd += ["--set", s]
    print("+", " ".join(cmd), flush=True)
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode not in (0, 1):
        print(p.stdout[-3000:], p.stderr[-3000:], file=sys.stderr)
        return {"points": []}
    return json.loads(p.stdout)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runner", required=True)
    ap.add_argument("--out", default=".")
    ap.add_argument("--reps", type=int, default=10)
    ap.add_argument("--only", default="sage,smooth,kv,sparse,xattn", help="comma list of parts to run")
    args = ap.parse_args()
    dev = torch.cuda.get_device_properties(0)
    rows, raw = [], {"device": dev.name}
    H = torch.float16

    # SageAttention: FlashAttention's shapes (16k tokens, model dim 2048)
    parts = set(args.only.split(","))
    for hd in ((64, 128) if "sage" in parts else ()):
        res = run_runner(args.runner, "sage_attention", "seq_len=4096,16384",
                         ["tokens=16384", "model_dim=2048", f"head_dim={hd}"], "sage,sage_v1", args.reps)
        raw[f"sage_hd{hd}"] = res
        sdpa = {}
        for pt in res["points"]:
            s = int(pt["sweep_value"])
            b, h = 16384 // s, 2048 // hd
            if s not in sdpa:
                q = torch.randn(b, h, s, hd, device="cuda", dtype=H)
                k, v = torch.randn_like(q), torch.randn_like(q)
                sdpa[s] = (sdpa_ms(SDPBackend.FLASH_ATTENTION, q, k, v, False, False, args.reps),
                           sdpa_ms(SDPBackend.CUDNN_ATTENTION, q, k, v, False, False, args.reps))
                del q, k, v
            fl, cu = sdpa[s]
            flops = 4 * b * h * s * s * hd
            rows.append(dict(k="sage", shape=f"hd{hd} s{s} b{b}h{h}", var=pt["variant"], ours=m(pt, "time_ms"),
                             extra=f"{m(pt, 'tflops'):.0f} TF all, {flops / m(pt, 'attn_ms') / 1e9:.0f} TF attn; "
                                   f"SDPA flash {flops / fl / 1e9 if fl else float('nan'):.0f} TF",
                             flash=fl, cudnn=cu, acc=f"cos {m(pt, 'cosine'):.5f} sim {m(pt, 'sim_rel_l2'):.1e}",
                             ok=pt["error"] is None))
    # smoothing on/off with a channel offset in K (accuracy only)
    res = res2 = {"points": []}
    if "smooth" in parts:
      res = run_runner(args.runner, "sage_attention", "k_channel_offset=0,5,10",
                     ["seq_len=2048", "batch=1", "q_heads=8", "head_dim=128", "smooth_k=false"], "sage", 3)
      res2 = run_runner(args.runner, "sage_attention", "k_channel_offset=0,5,10",
                      ["seq_len=2048", "batch=1", "q_heads=8", "head_dim=128", "smooth_k=true"], "sage", 3)
    raw["sage_smoothing"] = [res, res2]
    for tag, r in (("raw K", res), ("smoothed K", res2)):
        for pt in r["points"]:
            rows.append(dict(k="sage-acc", shape=f"offset {pt['sweep_value']} {tag}", var="sage",
                             ours=m(pt, "time_ms"), extra="", flash=None, cudnn=None,
                             acc=f"cos {m(pt, 'cosine'):.5f} relL1 {m(pt, 'rel_l1'):.3f} rmse {m(pt, 'rmse'):.4f}",
                             ok=pt["error"] is None))

    # KIVI / SKVQ decode, batch 16 x 32k (and batch 1 x 128k), 32 q heads over 8 kv heads, hd 128
    for batch, L in (((16, 32768),) if "kv" in parts else ()):
        q = torch.randn(batch, 32, 1, 128, device="cuda", dtype=H)
        k = torch.randn(batch, 8, L, 128, device="cuda", dtype=H)
        v = torch.randn_like(k)
        fl = sdpa_ms(SDPBackend.FLASH_ATTENTION, q, k, v, False, True, args.reps)
        cu = sdpa_ms(SDPBackend.CUDNN_ATTENTION, q, k, v, False, True, args.reps)
        del q, k, v
        torch.cuda.empty_cache()
        for sets, variants in ((["method=kivi", "bits=4"], "quant,fp16"), (["method=kivi", "bits=2"], "quant"),
                               (["method=skvq", "bits=4"], "quant")):
            res = run_runner(args.runner, "kv_quant_decode", "",
                             [f"batch={batch}", f"kv_len={L}", "q_heads=32", "kv_heads=8", "head_dim=128"] + sets,
                             variants, args.reps)
            raw[f"kv_b{batch}_{'_'.join(sets)}"] = res
            for pt in res["points"]:
                rows.append(dict(k="kvquant", shape=f"b{batch} kv{L} {' '.join(sets)}", var=pt["variant"],
                                 ours=m(pt, "time_ms"),
                                 extra=f"{m(pt, 'gbps'):.0f} GB/s, saved {100 * m(pt, 'memory_saved'):.0f}%, "
                                       f"quant {m(pt, 'quant_ms'):.2f} ms, {int(m(pt, 'num_splits'))} splits",
                                 flash=fl, cudnn=cu,
                                 acc=f"cos {m(pt, 'cosine'):.4f} relL2 {m(pt, 'rel_l2'):.3f} sim {m(pt, 'sim_rel_l2'):.1e}",
                                 ok=pt["error"] is None))

    # Block-sparse: 64k tokens, 16 heads, hd 128, causal; MoBA top_k for ~90% sparsity
    sparse_runs = []
    if "sparse" in parts:
        sparse_runs.append((65536, "moba", ["top_k=52"], "sparse,dense,sparse_v1"))
    if "xattn" in parts:
        sparse_runs.append((16384, "xattention", ["threshold=0.9", "stride=8"], "sparse"))
    for n, sel, extra_sets, variants in sparse_runs:
        q = torch.randn(1, 16, n, 128, device="cuda", dtype=H)
        k, v = torch.randn_like(q), torch.randn_like(q)
        fl = sdpa_ms(SDPBackend.FLASH_ATTENTION, q, k, v, True, False, max(3, args.reps // 2))
        cu = sdpa_ms(SDPBackend.CUDNN_ATTENTION, q, k, v, True, False, max(3, args.reps // 2))
        del q, k, v
        torch.cuda.empty_cache()
        res = run_runner(args.runner, "block_sparse_attention", "",
                         ["batch=1", "q_heads=16", f"seq_len={n}", "head_dim=128", "causal=true", f"selector={sel}",
                          "block_size=64"] + extra_sets, variants, max(3, args.reps // 2))
        raw[f"sparse_{n}_{sel}"] = res
        for pt in res["points"]:
            rows.append(dict(k="sparse", shape=f"s{n} h16 hd128 causal {sel} {' '.join(extra_sets)}",
                             var=pt["variant"], ours=m(pt, "time_ms"),
                             extra=f"select {m(pt, 'select_ms'):.2f} + attn {m(pt, 'attn_ms'):.2f} ms, density "
                                   f"{m(pt, 'density'):.3f}, {m(pt, 'tflops_computed'):.0f} TF on kept",
                             flash=fl, cudnn=cu,
                             acc=f"masked {m(pt, 'masked_rel_l2'):.1e} vs dense {m(pt, 'rel_l2'):.2f} "
                                 f"agree {m(pt, 'mask_agreement'):.4f}",
                             ok=pt["error"] is None))

    save_and_print(args.out, "bench_quant_sparse", raw, rows, f"{dev.name}.")


if __name__ == "__main__":
    main()
