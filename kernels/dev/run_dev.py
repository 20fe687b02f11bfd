#!/usr/bin/env python3
"""Development driver for the Hopper attention variants (kernels/dev/, llm.c dev/cuda style):
one program that first checks every variant against a float64 reference, then times the
ones that passed beside torch SDPA (flash and cuDNN backends) on the same tensors, in the
same process. A variant that fails its check is not timed.

    python3 kernels/dev/run_dev.py --lib build/libpaperlab_dev.so [--variants 14,15] [--quick]

Checks: random normal inputs, fresh per case; the output is poisoned with NaN before the
launch and every element must be finite afterwards; sampled query rows of sampled heads
are compared with float64 softmax(QK^T * scale) V by relative L2 (fp16 <= 2e-3, bf16 <=
1e-2). Cases cover head dim 64/128, causal and not, odd lengths, GQA and both types.
Timing: L2 flushed before every run, CUDA events, median of --reps runs after warm-up;
16k tokens per batch and model dim 2048 as FlashAttention's benchmark.
"""
import argparse
import ctypes
import json
import math
import os
import sys

import torch
import torch.nn.functional as F
from torch.nn.attention import SDPBackend, sdpa_kernel

# (dtype, head_dim, causal, batch, q_heads, kv_heads, seq_q, seq_k)
CHECK_CASES = [
    ("fp16", 128, False, 2, 4, 4, 1024, 1024),
    ("fp16", 128, True, 2, 4, 4, 1024, 1024),
    ("fp16", 64, False, 2, 4, 4, 1024, 1024),
    ("fp16", 64, True, 2, 4, 4, 1024, 1024),
    ("fp16", 128, False, 1, 4, 4, 1000, 777),   # odd lengths: tail tiles on both axes
    ("fp16", 128, True, 1, 4, 4, 1000, 1000),
    ("fp16", 64, True, 1, 4, 4, 333, 333),
    ("fp16", 128, True, 1, 8, 2, 2048, 2048),   # GQA 4:1
    ("bf16", 128, False, 1, 8, 2, 1536, 1536),
    ("bf16", 64, True, 2, 4, 4, 700, 700),
    ("fp16", 128, False, 1, 16, 16, 8192, 8192),  # the timed shapes themselves
    ("fp16", 128, True, 1, 16, 16, 8192, 8192),
]
BENCH_SEQS = [512, 1024, 2048, 4096, 8192, 16384]
DTYPES = {"fp16": torch.float16, "bf16": torch.bfloat16}


class DevLib:
    def __init__(self, path):
        self.lib = ctypes.CDLL(path)
        f = self.lib.paperlab_dev_flash_forward
        f.restype = ctypes.c_int
        f.argtypes = [ctypes.c_int, ctypes.c_int] + [ctypes.c_void_p] * 4 + [ctypes.c_int] * 7 + [ctypes.c_float,
                                                                                                   ctypes.c_void_p]
        self.fwd = f

    def __call__(self, variant, q, k, v, o, causal):
        b, hq, sq, d = q.shape
        hk, sk = k.shape[1], k.shape[2]
        rc = self.fwd(variant, int(q.dtype == torch.bfloat16), q.data_ptr(), k.data_ptr(), v.data_ptr(), o.data_ptr(),
                      b, hq, hk, sq, sk, d, int(causal), 1.0 / math.sqrt(d),
                      ctypes.c_void_p(torch.cuda.current_stream().cuda_stream))
        if rc != 0:
            raise RuntimeError(f"variant {variant} refused the launch (code {rc})")


