"""The load test's data (benchmarks/loadtest.py): paths and settings, seeding a scale, the ids
of the seeded user's pages, and the pages measured."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent.parent
LEARNLOOP = [sys.executable, "-m", "learnloop.cli"]
WORK = Path(os.environ.get("LEARNLOOP_BENCH_DIR", "/tmp/learnloop-bench"))
PG_URL = os.environ.get("LEARNLOOP_BENCH_PG", "postgresql://postgres@127.0.0.1:5432/postgres")
#: On a machine shared by several people each gives their own database names and Redis db: the
#: PostgreSQL set-up drops and re-creates ``<prefix>_<scale>`` when it seeds.
PG_DB_PREFIX = os.environ.get("LEARNLOOP_BENCH_PG_PREFIX", "learnloop_bench")
CACHE_URL = os.environ.get("LEARNLOOP_BENCH_CACHE_URL", "redis://127.0.0.1:6379/14")
SECRET = "loadtest-shared-secret-key-" + "s" * 40
PASSWORD = "seeded-password-1"

# Targets (issue 6).
P95_MS = 100.0
SINGLE_P95_MS = 25.0  # issue 19: what one person feels (measured with --clients 1)
MIN_RATIO = 0.30
MAX_GROWTH = 1.5


def run(cmd: list[str], env: dict[str, Any], **kw: Any) -> subprocess.CompletedProcess[Any]:
    return subprocess.run(cmd, env=env, check=True, cwd=ROOT, **kw)


def shell_last_line(code: str, env: dict[str, Any]) -> str:
    """The last line a ``learnloop shell -c`` snippet printed (its answer; Django may print
    other lines before it)."""
    out = run([*LEARNLOOP, "shell", "-c", code], env, stdout=subprocess.PIPE, text=True)
    return str(out.stdout).strip().splitlines()[-1]


def base_env(db: str, scale: str, cache_url: str = CACHE_URL) -> dict[str, Any]:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    data_dir = WORK / f"{db}-{scale}"
    env.update(
        LEARNLOOP_DATA_DIR=str(data_dir),
        LEARNLOOP_BENCHMARK_VIEWS="true",
        LEARNLOOP_SECRET_KEY=SECRET,
        LEARNLOOP_LOG_LEVEL="WARNING",
    )
    env.pop("DATABASE_URL", None)
    if db == "postgresql":
        parts = urllib.parse.urlsplit(PG_URL)
        env["DATABASE_URL"] = parts._replace(path=f"/{PG_DB_PREFIX}_{scale}").geturl()
        env["LEARNLOOP_CACHE_URL"] = cache_url
    return env


def prepare(db: str, scale: str, seed: int, fresh: bool) -> dict[str, Any]:
    """Migrate and seed (or reuse a previous seed); return the seed report."""
    env = base_env(db, scale)
    data_dir = Path(env["LEARNLOOP_DATA_DIR"])
    marker = data_dir / "seeded.json"
    if marker.exists() and not fresh:
        report: dict[str, Any] = json.loads(marker.read_text())
        if report.get("seed") == seed:
            print(f"[{db} {scale}] reusing the seeded data in {data_dir}", flush=True)
            return report
    if data_dir.exists():
        shutil.rmtree(data_dir)
    data_dir.mkdir(parents=True)
    if db == "postgresql":
        import psycopg

        name = f"{PG_DB_PREFIX}_{scale}"
        with psycopg.connect(PG_URL, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
    print(f"[{db} {scale}] migrating and seeding", flush=True)
    run([*LEARNLOOP, "migrate", "-v0"], env)
    t = time.perf_counter()
    out = run(
        [*LEARNLOOP, "seed", "--scale", scale, "--seed", str(seed), "--password", PASSWORD],
        env,
        stdout=subprocess.PIPE,
        text=True,
    ).stdout
    seconds = time.perf_counter() - t
    print(out, flush=True)
    rows = re.search(r"^([\d,]+) rows in", out, re.M)
    index = re.search(r"search index ([\d.]+) s", out)
    report = {
        "seed": seed,
        "rows": int(rows.group(1).replace(",", "")) if rows else None,
        "seconds": round(seconds, 1),
        "index_seconds": float(index.group(1)) if index else None,
        "date": dt.date.today().isoformat(),
    }
    marker.write_text(json.dumps(report))
    return report


#: Fresh planner statistics (SQLite ``ANALYZE``); on PostgreSQL ``VACUUM (ANALYZE)``, what a
#: deployment's autovacuum would have done by now (the seed's own step, decision 0248).
ANALYZE_CODE = (
    "from learnloop.core.bulk_load import refresh_after_bulk_load\nrefresh_after_bulk_load()"
)

PERIODIC_NOW_CODE = """
import datetime as dt
from django.utils import timezone
from learnloop.tasks.models import Job
from learnloop.tasks.registry import PERIODIC
from learnloop.tasks.worker import schedule_periodic
schedule_periodic()
soon = [p.name for p in PERIODIC if p.every <= dt.timedelta(hours=1)]
Job.objects.filter(status='queued', name__in=soon).update(run_at=timezone.now())
"""

TOKEN_CODE = """
from learnloop.accounts.models import User
from learnloop.accounts.services import api_token_create
user = User.objects.get(email='bench@seed{seed}.example')
print(api_token_create(user=user, name='loadtest')[1])
"""

IDS_CODE = """
import json
from learnloop.accounts.models import User
from learnloop.incidents.models import Incident
from learnloop.reviews.models import Review
from learnloop.debriefs.models import Deliverable
from learnloop.experiments.models import Experiment, Showcase
user = User.objects.get(email='bench@seed{seed}.example')
published = Review.objects.visible_to(user).filter(status='published').order_by('-created_at')
# The incident page of a named report (kept by the page cache) and, measured apart, of an
# anonymous one (random negative id: never kept, decisions 0010 and 0076).
review = published.filter(incident_id__gt=0).first()
incident = review.incident
anonymous = published.filter(incident_id__lt=0).values_list('incident_id', flat=True).first()
deliverable = Deliverable.objects.visible_to(user).order_by('-created_at').first()
experiment = Experiment.objects.visible_to(user).order_by('-created_at').first()
showcase = Showcase.objects.visible_to(user).order_by('-month', '-id').first()
from learnloop.accounts.visibility import team_ids_of
from learnloop.retros.models import Retro
retro = Retro.objects.filter(team_id__in=team_ids_of(user)).order_by('-created_at').first()
from django.db.models import Count
from learnloop.drills.models import Drill
from learnloop.journal.models import Entry
# A drill of the user's team that ran, with the most findings and campaigns (the fullest page).
drill = (Drill.objects.filter(team_id__in=team_ids_of(user)).exclude(status='planned')
         .annotate(parts=Count('campaigns', distinct=True) + Count('findings', distinct=True))
         .order_by('-parts', '-planned_for', '-id').first())
