"""``learnloop seed --scale {small,10k,100k,1m} --seed N``: a large, deterministic organisation.

For benchmarks and load tests (benchmarks/loadtest.py), not for demos (``learnloop seed-demo``).
Run it on a fresh data directory or database: it refuses to seed the same ``--seed`` twice.
The same ``--seed`` on the same day (or ``--today``) writes the same rows but for the password
hash's salt (``devtools.seeding``).
"""

from __future__ import annotations

import datetime as dt
import random
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from learnloop.accounts.models import Organisation
from learnloop.core.bulk_load import refresh_after_bulk_load
from learnloop.devtools import seeding

DEFAULT_PASSWORD = "seeded-password-1"


class Command(BaseCommand):
    help = "Seed a realistic, deterministic organisation of about 10k to 1M rows (benchmarks)."
    # No system checks (URL modules and API schemas: seconds of CPU): seeding needs none of
    # them, and `serve`/`migrate` still run them (as for `learnloop import`, decision 0087).
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", choices=list(seeding.SCALES), default="small")
        parser.add_argument("--seed", type=int, default=1, help="same seed, same data (default 1)")
        parser.add_argument(
            "--team-count", type=int, default=None, help="teams (default: by scale)"
        )
        parser.add_argument(
            "--password",
            default=DEFAULT_PASSWORD,
            help=f"password of every seeded account (default {DEFAULT_PASSWORD!r})",
        )
        parser.add_argument(
            "--today",
            type=dt.date.fromisoformat,
            default=None,
            help="the UTC day the data's times count back from (YYYY-MM-DD; default: today)",
        )
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")
        parser.add_argument(
            "--jobs", type=int, default=None, help="processes for search indexing (default: cores)"
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        if Organisation.objects.filter(slug=f"seed-{opts['seed']}").exists():
            raise CommandError(
                f"seed {opts['seed']} is already in this database; use a fresh data directory "
                "(LEARNLOOP_DATA_DIR) or database, or another --seed"
            )
        if opts["team_count"] is not None and not 1 <= opts["team_count"] <= 150:
            raise CommandError("--team-count must be between 1 and 150")
        sizes = seeding.plan(opts["scale"], opts["team_count"])
        bar = None
        if not opts["no_progress"]:
            from tqdm import tqdm

            bar = tqdm(
                total=sizes["incidents"], unit=" incidents", desc="seeding", file=self.stderr
            )
        started = time.perf_counter()
        today = opts["today"] or dt.datetime.now(dt.UTC).date()
        try:
            result = seeding.seed(
                scale=opts["scale"],
                seed=opts["seed"],
                password=opts["password"],
                team_count=opts["team_count"],
                progress=bar.update if bar else None,
                today=today,
            )
        finally:
            if bar:
                bar.close()
        t = time.perf_counter()
        stages = result.seconds
        indexed = seeding.index_organisation(
            result.organisation_id, processes=opts["jobs"], seconds=stages, cpu=result.cpu
        )
        index_seconds = time.perf_counter() - t
        docs = sum(indexed.values())
        t, c = time.perf_counter(), time.process_time()
        stage = refresh_after_bulk_load()
        stages[stage] = time.perf_counter() - t
        result.cpu[stage] = time.process_time() - c
        result.counts["search document"] += docs
        # Repeat incidents (the daily job's work) for the most recent incidents: the related
        # engine needs the index, so it runs after it (decision 0213).
        from learnloop.accounts.models import Organisation as Org
        from learnloop.metrics.repeats import SEED_LIMIT, scan_organisation

        t, c = time.perf_counter(), time.process_time()
        ids = random.Random(opts["seed"] * 7919 + 213)  # the matches' ids, as the seed's own
        result.counts["repeat check"] += scan_organisation(
            Org.objects.get(pk=result.organisation_id),
            now=dt.datetime.combine(today, dt.time(), tzinfo=dt.UTC),
            limit=SEED_LIMIT,
            new_id=lambda: -(ids.randrange(2**53 - 2) + 1),
        )
        stages["repeat checks"] = time.perf_counter() - t
        result.cpu["repeat checks"] = time.process_time() - c
        elapsed = time.perf_counter() - started
        for name, n in sorted(result.counts.items()):
            self.stdout.write(f"  {name:<22} {n:>9,}")
        self.stdout.write(
            f"{result.total:,} rows in {elapsed:.1f} s (rows {result.seconds['rows']:.1f} s, "
            f"search index {index_seconds:.1f} s for {docs:,} documents)"
        )
        self.stdout.write(
            "stages (wall / this process's CPU): "
            + ", ".join(
                f"{name} {s:.1f} / {result.cpu.get(name, 0.0):.1f} s" for name, s in stages.items()
            )
        )
        self.stdout.write(
            f"Sign in as {result.admin_email} (or any seeded account) with password "
            f"{opts['password']!r}"
        )
