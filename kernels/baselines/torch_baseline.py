#!/usr/bin/env python3
"""The baselines a reader would use instead of our kernels, measured beside them.

paperlab-runner starts this helper on the GPU host (the same host, behind the same ssh or
srun) and talks to it in JSON lines on stdin/stdout. It runs PyTorch's scaled-dot-product
attention with one backend forced (flash, cuDNN, memory-efficient) or FlashInfer on the
runner's own inputs (raw 2-byte files in batch, head, sequence, dim order), timed as the
runner times its kernels: warm-up runs, the L2 cache flushed before every timed run, CUDA
events, one figure per run. The output goes back as raw 2-byte values, so the runner
checks it against its float64 reference like any variant.

Requests are JSON objects, one a line; replies are plain lines a C++ reader splits on
spaces without a JSON library (the runner builds where only a compiler is):
  {"op": "probe"}  ->  one "variant NAME ok" or "variant NAME <reason>" line per baseline,
                       then "end"
  {"op": "sdpa", "backend": "torch_flash" | "torch_cudnn" | "torch_efficient" | "flashinfer",
   "device": 0, "dtype": "fp16" | "bf16", "batch", "q_heads", "kv_heads", "seq_q", "seq_k",
   "head_dim", "causal", "scale", "q", "k", "v", "out" (paths), "reps", "warmup"}
      ->  "times MS MS ..." | "error <message>"
Nothing here is imported before it is needed, so a host without torch still answers probe.
"""

import json
import sys

BACKENDS = ("torch_flash", "torch_cudnn", "torch_efficient", "flashinfer")


def torch_or_reason():
    try:
        import torch  # noqa: F401
    except Exception as e:  # ImportError, or a broken install
        return None, "python3 on this host has no usable PyTorch (%s)" % e
    if not torch.cuda.is_available():
        return None, "PyTorch %s sees no CUDA device" % torch.__version__
    return torch, None


def sdpa_backend(torch, name):
    from torch.nn.attention import SDPBackend
    return {
        "torch_flash": SDPBackend.FLASH_ATTENTION,
        "torch_cudnn": SDPBackend.CUDNN_ATTENTION,
        "torch_efficient": SDPBackend.EFFICIENT_ATTENTION,
    }[name]


def probe():
    torch, reason = torch_or_reason()
    if torch is None:
        return {"unavailable": {b: reason for b in BACKENDS}}
    unavailable = {}
    try:
        from torch.nn.attention import sdpa_kernel  # noqa: F401  (PyTorch >= 2.3)
        for b in BACKENDS[:3]:
            unavailable[b] = None
        if not torch.backends.cudnn.is_available():
            unavailable["torch_cudnn"] = "PyTorch %s was built without cuDNN" % torch.__version__
    except Exception as e:
        for b in BACKENDS[:3]:
            unavailable[b] = "PyTorch %s cannot force an SDPA backend (%s)" % (torch.__version__, e)
    try:
        import flashinfer
        unavailable["flashinfer"] = None
        version = getattr(flashinfer, "__version__", "?")
    except Exception as e:
        unavailable["flashinfer"] = "FlashInfer is not installed on this host (%s)" % e
        version = None
    return {"torch": torch.__version__, "flashinfer": version,
            "device": torch.cuda.get_device_name(0), "unavailable": unavailable}


def load(torch, path, shape, dtype, device):
    import numpy as np
    bits = np.fromfile(path, dtype=np.int16)
    expected = 1
    for n in shape:
        expected *= n
    if bits.size != expected:
        raise ValueError("%s holds %d values, the shape %s needs %d" % (path, bits.size, shape, expected))
    return torch.from_numpy(bits).view(dtype).reshape(shape).to(device)