entry = Entry.objects.of(user).order_by('-created_at', '-id').first()
# The team pages are for the team's members: one of the user's own teams (the newest published
# review may be another team's, visible to the whole organisation: its team page is a 404).
from learnloop.accounts.models import Team
team = Team.objects.filter(pk__in=team_ids_of(user)).order_by('pk').first()
print(json.dumps({{'incident': incident.pk, 'review': review.pk, 'title': incident.title,
                  'description': incident.description, 'deliverable': deliverable.pk,
                  'team': team.slug, 'anonymous_incident': anonymous,
                  'experiment': experiment.pk, 'showcase': showcase.pk,
                  'retro': retro.pk if retro else None,
                  'drill': drill.pk if drill else None,
                  'journal_entry': entry.pk if entry else None}}))
"""


def cache_urls(scales: list[str]) -> dict[str, str]:
    """A Redis cache of its own for each scale whose servers run at the same time (PostgreSQL,
    ``--rounds``): ``LEARNLOOP_BENCH_CACHE_URL``'s db and the next ones, or the ones below it
    when those would pass db 15 (the default 14 gives 14, 13, 12 for three scales)."""
    parts = urllib.parse.urlsplit(CACHE_URL)
    first = int(parts.path.strip("/") or 0)
    step = 1 if first + len(scales) - 1 <= 15 else -1
    if first + step * (len(scales) - 1) < 0:
        raise SystemExit(f"LEARNLOOP_BENCH_CACHE_URL: no {len(scales)} Redis dbs from {first}")
    return {
        scale: parts._replace(path=f"/{first + step * i}").geturl()
        for i, scale in enumerate(scales)
    }


def ready(db: str, scale: str, seed: int, fresh: bool, env: dict[str, Any]) -> tuple[Any, ...]:
    """Seed (or reuse), migrate, refresh planner statistics, drain due jobs; return the seed
    report, the API token and the ids of the seeded user's pages."""
    report = prepare(db, scale, seed, fresh)
    run([*LEARNLOOP, "migrate", "-v0"], env)  # reused data: apply migrations added since
    # A migration that rebuilds a SQLite table drops its planner statistics; refresh them
    # (see docs/benchmarks.md: an installation should run PRAGMA optimize now and then), and
    # on PostgreSQL vacuum as autovacuum would have (decision 0248).
    run([*LEARNLOOP, "shell", "-c", ANALYZE_CODE], env)
    token = shell_last_line(TOKEN_CODE.format(seed=seed), env)
    ids = json.loads(shell_last_line(IDS_CODE.format(seed=seed), env))
    # Drain due background jobs first (after a seed: a reminder for every overdue action), so
    # the worker beside the server does not compete with the measurement. The periodic jobs
    # that come due within an hour run now too: their first run after a seed is a catch-up
    # (at 1M, 13,000 overdue actions' reminders, minutes of writes) that would otherwise fall
    # in the middle of the pages, 15 minutes after the worker first scheduled it (decision 0178).
    run([*LEARNLOOP, "shell", "-c", PERIODIC_NOW_CODE], env, stdout=subprocess.DEVNULL)
    for _ in range(100):  # a burst runs at most 1,000 jobs (a catch-up queues an email each)
        out = run([*LEARNLOOP, "worker", "--burst"], env, stdout=subprocess.PIPE, text=True)
        ran = re.findall(r"^ran (\d+) job", out.stdout, re.M)
        if not ran or int(ran[-1]) < 1000:
            break
    if db == "postgresql":
        # The drained jobs wrote rows (reminders, emails): vacuum them too, as autovacuum
        # would before anyone measures (quick: the pages vacuumed above are skipped).
        run([*LEARNLOOP, "shell", "-c", ANALYZE_CODE], env)
    return report, token, ids


