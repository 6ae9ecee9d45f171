"""CPU milliseconds per request of a few pages, the minimum of several batches: steadier than
one batch on a shared machine, for comparing two checkouts back to back.

    cd <checkout> && LEARNLOOP_DATA_DIR=/tmp/bench-journal/sqlite-100k \\
        LEARNLOOP_SECRET_KEY=... LEARNLOOP_BENCHMARK_VIEWS=true PYTHONPATH=$PWD \\
        .venv/bin/python benchmarks/page_cpu.py --requests 60 --runs 3 [--sql]

Same set-up as ``page_profile.py`` (test client signed in as the seeded benchmark user,
production settings); prints each page's minimum and every batch, its query count and size.

Without ``--only`` it measures the journal pages. ``--only LABEL`` (repeatable; a part of a
label) picks pages of the load test instead (``loadtest.pages``: "review list", "API lessons",
...). ``--uncached`` turns the page cache off (decision 0076): what a first view after a write
costs, the figure that grows with the data. ``--sql`` prints each query with its milliseconds
(one request), ``--plans MS`` also the query plan (SQLite ``EXPLAIN QUERY PLAN``, PostgreSQL
``EXPLAIN``) of every query that took at least MS milliseconds.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "learnloop.settings")


def plan(sql: str, params: Any) -> list[str]:
    """The database's plan of one query, one line per step."""
    from django.db import connection

    explain = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN "
    with connection.cursor() as cursor:
        cursor.execute(explain + sql, params)
        return [" ".join(str(c) for c in row[-1:]) for row in cursor.fetchall()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=60)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--only", action="append", help="a load-test page label (or part)")
    parser.add_argument("--uncached", action="store_true", help="page cache off")
    parser.add_argument("--sql", action="store_true", help="print each page's queries")
    parser.add_argument("--plans", type=float, default=None, metavar="MS")
    args = parser.parse_args()

    import django

    django.setup()
    import page_profile
    from django.conf import settings
    from django.db import connection
    from django.test import Client

    from learnloop.journal.models import Entry

    settings.ALLOWED_HOSTS = ["*"]
    if not (settings.STATIC_ROOT and (Path(settings.STATIC_ROOT) / "staticfiles.json").exists()):
        # No collected manifest (``learnloop serve`` makes one): plain static URLs.
        settings.STORAGES = {
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
    if args.uncached:
        settings.LEARNLOOP_PAGE_CACHE = False
    ids = page_profile.bench_ids(1)
    client = Client()
    client.force_login(ids["user"])
    if args.only:
        pages = {
            label: path
            for label, path in page_profile.pages(ids)
            if any(o in label for o in args.only)
        }
    else:
        linked = Entry.objects.of(ids["user"]).exclude(link_kind="").order_by("-created_at").first()
        pages = {
            "bare view (ceiling)": "/bench/bare",
            "chrome only (/journal/shared/)": "/journal/shared/",
            "journal": "/journal/",
            "journal entry": f"/journal/{ids['journal_entry']}/",
            **({"journal entry linked": f"/journal/{linked.pk}/"} if linked else {}),
        }
    queries: list[tuple[float, str, Any]] = []

    def timed(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            queries.append(((time.perf_counter() - start) * 1000, sql, params))

    for label, path in pages.items():
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        queries.clear()
        with connection.execute_wrapper(timed):
            client.get(path)
        batches = []
        for _ in range(args.runs):
            start = time.process_time()
            for _ in range(args.requests):
                client.get(path)
            batches.append((time.process_time() - start) / args.requests * 1000)
        runs = ", ".join(f"{b:.2f}" for b in batches)
        print(
            f"{label}: {min(batches):.2f} ms (runs {runs}), {len(queries)} queries "
            f"({sum(q[0] for q in queries):.1f} ms in them), {len(response.content)} bytes",
            flush=True,
        )
        for ms, sql, params in queries if args.sql or args.plans is not None else []:
            if args.sql or ms >= (args.plans or 0):
                print(f"    {ms:7.2f} ms  {sql if args.plans is not None else sql[:160]}")
            if args.plans is not None and ms >= args.plans:
                for step in plan(sql, params):
                    print(f"               | {step}")


if __name__ == "__main__":
    main()
