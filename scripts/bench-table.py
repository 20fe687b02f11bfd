#!/usr/bin/env python3
"""The benchmark table of the README from the logs of scripts/bench-catalog.sh:
   bench-table.py PAPERS catalog-1.txt ... -- app-1.txt ...
Each figure: the median over the runs and the spread (min-max)."""
import re
import statistics
import sys

# (figure, unit, pattern): the pattern's first group is the number, read from every log line.
CATALOG = [
    ("import, wall", "s", r"^import +([\d.]+) s"),
    ("import, CPU (all threads)", "s", r"^import cpu +([\d.]+) s"),
    ("db size", "MiB", r"^db size +([\d.]+) MiB"),
    ("cold open", "ms", r"^cold open +([\d.]+) ms"),
    ("facet counts, all papers", "ms", r"^facets +([\d.]+) ms"),
    ("facet counts under a search, p99", "ms", r"^facets search p50 [\d.]+ ms +p99 ([\d.]+) ms"),
    ("facet counts under a search, CPU p99", "ms", r"^facets search .* cpu p50 [\d.]+ ms +p99 ([\d.]+) ms"),
    ("what the window reads before its first paint", "ms", r"^first paint reads ([\d.]+) ms"),
    ("facet counts after the first paint (7 facets, top 400)", "ms", r"^facets after paint ([\d.]+) ms"),
    ("query p50 (top 200)", "ms", r"^query +p50 ([\d.]+) ms"),
    ("query p99 (top 200)", "ms", r"^query +p50 [\d.]+ ms +p99 ([\d.]+) ms"),
    ("typing p99 (top 50)", "ms", r"^typing .*p99 ([\d.]+) ms .*top 50\)"),
    ("typing p99 (top 200)", "ms", r"^typing .*p99 ([\d.]+) ms .*top 200\)"),
    ("typing p99 as the search box sends it (first 50)", "ms", r"^typing app .*p99 ([\d.]+) ms"),
    ("every matching id p99", "ms", r"^query all .*p99 ([\d.]+) ms"),
]
APP = [
    ("launch to first paint, bundled library", "ms", r"^start bundled library +median [\d.]+ ms to first paint \(process launch to paint ([\d.]+) ms"),
    ("launch to first paint, synthetic library", "ms", r"^start \d+ papers +median [\d.]+ ms to first paint \(process launch to paint ([\d.]+) ms"),
    ("launch to exit, quitting at the first paint, synthetic library", "ms", r"^start \d+ papers .*process gone ([\d.]+) ms after launch"),
    ("keystroke to first rows p50", "ms", r"first rows shown +p50 ([\d.]+) ms"),
    ("keystroke to first rows p99", "ms", r"first rows shown +p50 [\d.]+ ms, p99 ([\d.]+) ms"),
    ("keystroke to complete id list p99", "ms", r"complete id list +p50 [\d.]+ ms, p99 ([\d.]+) ms"),
]
PHASE = re.compile(r"^ +phase (.+?) +wall +([\d.]+) s +cpu +([\d.]+) s")


def values(logs, pattern):
    found = []
    for text in logs:
        for line in text.splitlines():
            m = re.search(pattern, line)
            if m:
                found.append(float(m.group(1)))
                break
    return found


def cell(v, unit):
    if not v:
        return "not printed"
    fmt = "%.1f" if unit != "s" else "%.2f"
    med = fmt % statistics.median(v)
    return f"{med} {unit} ({fmt % min(v)}–{fmt % max(v)}, {len(v)} runs)"


def main():
    papers, rest = sys.argv[1], sys.argv[2:]
    split = rest.index("--") if "--" in rest else len(rest)
    catalog = [open(p, encoding="utf-8").read() for p in rest[:split]]
    app = [open(p, encoding="utf-8").read() for p in rest[split + 1:]]
    print(f"\n| figure ({int(papers):,} papers unless said) | median (min–max) |")
    print("|---|---|")
    for name, unit, pattern in CATALOG:
        print(f"| {name} | {cell(values(catalog, pattern), unit)} |")
    phases = {}
    for text in catalog:
        for line in text.splitlines():
            m = PHASE.match(line)
            if m:
                phases.setdefault(m.group(1), ([], []))
                phases[m.group(1)][0].append(float(m.group(2)))
                phases[m.group(1)][1].append(float(m.group(3)))
    for name, (wall, cpu) in phases.items():
        print(f"| import phase: {name}, wall / CPU | {cell(wall, 's')} / {cell(cpu, 's')} |")
    for name, unit, pattern in APP:
        print(f"| {name} | {cell(values(app, pattern), unit)} |")


if __name__ == "__main__":
    main()
