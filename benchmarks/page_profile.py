"""Where each page's time goes: CPU per request, split into template rendering, ORM (query
building and row-to-object work), time inside the database driver, and the rest.

    LEARNLOOP_DATA_DIR=/tmp/learnloop-bench/sqlite-10k LEARNLOOP_SECRET_KEY=... \\
        .venv/bin/python benchmarks/page_profile.py --requests 30 [--only incident]

Runs in one process against a seeded data directory (``benchmarks/loadtest.py`` makes them),
through Django's test client signed in as the seeded benchmark user, with the production
settings (no debug, cached template loader, the same middleware). Each page is requested once
to warm up, then ``--requests`` times under cProfile; the figures are CPU milliseconds per
request (``time.process_time``), so they hold on a loaded machine where wall time does not.

The first columns are measured with the page cache off (``LEARNLOOP_PAGE_CACHE``, decision
0076): what every request cost before it. Then with it on: "first view" is a request after
the kept pages were dropped (what the first view after a write costs: render and keep),
"repeat view" a request served from the kept page; "kept" says whether the page is kept at all.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "learnloop.settings")

#: cProfile entries whose cumulative time is counted as one bucket (first match wins, and a
#: bucket's time is only counted at its outermost call).
BUCKETS = (
    ("template render", ("django/template/base.py", "render")),
    ("database driver", ("sqlite3.Cursor", "execute")),
    ("database driver", ("psycopg", "execute")),
    ("ORM", ("django/db/models/query.py", "_fetch_all")),
    ("ORM", ("django/db/models/sql/compiler.py", "execute_sql")),
)


def pages(ids: dict[str, Any]) -> list[tuple[str, str]]:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import loadtest  # the same pages as the load test

    return [(label, path) for label, path, _api in loadtest.pages(ids)]


def bench_ids(seed: int) -> dict[str, Any]:
    """The ids the load test's pages need, found by the load test's own query code."""
    import contextlib
    import io
    import json

    from learnloop.accounts.models import User

    sys.path.insert(0, str(ROOT / "benchmarks"))
    import loadtest

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(loadtest.IDS_CODE.format(seed=seed), {})
    ids: dict[str, Any] = json.loads(out.getvalue().strip().splitlines()[-1])
    ids["user"] = User.objects.get(email=f"bench@seed{seed}.example")
    return ids


def split(stats: pstats.Stats) -> dict[str, float]:
    """Seconds per bucket: the cumulative time of the matching functions (outermost only)."""
    out: dict[str, float] = {}
    raw: Any = stats.stats  # type: ignore[attr-defined]
    for (filename, _line, name), (_cc, _nc, _tt, ct, callers) in raw.items():
        for bucket, (file_part, func_part) in BUCKETS:
            if file_part in filename + name and func_part in name:
                # outermost: no caller in the same bucket
                if not any(file_part in c[0] + c[2] and func_part in c[2] for c in callers):
                    out[bucket] = out.get(bucket, 0.0) + ct
                break
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--only", action="append")
    parser.add_argument("--top", type=int, default=0, help="print the top N functions per page")
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.test import Client

    settings.ALLOWED_HOSTS = ["*"]
    if not (settings.STATIC_ROOT and (Path(settings.STATIC_ROOT) / "staticfiles.json").exists()):
        # No collected manifest (``learnloop serve`` makes one): plain static URLs.
        settings.STORAGES = {
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
    ids = bench_ids(args.seed)
    client = Client()
    client.force_login(ids["user"])
    print(
        "| page | CPU ms/request | template render | ORM | in the driver | queries "
        "| first view ms | repeat view ms | repeat queries | kept |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    from django.db import connection, reset_queries

    def cpu_ms(path: str, before_each: Any = None) -> float:
        spent, count = 0.0, int(args.requests)
        for _ in range(count):
            if before_each is not None:
                before_each()
            start = time.process_time()
            client.get(path)
            spent += time.process_time() - start
        return spent / count * 1000

    def queries_of(path: str) -> int:
        settings.DEBUG = True  # count queries
        reset_queries()
        client.get(path)
        settings.DEBUG = False
        return len(connection.queries)

    for label, path in pages(ids):
        if args.only and not any(o in label for o in args.only):
            continue
        # Without the page cache: what every request cost before decision 0076.
        settings.LEARNLOOP_PAGE_CACHE = False
        resp = client.get(path)  # the API accepts the session too
        if resp.status_code != 200:
            print(f"| {label} | status {resp.status_code} | | | | | | | | |")
            continue
        queries = queries_of(path)
        cpu = cpu_ms(path)
        prof = cProfile.Profile(time.process_time)
        prof.enable()
        for _ in range(args.requests):
            client.get(path)
        prof.disable()
        stats = pstats.Stats(prof)
        total = stats.total_tt  # type: ignore[attr-defined]
        # Shares of the profiled time, applied to the unprofiled CPU time. They overlap: a
        # query run lazily while a template renders counts in both.
        parts = {k: v / total * cpu for k, v in split(stats).items()} if total else {}
        # With it: the first view after a write (nothing kept: render, then keep) and repeat
        # views (served from memory).
        settings.LEARNLOOP_PAGE_CACHE = True
        first = cpu_ms(path, before_each=drop_kept_pages)
        drop_kept_pages()
        client.get(path)
        kept = kept_pages() > 0
        repeat = cpu_ms(path)
        repeat_queries = queries_of(path)
        print(
            f"| {label} | {cpu:.1f} | {parts.get('template render', 0):.1f} "
            f"| {parts.get('ORM', 0):.1f} | {parts.get('database driver', 0):.1f} "
            f"| {queries} | {first:.1f} | {repeat:.1f} | {repeat_queries} "
            f"| {'yes' if kept else 'no'} |",
            flush=True,
        )
        if args.top:
            stats.sort_stats("cumulative").print_stats(args.top)


def kept_pages() -> int:
    from django.core.cache import caches

    local: Any = caches["local"]
    return len([k for k in local._cache if ":page:" in k])


def drop_kept_pages() -> None:
    """Forget every kept page (as a write would make them unreachable), nothing else."""
    from django.core.cache import caches

    local: Any = caches["local"]
    for key in [k for k in local._cache if ":page:" in k]:
        local.delete(key.split(":", 2)[2])


if __name__ == "__main__":
    main()
