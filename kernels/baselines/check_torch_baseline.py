# Drives torch_baseline.py exactly as paperlab-runner does (JSON request lines, plain
# replies, raw 2-byte files) and checks each backend's output against a float64 reference.
import json, os, subprocess, sys, tempfile
import numpy as np, torch
d = tempfile.mkdtemp()
b, h, s, dim = 4, 16, 4096, 128
rng = np.random.default_rng(1)
qkv = [rng.standard_normal((b, h, s, dim)).astype(np.float16) for _ in range(3)]
for name, a in zip("qkv", qkv):
    a.view(np.int16).tofile(f"{d}/{name}.bin")
p = subprocess.Popen([sys.executable, os.path.join(os.path.dirname(__file__), "torch_baseline.py")],
                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
def ask(req, lines=1):
    p.stdin.write(json.dumps(req) + "\n"); p.stdin.flush()
    out = []
    while True:
        l = p.stdout.readline().strip(); out.append(l)
        if lines == 1 or l == "end": return out
print("\n".join(ask({"op": "probe"}, lines=0)))
q, k, v = (torch.from_numpy(a.astype(np.float64)).cuda() for a in qkv)
for causal in (False, True):
    ref = torch.nn.functional.scaled_dot_product_attention(q, k, v, is_causal=causal).cpu().numpy()
    for be in ("torch_flash", "torch_cudnn", "torch_efficient", "flashinfer"):
        r = ask({"op": "sdpa", "backend": be, "device": 0, "dtype": "fp16", "batch": b, "q_heads": h, "kv_heads": h,
                 "seq_q": s, "seq_k": s, "head_dim": dim, "causal": causal, "scale": dim ** -0.5,
                 "q": f"{d}/q.bin", "k": f"{d}/k.bin", "v": f"{d}/v.bin", "out": f"{d}/out.bin", "reps": 20, "warmup": 3})[0]
        if not r.startswith("times"):
            print(be, "causal" if causal else "full", r[:200]); continue
        t = sorted(map(float, r.split()[1:])); med = t[len(t) // 2]
        o = np.fromfile(f"{d}/out.bin", dtype=np.float16).astype(np.float64).reshape(ref.shape)
        rel = np.linalg.norm(o - ref) / np.linalg.norm(ref)
        fl = 4 * b * h * s * s * dim / (2 if causal else 1)
        print(f"{be:16s} {'causal' if causal else 'full':6s} median {med:.3f} ms  {fl / med / 1e9:.0f} TFLOP/s  rel_l2 {rel:.2e}")
