"""How long the loop metrics take to compute from scratch (no cache), metric by metric.

    LEARNLOOP_DATA_DIR=/tmp/learnloop-bench/sqlite-100k \\
        .venv/bin/python benchmarks/metrics_speed.py [--scope organisation|team] [--repeat 3]
        [--top 25]

Runs in one process against a seeded data directory (``benchmarks/loadtest.py`` or
``learnloop seed`` makes them), as the seeded benchmark user (an organisation admin). Each
round computes every metric of the catalogue once, cold: the per-process cache is cleared
before each round, so each round is what a worker's first view costs. Prints wall and CPU
milliseconds per metric (the best of ``--repeat`` rounds) and the number of queries, and with
``--top N`` the N functions with the most cumulative CPU time under cProfile (one more round).

``--workers N`` forks N processes that each need the board at the same moment, as gunicorn's
workers do on the first view after a write, twice per mode and alternating: "per process" (each
computes it, as before decision 0174) and "shared" (``metrics.catalogue.board``: one computes,
the others wait and read it from the server's shared memory); prints the wall time until every
process has it and the CPU the processes used together.

``--views N`` measures instead a cold view through the whole stack, N times per page: the
organisation's and a team's page, the team's API and the API drill list, requested with
Django's test client (production settings) after clearing the per-process cache, so the
figures are computed and the page rendered, as a worker's first view after a write.
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scope", choices=("organisation", "team"), default="organisation")
    parser.add_argument("--months", type=int, default=12)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--top", type=int, default=0)
    parser.add_argument("--views", type=int, default=0, help="cold views per page instead")
    parser.add_argument("--workers", type=int, default=0, help="processes at once instead")
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.core.cache import caches
    from django.db import connection, reset_queries

    from learnloop.accounts.models import User
    from learnloop.accounts.visibility import team_ids_of
    from learnloop.metrics.catalogue import CATALOGUE, KEYS
    from learnloop.metrics.scope import Scope, organisation_scope, team_scope

    user = User.objects.get(email=f"bench@seed{args.seed}.example")
    if args.views:
        cold_views(user, args.views)
        return
    if args.workers:
        at_once(user, args.workers, args.scope, args.months)
        return

    def scope() -> Scope:
        caches["local"].clear()
        fresh = User.objects.get(pk=user.pk)
        if args.scope == "team":
            membership = fresh.memberships.select_related("team").first()
            assert membership is not None, "the benchmark user is in no team"
            return team_scope(fresh, membership.team.slug, months=args.months)
        return organisation_scope(fresh, months=args.months)

    best: dict[str, tuple[float, float]] = {}
    queries: dict[str, int] = {}
    totals = []
    for _ in range(args.repeat):
        s = scope()
        team_ids_of(s.user)
        round_wall = 0.0
        for key in KEYS:
            settings.DEBUG = True
            reset_queries()
            wall, cpu = time.perf_counter(), time.process_time()
            CATALOGUE[key](s)
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
            settings.DEBUG = False
            queries[key] = len(connection.queries)
            round_wall += wall
            if key not in best or wall < best[key][0]:
                best[key] = (wall, cpu)
        totals.append(round_wall)
    print(f"scope: {args.scope}, {args.months} months; rounds: {args.repeat}")
    print("| metric | wall ms | CPU ms | queries |")
    print("|---|---|---|---|")
    for key in KEYS:
        wall, cpu = best[key]
        print(f"| {key} | {wall * 1000:.1f} | {cpu * 1000:.1f} | {queries[key]} |")
    print(
        f"| **all (per round: best / worst)** | {min(totals) * 1000:.0f} / "
        f"{max(totals) * 1000:.0f} | | {sum(queries.values())} |"
    )
    if args.top:
        s = scope()
        prof = cProfile.Profile()
        prof.enable()
        for key in KEYS:
            CATALOGUE[key](s)
        prof.disable()
        pstats.Stats(prof).sort_stats("cumulative").print_stats(args.top)


def at_once(user: Any, count: int, kind: str, months: int) -> None:
    """Wall and summed CPU seconds until ``count`` forked processes all have the board."""
    from django.core.cache import caches
    from django.db import connections

    from learnloop.core import shared_memory as shared
    from learnloop.metrics import catalogue
    from learnloop.metrics.scope import organisation_scope, team_scope

    slug = user.memberships.select_related("team").first().team.slug
    from django.urls import reverse

    reverse("metrics:organisation")  # the URLconf loaded before the fork, as the master does
    shared.create()  # before the fork, as gunicorn's master does
    print(f"{count} processes at once, {kind}, {months} months")
    print("| mode | wall s | CPU s (all processes) |")
    print("|---|---|---|")
    for mode in ("per process", "shared", "per process", "shared"):
        shared.clear()
        caches["local"].clear()
        connections.close_all()
        before = os.times()
        started = time.perf_counter()
        pids = []
        for _ in range(count):
            pid = os.fork()
            if pid == 0:
                code = 1
                try:
                    scope = (
                        team_scope(user, slug, months=months)
                        if kind == "team"
                        else organisation_scope(user, months=months)
                    )
                    if mode == "shared":
                        catalogue.board(scope)
                    else:
                        catalogue.compute(scope)
                    code = 0
                finally:
                    os._exit(code)
            pids.append(pid)
        failed = sum(os.waitpid(pid, 0)[1] != 0 for pid in pids)
        wall = time.perf_counter() - started
        after = os.times()
        cpu = after.children_user + after.children_system
        cpu -= before.children_user + before.children_system
        print(f"| {mode} | {wall:.2f} | {cpu:.2f} |" + (f" {failed} failed" if failed else ""))


def cold_views(user: Any, count: int) -> None:
    """Mean CPU and wall milliseconds, and the best wall, of ``count`` cold views per page."""
    from django.conf import settings
    from django.core.cache import caches
    from django.test import Client

    from learnloop.core import shared_memory as shared

    settings.ALLOWED_HOSTS = ["*"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    membership = user.memberships.select_related("team").first()
    assert membership is not None, "the benchmark user is in no team"
    slug = membership.team.slug
    client = Client()
    client.force_login(user)
    print("| page | CPU ms | wall ms (mean) | wall ms (best) |")
    print("|---|---|---|---|")
    for label, path in (
        ("loop metrics (organisation)", "/metrics/organisation/"),
        ("loop metrics (team)", f"/metrics/teams/{slug}/"),
        ("API loop metrics (team)", f"/api/metrics/teams/{slug}"),
        ("API drills", "/api/drills"),
    ):
        assert client.get(path).status_code == 200, path
        cpu = wall = 0.0
        best = float("inf")
        for _ in range(count):
            caches["local"].clear()
            shared.clear()  # the server's shared figures too (decision 0174)
            w, c = time.perf_counter(), time.process_time()
            client.get(path)
            w, c = time.perf_counter() - w, time.process_time() - c
            cpu, wall, best = cpu + c, wall + w, min(best, w)
        print(
            f"| {label} | {cpu / count * 1000:.0f} | {wall / count * 1000:.0f} "
            f"| {best * 1000:.0f} |"
        )


if __name__ == "__main__":
    main()