def reference_rows(q, k, v, causal, bh_list, rows):
    """float64 attention for the given (batch, head) pairs and query rows."""
    hq, hk = q.shape[1], k.shape[1]
    outs = []
    for b, h in bh_list:
        qq = q[b, h, rows].double()
        kk = k[b, h // (hq // hk)].double()
        vv = v[b, h // (hq // hk)].double()
        s = qq @ kk.T / math.sqrt(q.shape[-1])
        if causal:
            keys = torch.arange(k.shape[2], device=q.device)
            s = s.masked_fill(keys[None, :] > rows[:, None], float("-inf"))
        outs.append(torch.softmax(s, dim=-1) @ vv)
    return torch.stack(outs)


def check(lib, variant, case, gen):
    dt, d, causal, b, hq, hk, sq, sk = case
    dtype = DTYPES[dt]
    q = torch.randn(b, hq, sq, d, device="cuda", dtype=dtype, generator=gen)
    k = torch.randn(b, hk, sk, d, device="cuda", dtype=dtype, generator=gen)
    v = torch.randn(b, hk, sk, d, device="cuda", dtype=dtype, generator=gen)
    o = torch.full_like(q, float("nan"))
    lib(variant, q, k, v, o, causal)
    torch.cuda.synchronize()
    written = bool(torch.isfinite(o).all())
    pairs = [(0, 0), (b - 1, hq - 1), (b // 2, hq // 2)]
    rows = torch.unique(torch.cat([torch.randint(0, sq, (96,), device="cuda", generator=gen),
                                   torch.tensor([0, sq - 1], device="cuda")]))
    ref = reference_rows(q, k, v, causal, pairs, rows)
    got = torch.stack([o[bb, hh, rows].double() for bb, hh in pairs])
    rel = float((got - ref).norm() / ref.norm()) if written else float("nan")
    tol = 2e-3 if dt == "fp16" else 1e-2
    ok = written and rel <= tol
    return ok, rel, written


_flush = None


def time_cuda(fn, reps, warmup=3):
    global _flush
    if _flush is None:
        _flush = torch.empty(4 * torch.cuda.get_device_properties(0).L2_cache_size, dtype=torch.uint8, device="cuda")
    times = []
    for i in range(warmup + reps):
        _flush.fill_(i & 0xFF)
        a, e = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
        a.record()
        fn()
        e.record()
        e.synchronize()
        if i >= warmup:
            times.append(a.elapsed_time(e))
    times.sort()
    n = len(times)
    return times[n // 2] if n % 2 else 0.5 * (times[n // 2 - 1] + times[n // 2])


def sdpa_ms(backend, q, k, v, causal, reps):
    try:
        with sdpa_kernel([backend]):
            fn = lambda: F.scaled_dot_product_attention(q, k, v, is_causal=causal)
            fn()
            torch.cuda.synchronize()
            return time_cuda(fn, reps)
    except Exception as e:  # backend refuses this shape: report, keep the table
        print(f"  {backend} unavailable: {str(e).splitlines()[0][:120]}", flush=True)
        return None


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--lib", required=True)
    ap.add_argument("--variants", default="14,15")
    ap.add_argument("--reps", type=int, default=20)
    ap.add_argument("--quick", action="store_true", help="bench seq 4096 and 16384 only")
    ap.add_argument("--json", help="write every point here")
    args = ap.parse_args()
    lib = DevLib(args.lib)
    variants = [int(x) for x in args.variants.split(",")]
    gen = torch.Generator(device="cuda")
    gen.manual_seed(int.from_bytes(os.urandom(4), "little"))  # fresh inputs every run

    passed = {}
    print("check: variant dtype hd causal b hq hkv sq sk  rel_l2  result", flush=True)
    for var in variants:
        passed[var] = True
        for case in CHECK_CASES:
            try:
                ok, rel, written = check(lib, var, case, gen)
            except RuntimeError as e:
                ok, rel, written = False, float("nan"), False
                print("  ", e)
            passed[var] &= ok
            print(f"  v{var} {case[0]} {case[1]:4d} {str(case[2]):5s} {case[3]} {case[4]:2d} {case[5]:2d} "
                  f"{case[6]:5d} {case[7]:5d}  {rel:.2e}  {'ok' if ok else 'FAIL' + ('' if written else ' (unwritten)')}",
                  flush=True)

    points = []
    seqs = [4096, 16384] if args.quick else BENCH_SEQS
    for d in (128, 64):
        for causal in (False, True):
            for seq in seqs:
                b, h = 16384 // seq, 2048 // d
                q, k, v = (torch.randn(b, h, seq, d, device="cuda", dtype=torch.float16) for _ in range(3))
                o = torch.empty_like(q)
                flops = 4 * b * h * seq * seq * d / (2 if causal else 1)
                row = {"hd": d, "causal": causal, "seq": seq,
                       "flash": sdpa_ms(SDPBackend.FLASH_ATTENTION, q, k, v, causal, args.reps),
                       "cudnn": sdpa_ms(SDPBackend.CUDNN_ATTENTION, q, k, v, causal, args.reps)}
                for var in variants:
                    row[f"v{var}"] = time_cuda(lambda: lib(var, q, k, v, o, causal), args.reps) if passed[var] else None
                row["flops"] = flops
                points.append(row)
                del q, k, v, o

    tf = lambda ms, fl: f"{fl / ms / 1e9:6.0f}" if ms else "     -"
    ratio = lambda a, b: f"{b / a:5.2f}" if a and b else "    -"
    best = lambda r: min((r[f"v{v}"] for v in variants if r[f"v{v}"]), default=None)
    head = " | ".join(f"v{v} TF" for v in variants)
    print(f"\n| hd | causal | seq | {head} | flash TF | cuDNN TF | best/flash | best/cuDNN |")
    print("|" + "---|" * (7 + len(variants)))
    for r in points:
        cells = " | ".join(tf(r[f"v{v}"], r["flops"]) for v in variants)
        bb = best(r)
        print(f"| {r['hd']} | {r['causal']} | {r['seq']} | {cells} | {tf(r['flash'], r['flops'])} | "
              f"{tf(r['cudnn'], r['flops'])} | {ratio(bb, r['flash'])} | {ratio(bb, r['cudnn'])} |")
    print("checks: " + ", ".join(f"v{v} {'pass' if passed[v] else 'FAIL'}" for v in variants))
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"checks": passed, "points": points, "gpu": torch.cuda.get_device_name(0),
                       "torch": torch.__version__, "cudnn": torch.backends.cudnn.version()}, f, indent=1)
    return 0 if all(passed.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
