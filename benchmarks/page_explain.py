"""EXPLAIN (ANALYZE, BUFFERS) of every statement of every load-test page, rendered in process.

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/learnloop_bench_1m \
    LEARNLOOP_DATA_DIR=/tmp/bench-pg/postgresql-1m/a LEARNLOOP_SECRET_KEY=... \
    LEARNLOOP_BENCHMARK_VIEWS=true PYTHONPATH=$PWD \
        .venv/bin/python benchmarks/page_explain.py [--only LABEL] [--jit off] [--top 3]

The pages and ids are the load test's (``loadtest.pages``, ``page_profile.bench_ids``), signed
in as the seeded benchmark user (API pages with a token), with the page cache off. Per page:
wall and CPU of one render, the number of statements, and the statements with the most
execution time with their plans (and PostgreSQL's JIT time where it compiled one). The data
directory must have its static files collected (a server's, e.g. ``.../postgresql-1m/a``).
Results go to ``--out`` as JSON. PostgreSQL only (``EXPLAIN (ANALYZE, BUFFERS)``); it writes an
API token for the user. Used for docs/benchmarks.md, "PostgreSQL with two app servers at 1M".
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from typing import Any

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
sys.path.insert(0, os.path.join(ROOT, "benchmarks"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "learnloop.settings")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--only", action="append")
    ap.add_argument("--jit", default="")
    ap.add_argument("--top", type=int, default=3)
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--out", default="page-explain.json")
    args = ap.parse_args()
    import django

    django.setup()
    import loadtest
    import page_profile
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from learnloop.accounts.services import api_token_create

    settings.ALLOWED_HOSTS = ["*"]
    settings.LEARNLOOP_PAGE_CACHE = False
    ids = page_profile.bench_ids(1)
    user = ids["user"]
    token = api_token_create(user=user, name="explain")[1]
    client = Client()
    client.force_login(user)
    if args.jit:
        with connection.cursor() as c:
            c.execute(f"SET jit = {args.jit}")
    results = []
    for label, path, api in loadtest.pages(ids):
        if args.only and not any(o in label for o in args.only):
            continue
        headers: dict[str, Any] = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if api else {}
        r = client.get(path, **headers)
        if r.status_code != 200:
            print(f"{label}: status {r.status_code}", flush=True)
            continue
        best: tuple[float, float, list[tuple[float, str]]] | None = None
        for _ in range(args.repeat):
            with CaptureQueriesContext(connection) as ctx:
                t = time.perf_counter()
                c0 = time.process_time()
                client.get(path, **headers)
                wall = time.perf_counter() - t
                cpu = time.process_time() - c0
            qs = [(float(q["time"]) * 1000, q["sql"]) for q in ctx.captured_queries]
            if best is None or wall < best[0]:
                best = (wall, cpu, qs)
        assert best is not None  # --repeat is at least 1
        wall, cpu, qs = best
        sql_ms = sum(q[0] for q in qs)
        row: dict[str, Any] = {
            "label": label,
            "path": path,
            "wall_ms": round(wall * 1000, 1),
            "cpu_ms": round(cpu * 1000, 1),
            "queries": len(qs),
            "sql_ms": round(sql_ms, 1),
            "slowest": [],
        }
        for ms, sql in qs:
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            with connection.cursor() as c:
                try:  # a statement that fails to explain is reported, not fatal
                    c.execute("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + sql)
                    plan = c.fetchone()[0]
                    c.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
                    text = "\n".join(x[0] for x in c.fetchall())
                except Exception as exc:  # any database error
                    plan, text = None, f"explain failed: {exc}"
            p = plan[0] if plan else {}
            jit = p.get("JIT", {}).get("Timing", {}).get("Total")
            row["slowest"].append(
                {
                    "ms": round(ms, 1),
                    "sql": sql[:600],
                    "exec_ms": p.get("Execution Time"),
                    "plan_ms": p.get("Planning Time"),
                    "jit_ms": jit,
                    "plan": text,
                }
            )
        row["slowest"].sort(key=lambda q: -(q["exec_ms"] or 0))
        row["exec_total_ms"] = round(sum(q["exec_ms"] or 0 for q in row["slowest"]), 1)
        row["slowest"] = row["slowest"][: args.top]
        results.append(row)
        s = row["slowest"][0] if row["slowest"] else {}
        print(
            f"{label:<34} wall {row['wall_ms']:7.1f} cpu {row['cpu_ms']:7.1f} ms  "
            f"{row['queries']:3d} q  sql {row['sql_ms']:7.1f} ms  worst {s.get('ms')} ms "
            f"(exec {s.get('exec_ms')}, jit {s.get('jit_ms')}) all exec {row['exec_total_ms']} ms",
            flush=True,
        )
    with open(args.out, "w") as f:
        json.dump(results, f, indent=1)


if __name__ == "__main__":
    main()