def run_sdpa(req):
    torch, reason = torch_or_reason()
    if torch is None:
        return {"error": reason}
    backend = req["backend"]
    if backend not in BACKENDS:
        return {"error": "unknown baseline %r" % backend}
    device = torch.device("cuda", int(req.get("device", 0)))
    torch.cuda.set_device(device)
    dtype = torch.bfloat16 if req["dtype"] == "bf16" else torch.float16
    b, hq, hk = req["batch"], req["q_heads"], req["kv_heads"]
    sq, sk, d = req["seq_q"], req["seq_k"], req["head_dim"]
    q = load(torch, req["q"], (b, hq, sq, d), dtype, device)
    k = load(torch, req["k"], (b, hk, sk, d), dtype, device)
    v = load(torch, req["v"], (b, hk, sk, d), dtype, device)
    causal = bool(req["causal"])
    scale = float(req["scale"])
    # Causal with seq_q < seq_k aligns the last query with the last key, as our kernels do
    # (FlashAttention's convention); SDPA's is_causal aligns the first ones.
    if causal and sq != sk:
        return {"error": "causal with seq_q != seq_k is not compared: SDPA aligns the mask differently"}

    if backend == "flashinfer":
        import flashinfer
        if b != 1:
            return {"error": "the FlashInfer baseline runs batch 1 only (single_prefill_with_kv_cache)"}
        qn, kn, vn = (t[0].transpose(0, 1).contiguous() for t in (q, k, v))  # (seq, heads, dim)

        def call():
            return flashinfer.single_prefill_with_kv_cache(qn, kn, vn, causal=causal, sm_scale=scale)

        def to_bhsd(o):
            return o.transpose(0, 1).unsqueeze(0)
    else:
        from torch.nn.attention import sdpa_kernel
        F = torch.nn.functional
        gqa = hq != hk
        kernel = sdpa_backend(torch, backend)

        def call():
            with sdpa_kernel(kernel):
                if gqa:
                    return F.scaled_dot_product_attention(q, k, v, is_causal=causal, scale=scale, enable_gqa=True)
                return F.scaled_dot_product_attention(q, k, v, is_causal=causal, scale=scale)

        def to_bhsd(o):
            return o

    try:
        out = call()  # also the first warm-up: a backend that cannot take the shape says so here
    except RuntimeError as e:
        first = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
        return {"error": "%s cannot run this shape: %s" % (backend, first)}
    l2 = torch.cuda.get_device_properties(device).L2_cache_size
    flush = torch.empty(max(4 * l2, 1 << 20), dtype=torch.uint8, device=device)
    for _ in range(max(0, int(req.get("warmup", 2)) - 1)):
        call()
    times = []
    start, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
    for rep in range(int(req.get("reps", 10))):
        flush.fill_(rep & 0xFF)  # evict the inputs from L2, as the runner's loop does
        start.record()
        out = call()
        end.record()
        torch.cuda.synchronize()
        times.append(start.elapsed_time(end))
    to_bhsd(out).contiguous().view(torch.int16).cpu().numpy().tofile(req["out"])
    return {"times_ms": times}


def main():
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        try:
            req = json.loads(line)
            op = req.get("op")
            if op == "probe":
                reply = probe()
            elif op == "sdpa":
                reply = run_sdpa(req)
            else:
                reply = {"error": "unknown op %r" % op}
        except Exception as e:  # a reply, never a dead helper
            reply = {"error": "%s: %s" % (type(e).__name__, e)}
        sys.stdout.write(encode(reply))
        sys.stdout.flush()


def one_line(text):
    return " ".join(str(text).split())


def encode(reply):
    if "unavailable" in reply:
        lines = ["variant %s %s" % (b, one_line(reply["unavailable"].get(b) or "ok")) for b in BACKENDS]
        return "\n".join(lines + ["end"]) + "\n"
    if "times_ms" in reply:
        return "times " + " ".join("%.6f" % t for t in reply["times_ms"]) + "\n"
    return "error " + one_line(reply.get("error", "no reply")) + "\n"


if __name__ == "__main__":
    main()
