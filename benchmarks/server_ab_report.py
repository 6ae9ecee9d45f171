"""Summarise benchmarks/server_ab.py's diagnostic logs per measured page (decision 0176):
time waiting for a thread, wall and CPU time in the request, requests and connections per
worker, garbage collections.

    python benchmarks/server_ab_report.py RESULTS.json DIAG_DIR [per-worker]
"""

import glob
import json
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

runs = json.loads(Path(sys.argv[1]).read_text())
recs: list[dict[str, Any]] = []
gcs: list[dict[str, Any]] = []
for f in glob.glob(sys.argv[2] + "/*.jsonl"):
    for line in Path(f).read_text().splitlines():
        d = json.loads(line)
        (gcs if "gc" in d else recs).append(d)


def pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(p * len(xs)))] if xs else float("nan")


for r in runs:
    rs = [x for x in recs if r["t0"] <= x["t"] <= r["t1"]]
    gs = [g for g in gcs if r["t0"] <= g["t"] <= r["t1"]]
    if not rs:
        continue
    q = [x["queue"] * 1000 for x in rs if x["queue"] is not None]
    w = [x["wall"] * 1000 for x in rs]
    c = [x["cpu"] * 1000 for x in rs]
    tot = [(x["queue"] or 0) * 1000 + x["parse"] * 1000 + x["wall"] * 1000 for x in rs]
    per_pid: defaultdict[int, int] = defaultdict(int)
    conns: defaultdict[int, set[int]] = defaultdict(set)
    for x in rs:
        per_pid[x["pid"]] += 1
        conns[x["pid"]].add(x["conn"])
    print(
        f"{r['config']} r{r['round']} {r['label'][:26]:<26} n={len(rs)} wrk p50/p95 {r['p50']:.0f}/{r['p95']:.0f} | queue p50/p95 {pct(q, 0.5):.1f}/{pct(q, 0.95):.1f} | wall p50/p95 {pct(w, 0.5):.1f}/{pct(w, 0.95):.1f} | cpu p50/p95 {pct(c, 0.5):.2f}/{pct(c, 0.95):.2f} | srv total p95 {pct(tot, 0.95):.0f}"
    )
    print(
        f"     per worker reqs {sorted(per_pid.values())} conns {sorted(len(v) for v in conns.values())} | gc n={len(gs)} gen2={sum(1 for g in gs if g['gc'] == 2)} gc ms total={sum(g['dur'] for g in gs) * 1000:.0f} max={max([g['dur'] for g in gs] or [0]) * 1000:.1f}"
    )
if len(sys.argv) > 3:
    for r in runs:
        rs = [x for x in recs if r["t0"] <= x["t"] <= r["t1"]]
        by: defaultdict[int, list[dict[str, Any]]] = defaultdict(list)
        for x in rs:
            by[x["pid"]].append(x)
        parts = []
        for _pid, xs in sorted(by.items(), key=lambda kv: -len(kv[1])):
            tot = [((x["queue"] or 0) + x["parse"] + x["wall"]) * 1000 for x in xs]
            parts.append(
                f"{len({x['conn'] for x in xs})}c/{len(xs)}r p50 {pct(tot, 0.5):.0f} p95 {pct(tot, 0.95):.0f}"
            )
        print(f"{r['config']} {r['label'][:20]:<20} | " + " ; ".join(parts))