def pages(ids: dict[str, Any]) -> list[tuple[str, str, bool]]:
    """(label, path, uses the API token) for every measured page; the bare view first."""
    return [
        ("bare view (ceiling)", "/bench/bare", False),
        ("home dashboard", "/", False),
        ("incident list", "/incidents/", False),
        ("incident page", f"/incidents/{ids['incident']}/", False),
        *(
            [
                (
                    "incident page (anonymous report)",
                    f"/incidents/{ids['anonymous_incident']}/",
                    False,
                )
            ]
            if ids.get("anonymous_incident")
            else []
        ),
        ("review page", f"/reviews/{ids['review']}/", False),
        ("review list", "/reviews/", False),
        ("actions (follow-through)", "/actions/", False),
        ("library", "/lessons/", False),
        ("search", "/search/?q=certificate+expired", False),
        # Related suggestions are a POST with a CSRF token since issue 18 (not a wrk GET).
        ("API incidents", "/api/incidents", True),
        ("API reviews", "/api/reviews", True),
        ("API actions", "/api/actions", True),
        ("API lessons", "/api/lessons", True),
        ("API notifications", "/api/notifications", True),
        ("deliverables", "/deliverables/?status=all", False),
        ("deliverable page (debrief log)", f"/deliverables/{ids['deliverable']}/", False),
        ("recognition spread", "/deliverables/recognition/", False),
        ("API debrief log", f"/api/debriefs/deliverables/{ids['deliverable']}/entries", True),
        ("loop metrics (team)", f"/metrics/teams/{ids['team']}/", False),
        ("loop metrics (organisation)", "/metrics/organisation/", False),
        ("API loop metrics (team)", f"/api/metrics/teams/{ids['team']}", True),
        ("experiments", "/experiments/", False),
        ("experiment page", f"/experiments/{ids['experiment']}/", False),
        ("experiment portfolio", "/experiments/portfolio/?scope=organisation", False),
        ("experiment showcase", f"/experiments/showcases/{ids['showcase']}/", False),
        ("immune-system check", "/experiments/diagnostic/?scope=organisation", False),
        ("API experiments", "/api/experiments", True),
        ("retros", "/retros/", False),
        *(
            [
                ("retro page", f"/retros/{ids['retro']}/", False),
                ("retro live state (full)", f"/retros/{ids['retro']}/state/", False),
                ("API retro board", f"/api/retros/{ids['retro']}/board", True),
            ]
            if ids.get("retro")
            else []
        ),
        ("journal", "/journal/", False),
        *(
            [("journal entry", f"/journal/{ids['journal_entry']}/", False)]
            if ids.get("journal_entry")
            else []
        ),
        ("API journal", "/api/journal/entries", True),
        ("drills", "/drills/", False),
        *([("drill page", f"/drills/{ids['drill']}/", False)] if ids.get("drill") else []),
        ("campaigns", "/drills/campaigns/", False),
        ("pledge", "/drills/pledge/", False),
        ("API drills", "/api/drills", True),
        ("API campaigns", "/api/drills/campaigns", True),
        ("API pledges", "/api/pledges", True),
        # Last: at 1M rows its requests outlive the measurement (see docs/benchmarks.md).
        ("incident dashboard", "/incidents/dashboard/", False),
    ]
