"""CPU milliseconds per request of a few pages, the minimum of several batches: steadier than
one batch on a shared machine, for comparing two checkouts back to back.

    cd <checkout> && LEARNLOOP_DATA_DIR=/tmp/bench-journal/sqlite-100k \\
        LEARNLOOP_SECRET_KEY=... LEARNLOOP_BENCHMARK_VIEWS=true PYTHONPATH=$PWD \\
        .venv/bin/python benchmarks/page_cpu.py --requests 60 --runs 3 [--sql]

Same set-up as ``page_profile.py`` (test client signed in as the seeded benchmark user,
production settings); prints each page's minimum and every batch, its query count and size.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "learnloop.settings")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=60)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--sql", action="store_true", help="print each page's queries")
    args = parser.parse_args()

    import django

    django.setup()
    import page_profile
    from django.conf import settings
    from django.db import connection, reset_queries
    from django.test import Client

    from learnloop.journal.models import Entry

    settings.ALLOWED_HOSTS = ["*"]
    ids = page_profile.bench_ids(1)
    client = Client()
    client.force_login(ids["user"])
    linked = Entry.objects.of(ids["user"]).exclude(link_kind="").order_by("-created_at").first()
    pages = {
        "bare view (ceiling)": "/bench/bare",
        "chrome only (/journal/shared/)": "/journal/shared/",
        "journal": "/journal/",
        "journal entry": f"/journal/{ids['journal_entry']}/",
        **({"journal entry linked": f"/journal/{linked.pk}/"} if linked else {}),
    }
    for label, path in pages.items():
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        settings.DEBUG = True
        reset_queries()
        client.get(path)
        settings.DEBUG = False
        sql = [q["sql"] for q in connection.queries]
        batches = []
        for _ in range(args.runs):
            start = time.process_time()
            for _ in range(args.requests):
                client.get(path)
            batches.append((time.process_time() - start) / args.requests * 1000)
        runs = ", ".join(f"{b:.2f}" for b in batches)
        print(
            f"{label}: {min(batches):.2f} ms (runs {runs}), {len(sql)} queries, "
            f"{len(response.content)} bytes"
        )
        for q in sql if args.sql else []:
            print("   ", q[:160])


if __name__ == "__main__":
    main()
