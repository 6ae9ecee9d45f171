"""The load test's results (benchmarks/loadtest.py): medians over rounds, the saved results'
merge, the Markdown block and writing it into docs/benchmarks.md."""

from __future__ import annotations

import datetime as dt
import os
import platform
import statistics
from typing import Any

from lt_data import MAX_GROWTH, MIN_RATIO, P95_MS, ROOT, SINGLE_P95_MS

FIGURES = ("rps", "p50", "p95", "p99")


def summarise(label: str, path: str, rounds: list[dict[str, Any]]) -> dict[str, Any]:
    """One row from a page's windows at one scale: the median of each figure over the rounds,
    the ratio as the median of the per-round ratios (each to the bare view measured in the same
    round, next to it), the p95 spread, and every round's own figures."""
    row: dict[str, Any] = {f: statistics.median(r[f] for r in rounds) for f in FIGURES}
    ratios = [r["ratio"] for r in rounds if "ratio" in r]
    if ratios:
        row["ratio"] = statistics.median(ratios)
        row["bare_rps"] = statistics.median(r["bare_rps"] for r in rounds)
    row.update(
        label=label,
        path=path,
        p95_min=min(r["p95"] for r in rounds),
        p95_max=max(r["p95"] for r in rounds),
        errors=sum(r["errors"] for r in rounds),
        # A round without one answer makes the page "no answer" as in a single run.
        requests=min(r["requests"] for r in rounds),
        p95_each=rounds[0]["p95_each"],
        rounds=rounds,
    )
    for key in ("clients_p95", "clients_rps"):
        if key in rounds[0]:
            row[key] = rounds[0][key]
    return row


def merge(saved: list[dict[str, Any]], new: dict[str, Any]) -> list[dict[str, Any]]:
    """Add a scale's results to earlier ones; a page measured again replaces its old row.
    Results of another number of rounds are not mixed in one table: the new scale's results
    replace the saved ones whole."""
    for i, res in enumerate(saved):
        if res["scale"] == new["scale"]:
            if res.get("rounds", 1) != new.get("rounds", 1):
                return [*saved[:i], new, *saved[i + 1 :]]
            old_bare = next(r for r in res["rows"] if r["path"] == "/bench/bare")
            for r in res["rows"]:
                r.setdefault("bare_rps", old_bare["rps"])
            bare = next(r for r in new["rows"] if r["path"] == "/bench/bare")
            for r in new["rows"]:
                r.setdefault("bare_rps", bare["rps"])
            fresh = {r["label"]: r for r in new["rows"]}
            res["rows"] = [fresh.pop(r["label"], r) for r in res["rows"]] + list(fresh.values())
            return saved
    return [*saved, new]


def markdown(db: str, results: list[dict[str, Any]], command: str) -> str:
    machine = f"{os.cpu_count()} cores (shared and noisy), {platform.machine()}, Python {platform.python_version()}"
    lines = [
        f"Date {dt.date.today().isoformat()}; machine: {machine}; "
        f"database: {'SQLite (WAL), one server' if db == 'sqlite' else 'PostgreSQL 15, two app servers + Redis cache'}.",
        "",
        f"Command: `{command}`",
        "",
        "Seeding (`learnloop seed --scale S --seed 1`, search index included):",
        "",
        "| scale | rows | seconds | of which search index |",
        "|---|---|---|---|",
    ]
    for res in results:
        s = res["seed"]
        lines.append(f"| {res['scale']} | {s['rows']:,} | {s['seconds']} | {s['index_seconds']} |")
    for res in results:
        lines += scale_table(db, res)
    if len(results) > 1:
        lines += growth_table(results[0], results[-1])
    return "\n".join(lines)


