"""Load test of the real production server (``learnloop serve``: gunicorn) with wrk.

    .venv/bin/python benchmarks/loadtest.py --db sqlite --scales 10k,100k,1m
    .venv/bin/python benchmarks/loadtest.py --db postgresql --scales 10k,100k,1m

For each scale: a fresh data directory (SQLite) or database (PostgreSQL) is migrated and seeded
with ``learnloop seed`` (kept under /tmp/learnloop-bench and reused by later runs unless
``--fresh``), the server is started, a seeded user signs in through the login form (session
cookie) and gets an API token, then every page is measured separately with wrk: 16
connections for ``--duration`` seconds after a short warm-up, reporting p50/p95/p99 latency and
requests per second. The bare view (/bench/bare, one row read through the ORM) is measured in the
same run; each page's throughput is reported as a ratio of it.
With ``--clients 1`` each page is measured a second time with one connection (one person
clicking): its p95 is the single-client column (target under 25 ms).

``--rounds N`` (decision 0241; default 1, the single run above): every scale is prepared
first, then all scales' servers run at once (each on its own ports) and each page is measured
at every scale in each of N rounds, the bare view beside it in every round (the order is in
benchmarks/loadtest/lt_rounds.py). The table shows, per scale and page, the median over the
rounds of req/s, p50, p95 and p99; the ratio is the median of the per-round ratios to the bare
view measured in the same round; the growth table shows the p95 spread of the rounds. The
results JSON keeps every round's figures. The single-client windows run in the first round.

PostgreSQL: two app servers (``learnloop serve --no-worker`` on two ports, each with half the
gunicorn workers) plus one ``learnloop worker``, sharing the database, the secret key and a
Redis cache; two wrk processes (8 connections each) load both servers at once; requests/s are
summed and the worse of the two latency figures is reported.

Results: saved in ``$LEARNLOOP_BENCH_DIR/results-<db>.json`` and merged with the earlier ones
per scale (a page measured again replaces its row; a scale measured with another number of
rounds replaces that scale's results whole); a Markdown table on standard output and, with
``--write-docs``, in docs/benchmarks.md (the block for this database inside "## Scale and
load"). wrk comes from Debian (``apt-get install wrk``); the script installs it when missing
and it can (root).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

# The parts live in benchmarks/loadtest/ (beside the wrk script and the gunicorn hooks).
sys.path.insert(0, str(Path(__file__).resolve().parent / "loadtest"))

from lt_data import (
    ANALYZE_CODE,
    IDS_CODE,
    LEARNLOOP,
    MAX_GROWTH,
    MIN_RATIO,
    P95_MS,
    PERIODIC_NOW_CODE,
    ROOT,
    SINGLE_P95_MS,
    TOKEN_CODE,
    WORK,
    base_env,
    pages,
    prepare,
    ready,
    run,
    shell_last_line,
)
from lt_report import markdown, merge, write_docs
from lt_rounds import (
    add_clients,
    answers,
    estimate,
    line,
    measure_rounds,
    page_count,
    targets_of,
    window,
)
from lt_servers import (
    _PORTS,
    Servers,
    check,
    ensure_wrk,
    free_port,
    sign_in,
    wait_healthy,
    wait_idle,
    wrk,
)

__all__ = [
    "ANALYZE_CODE",
    "IDS_CODE",
    "LEARNLOOP",
    "MAX_GROWTH",
    "MIN_RATIO",
    "P95_MS",
    "PERIODIC_NOW_CODE",
    "ROOT",
    "SINGLE_P95_MS",
    "TOKEN_CODE",
    "WORK",
    "Servers",
    "base_env",
    "check",
    "ensure_wrk",
    "free_port",
    "pages",
    "prepare",
    "run",
    "shell_last_line",
    "sign_in",
    "wait_healthy",
    "wait_idle",
    "wrk",
]


def measure(
    db: str, scale: str, seed: int, args: argparse.Namespace, binary: str
) -> dict[str, Any]:
    """One scale alone (``--rounds 1``): prepare it, start its servers, measure each page once."""
    env = base_env(db, scale)
    report, token, ids = ready(db, scale, seed, args.fresh, env)
    rows = []
    with Servers(db, env) as servers:
        targets = targets_of(db, scale, servers, token, ids, seed, args.only, checked=False)
        for label, (path, header) in targets.items():
            wait_idle(servers.urls)
            if not answers(db, scale, label, servers.urls, path, header):
                continue
            r = window(binary, servers.urls, path, header, args, args.connections)
            r.update(label=label, path=path)
            rows.append(r)
            few = add_clients(r, binary, servers.urls, path, header, args) if args.clients else ""
            print(line(f"[{db} {scale}]", label, r, few), flush=True)
    return {"scale": scale, "seed": report, "rows": rows}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--scales", default="10k,100k,1m")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--duration", type=int, default=10, help="seconds per page (default 10)")
    parser.add_argument("--warmup", type=int, default=2, help="warm-up seconds per page")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument(
        "--clients",
        type=int,
        default=0,
        help="also measure each page with this many connections (1: single-client p95)",
    )
    parser.add_argument(
        "--rounds",
        type=int,
        default=1,
        help="measure every page N times at every scale, all scales' servers at once, and "
        "report medians (default 1: one scale after another, each page once)",
    )
    parser.add_argument(
        "--group",
        type=int,
        default=4,
        help="with --rounds: pages measured after each bare-view window (default 4)",
    )
    parser.add_argument("--fresh", action="store_true", help="re-seed even if seeded data exists")
    parser.add_argument("--only", action="append", help="only pages whose label contains this")
    parser.add_argument("--write-docs", action="store_true", help="update docs/benchmarks.md")
    parser.add_argument("--port", type=int, help="first of the ports the servers listen on")
    parser.add_argument(
        "--from-results", action="store_true", help="only re-render the last run's saved results"
    )
    args = parser.parse_args()
    if args.rounds < 1 or args.group < 1:
        parser.error("--rounds and --group are at least 1")
    if args.port:
        _PORTS.extend(range(args.port, args.port + 30))
    saved_path = WORK / f"results-{args.db}.json"
    if args.from_results:
        saved = json.loads(saved_path.read_text())
        block = markdown(args.db, saved, saved[0].get("command", "(see benchmarks/README.md)"))
        print(block)
        if args.write_docs:
            write_docs(args.db, block)
        return
    binary = ensure_wrk()
    command = "python benchmarks/loadtest.py " + " ".join(sys.argv[1:])
    scales = [s.strip() for s in args.scales.split(",") if s.strip()]
    print(
        f"estimate: {page_count(args.only)} pages (+ the bare view) at {len(scales)} scales, "
        f"{args.rounds} round(s): about {estimate(page_count(args.only), len(scales), args) / 60:.1f} "
        "min of measurement, besides seeding and starting the servers",
        flush=True,
    )
    results = json.loads(saved_path.read_text()) if saved_path.exists() else []
    if args.rounds == 1:
        measured = (measure(args.db, scale, args.seed, args, binary) for scale in scales)
    else:
        measured = iter(measure_rounds(args.db, scales, args.seed, args, binary))
    for res in measured:
        res["duration"] = f"{args.duration} s per page after {args.warmup} s warm-up"
        res["connections"] = args.connections
        res["clients"] = args.clients
        res["command"] = command
        if args.rounds > 1:
            res.update(rounds=args.rounds, group=args.group)
        results = merge(results, res)
        saved_path.write_text(json.dumps(results, indent=1))
    block = markdown(args.db, results, command)
    print("\n" + block)
    if args.write_docs:
        write_docs(args.db, block)


if __name__ == "__main__":
    main()
