#!/usr/bin/env python3
"""Reads paperlab-runner --json on stdin; prints one line per point: labels given as
arguments, then sweep value, time, TFLOPS, rel L2 and whether the point passed."""
import json
import sys

labels = " ".join(f"{a:6}" for a in sys.argv[1:])
for p in json.load(sys.stdin)["points"]:
    m = p["metrics"]
    ok = p["error"] is None
    print(f"{labels} {p.get('sweep_value', '-'):6} {m['time_ms']:9.3f} {m['tflops']:8.1f} {m['rel_l2']:9.2e} {ok}")