def scale_table(db: str, res: dict[str, Any]) -> list[str]:
    bare = next(r for r in res["rows"] if r["path"] == "/bench/bare")
    clients = res.get("clients") or 0
    few = f" | {clients}-client p95 ms" if clients else ""
    rounds = res.get("rounds", 1)
    how = (
        f"; **medians of {rounds} rounds** (every scale's servers running at once, each page "
        f"measured at every scale in each round, the order of the scales rotated), ratio = "
        f"median of the per-round ratios to the bare view measured in the same round beside "
        f"the page{'; single client: first round' if clients else ''}"
        if rounds > 1
        else ""
    )
    lines = [
        "",
        f"**{res['scale']}** ({res['seed']['rows']:,} rows), {res['connections']} connections, "
        f"{res['duration']}{how}:",
        "",
        f"| page | req/s | p50 ms | p95 ms | p99 ms{few} | ratio to bare | errors | targets |",
        "|---|---|---|---|---|---|---|---|" + ("---|" if clients else ""),
    ]
    for r in res["rows"]:
        if "ratio" in r:
            ratio = r["ratio"]
        else:
            ceiling = r.get("bare_rps") or bare["rps"]  # the bare view of the same run
            ratio = r["rps"] / ceiling if ceiling else 0
        misses = []
        if r is not bare and not r["requests"]:
            misses.append("no answer within the run")
        elif r is not bare:
            if db == "sqlite" and res["scale"] == "1m" and r["p95"] >= P95_MS:
                misses.append("p95")
            if ratio < MIN_RATIO:
                misses.append("ratio")
            if clients == 1 and r.get("clients_p95", 0) >= SINGLE_P95_MS:
                misses.append("single-client p95")
        verdict = "—" if r is bare else ("met" if not misses else "MISSED " + ", ".join(misses))
        alone = f" | {r['clients_p95']:.1f}" if clients and "clients_p95" in r else ""
        if clients and not alone:
            alone = " | —"
        lines.append(
            f"| {r['label']} | {r['rps']:.0f} | {r['p50']:.1f} | {r['p95']:.1f} | "
            f"{r['p99']:.1f}{alone} | {ratio:.2f} | {r['errors']} | {verdict} |"
        )
    return lines


def growth_table(first: dict[str, Any], last: dict[str, Any]) -> list[str]:
    a, b = first["scale"], last["scale"]
    rounds = min(first.get("rounds", 1), last.get("rounds", 1))
    if rounds > 1:
        head = (
            f"p95 growth from {a} to {b} (target ≤ {MAX_GROWTH}x): median p95 at {b} / median "
            f"p95 at {a} over {rounds} rounds; in brackets the lowest–highest p95 of the rounds:"
        )
    else:
        head = f"p95 growth from {a} to {b} (target ≤ {MAX_GROWTH}x):"
    lines = [
        "",
        head,
        "",
        f"| page | p95 {a} | p95 {b} | growth | target |",
        "|---|---|---|---|---|",
    ]

    def p95(r: dict[str, Any]) -> str:
        if rounds > 1 and "p95_min" in r:
            return f"{r['p95']:.1f} ({r['p95_min']:.1f}–{r['p95_max']:.1f})"
        return f"{r['p95']:.1f}"

    before = {r["label"]: r for r in first["rows"]}
    for r in last["rows"]:
        old = before.get(r["label"])
        if not old:
            continue
        if not r["requests"] or not old["requests"]:
            lines.append(f"| {r['label']} | {p95(old)} | — | — | MISSED (no answer) |")
            continue
        growth = r["p95"] / old["p95"] if old["p95"] else 0
        lines.append(
            f"| {r['label']} | {p95(old)} | {p95(r)} | {growth:.2f}x | "
            f"{'met' if growth <= MAX_GROWTH else 'MISSED'} |"
        )
    return lines


def write_docs(db: str, block: str) -> None:
    path = ROOT / "docs" / "benchmarks.md"
    text = path.read_text()
    start, end = f"<!-- loadtest:{db}:start -->", f"<!-- loadtest:{db}:end -->"
    if start not in text:
        raise SystemExit(f"docs/benchmarks.md has no {start} marker")
    head, rest = text.split(start, 1)
    _, tail = rest.split(end, 1)
    path.write_text(f"{head}{start}\n{block}\n{end}{tail}")
