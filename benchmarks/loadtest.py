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

PostgreSQL: two app servers (``learnloop serve --no-worker`` on two ports, each with half the
gunicorn workers) plus one ``learnloop worker``, sharing the database, the secret key and a
Redis cache; two wrk processes (8 connections each) load both servers at once; requests/s are
summed and the worse of the two latency figures is reported.

Results: a Markdown table on standard output and, with ``--write-docs``, in docs/benchmarks.md
(the block for this database inside "## Scale and load"). wrk comes from Debian
(``apt-get install wrk``); the script installs it when missing and it can (root).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import http.cookiejar
import json
import os
import platform
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
LEARNLOOP = [sys.executable, "-m", "learnloop.cli"]
LUA = Path(__file__).resolve().parent / "loadtest" / "report.lua"
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


def run(cmd: list[str], env: dict[str, Any], **kw) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, env=env, check=True, cwd=ROOT, **kw)


def shell_last_line(code: str, env: dict[str, Any]) -> str:
    """The last line a ``learnloop shell -c`` snippet printed (its answer; Django may print
    other lines before it)."""
    out = run([*LEARNLOOP, "shell", "-c", code], env, stdout=subprocess.PIPE, text=True)
    return out.stdout.strip().splitlines()[-1]


def ensure_wrk() -> str:
    path = shutil.which("wrk")
    if path:
        return path
    print("wrk not found: installing the Debian package (apt-get install -y wrk)", flush=True)
    subprocess.run(["apt-get", "install", "-y", "wrk"], check=True)
    path = shutil.which("wrk")
    if not path:
        sys.exit("wrk is needed: apt-get install wrk")
    return path


#: With ``--port N`` servers listen on N, N+1, ... (a machine shared by several people gives each
#: their own range); without it, on free ports the system picks.
_PORTS: list[int] = []


def free_port() -> int:
    if _PORTS:
        return _PORTS.pop(0)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# ----------------------------------------------------------------------------- data


def base_env(db: str, scale: str) -> dict[str, Any]:
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
        env["LEARNLOOP_CACHE_URL"] = CACHE_URL
    return env


def prepare(db: str, scale: str, seed: int, fresh: bool) -> dict[str, Any]:
    """Migrate and seed (or reuse a previous seed); return the seed report."""
    env = base_env(db, scale)
    data_dir = Path(env["LEARNLOOP_DATA_DIR"])
    marker = data_dir / "seeded.json"
    if marker.exists() and not fresh:
        report = json.loads(marker.read_text())
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


ANALYZE_CODE = "from django.db import connection\nconnection.cursor().execute('ANALYZE')"

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


# ----------------------------------------------------------------------------- servers


class Servers:
    def __init__(self, db: str, env: dict[str, Any]) -> None:
        self.db, self.env, self.procs, self.urls = db, env, [], []

    def __enter__(self) -> Servers:
        if self.db == "sqlite":
            port = free_port()
            self._start(["serve", "--port", str(port), "--no-migrate"], port)
        else:
            # Two "machines": each server has its own data dir (static files, file cache).
            for machine in ("a", "b"):
                port = free_port()
                self._start(
                    ["serve", "--port", str(port), "--no-migrate", "--no-worker", "--workers", "2"],
                    port,
                    machine,
                )
            self.procs.append(self._popen(["worker"], "a"))
        for url in self.urls:
            deadline = time.monotonic() + 90
            while True:
                try:
                    urllib.request.urlopen(url + "/healthz", timeout=2).close()
                    break
                except OSError:
                    if time.monotonic() > deadline:
                        self.__exit__()
                        raise RuntimeError(f"{url} did not start") from None
                    time.sleep(0.3)
        return self

    def _popen(self, args: list[str], machine: str = "") -> subprocess.Popen:
        env = dict(self.env)
        if machine:
            env["LEARNLOOP_DATA_DIR"] = str(Path(env["LEARNLOOP_DATA_DIR"]) / machine)
        return subprocess.Popen([*LEARNLOOP, *args], env=env, cwd=ROOT, start_new_session=True)

    def _start(self, args: list[str], port: int, machine: str = "") -> None:
        self.procs.append(self._popen(args, machine))
        self.urls.append(f"http://127.0.0.1:{port}")

    def __exit__(self, *exc: object) -> None:
        for p in self.procs:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(p.pid, signal.SIGTERM)  # the server and the processes it started
        for p in self.procs:
            try:
                p.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, signal.SIGKILL)


def sign_in(url: str, email: str) -> str:
    """Post the login form like a browser; return the Cookie header value."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(url + "/login/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    body = urllib.parse.urlencode(
        {"username": email, "password": PASSWORD, "csrfmiddlewaretoken": token}
    ).encode()
    opener.open(urllib.request.Request(url + "/login/", data=body, headers={"Referer": url}))
    cookies = {c.name: c.value for c in jar}
    if "sessionid" not in cookies:
        raise RuntimeError("sign-in failed: no session cookie")
    return "; ".join(f"{k}={v}" for k, v in cookies.items())


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


def check(url: str, path: str, header: str) -> None:
    req = urllib.request.Request(
        url + path, headers={header.split(": ")[0]: header.split(": ", 1)[1]}
    )
    with urllib.request.urlopen(req, timeout=60) as resp:
        final = resp.geturl()
        if resp.status != 200 or "/login/" in final:
            raise RuntimeError(f"{path}: status {resp.status} at {final}")


def wrk(
    binary: str, urls: list[str], path: str, header: str, seconds: int, conns: int
) -> dict[str, Any]:
    """Run one wrk per server at once (connections split between them); merge the results."""
    per = max(1, conns // len(urls))
    procs = [
        subprocess.Popen(
            [
                binary,
                "-t",
                str(min(2, per)),  # wrk needs at least as many connections as threads
                "-c",
                str(per),
                "-d",
                f"{seconds}s",
                "--timeout",
                "10s",
                "-s",
                str(LUA),
                "-H",
                header,
                url + path,
            ],
            stdout=subprocess.PIPE,
            text=True,
        )  # fmt: skip
        for url in urls
    ]
    results = []
    for p in procs:
        out, _ = p.communicate()
        m = re.search(r"^JSON (.*)$", out, re.M)
        if not m:
            raise RuntimeError(f"wrk failed for {path}:\n{out}")
        results.append(json.loads(m.group(1)))
    return {
        # Each server's own p95 as well: the reported one is the worse of the two, and a
        # server whose connections all sit on one crowded process is slower than the other.
        "p95_each": [r["p95"] / 1000 for r in results],
        "rps": sum(r["requests"] / (r["duration_us"] / 1e6) for r in results),
        "p50": max(r["p50"] for r in results) / 1000,
        "p95": max(r["p95"] for r in results) / 1000,
        "p99": max(r["p99"] for r in results) / 1000,
        "errors": sum(r["errors"] + r["non2xx"] for r in results),
        "requests": sum(r["requests"] for r in results),
    }


def wait_idle(urls: list[str], limit: float = 120.0) -> None:
    """Poll the bare view until every server answers it quickly again."""
    deadline = time.monotonic() + limit
    for url in urls:
        while time.monotonic() < deadline:
            t = time.perf_counter()
            urllib.request.urlopen(url + "/bench/bare", timeout=limit).close()
            if time.perf_counter() - t < 0.05:
                break
            time.sleep(0.5)


def merge(saved: list[dict[str, Any]], new: dict[str, Any]) -> list[dict[str, Any]]:
    """Add a scale's results to earlier ones; a page measured again replaces its old row."""
    for res in saved:
        if res["scale"] == new["scale"]:
            old_bare = next(r for r in res["rows"] if r["path"] == "/bench/bare")
            for r in res["rows"]:
                r.setdefault("bare_rps", old_bare["rps"])
            bare = next(r for r in new["rows"] if r["path"] == "/bench/bare")
            for r in new["rows"]:
                r["bare_rps"] = bare["rps"]
            fresh = {r["label"]: r for r in new["rows"]}
            res["rows"] = [fresh.pop(r["label"], r) for r in res["rows"]] + list(fresh.values())
            return saved
    return [*saved, new]


def measure(
    db: str, scale: str, seed: int, args: argparse.Namespace, binary: str
) -> dict[str, Any]:
    report = prepare(db, scale, seed, args.fresh)
    env = base_env(db, scale)
    run([*LEARNLOOP, "migrate", "-v0"], env)  # reused data: apply migrations added since
    # A migration that rebuilds a SQLite table drops its planner statistics; refresh them
    # (see docs/benchmarks.md: an installation should run PRAGMA optimize now and then).
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
    rows = []
    with Servers(db, env) as servers:
        cookie = "Cookie: " + sign_in(servers.urls[0], f"bench@seed{seed}.example")
        bearer = f"Authorization: Bearer {token}"
        for label, path, api in pages(ids):
            if (
                args.only
                and label != "bare view (ceiling)"
                and not any(o in label for o in args.only)
            ):
                continue
            header = bearer if api else cookie
            wait_idle(servers.urls)
            try:
                for url in servers.urls:  # the session made on server 1 works on server 2
                    check(url, path, header)
            except (OSError, RuntimeError) as exc:
                print(f"[{db} {scale}] {label:<26} not measured: {exc}", flush=True)
                continue
            wrk(binary, servers.urls, path, header, args.warmup, args.connections)
            r = wrk(binary, servers.urls, path, header, args.duration, args.connections)
            r.update(label=label, path=path)
            rows.append(r)
            # Requests still running after wrk stopped (a slow page) must not slow the next one.
            wait_idle(servers.urls)
            few = ""
            if args.clients:
                # What one person (or a few) feels: the same page with ``--clients`` connections
                # against the first server only, after the same warm-up.
                wrk(binary, servers.urls[:1], path, header, args.warmup, args.clients)
                alone = wrk(binary, servers.urls[:1], path, header, args.duration, args.clients)
                r.update(clients_p95=alone["p95"], clients_rps=alone["rps"])
                few = f"  {args.clients}-client p95 {alone['p95']:7.1f} ms"
            print(
                f"[{db} {scale}] {label:<26} {r['rps']:8.1f} req/s  p50 {r['p50']:7.1f}  "
                f"p95 {r['p95']:7.1f}  p99 {r['p99']:7.1f} ms  errors {r['errors']}{few}"
                + (
                    f"  (p95 per server {', '.join(f'{x:.1f}' for x in r['p95_each'])})"
                    if len(r["p95_each"]) > 1
                    else ""
                ),
                flush=True,
            )
    return {"scale": scale, "seed": report, "rows": rows}


# ----------------------------------------------------------------------------- report


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
        bare = next(r for r in res["rows"] if r["path"] == "/bench/bare")
        clients = res.get("clients") or 0
        few = f" | {clients}-client p95 ms" if clients else ""
        lines += [
            "",
            f"**{res['scale']}** ({res['seed']['rows']:,} rows), {res['connections']} connections, "
            f"{res['duration']}:",
            "",
            f"| page | req/s | p50 ms | p95 ms | p99 ms{few} | ratio to bare | errors | targets |",
            "|---|---|---|---|---|---|---|---|" + ("---|" if clients else ""),
        ]
        for r in res["rows"]:
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
    if len(results) > 1:
        first, last = results[0], results[-1]
        lines += [
            "",
            f"p95 growth from {first['scale']} to {last['scale']} (target ≤ {MAX_GROWTH}x):",
            "",
            f"| page | p95 {first['scale']} | p95 {last['scale']} | growth | target |",
            "|---|---|---|---|---|",
        ]
        before = {r["label"]: r for r in first["rows"]}
        for r in last["rows"]:
            b = before.get(r["label"])
            if not b:
                continue
            if not r["requests"] or not b["requests"]:
                lines.append(f"| {r['label']} | {b['p95']:.1f} | — | — | MISSED (no answer) |")
                continue
            growth = r["p95"] / b["p95"] if b["p95"] else 0
            lines.append(
                f"| {r['label']} | {b['p95']:.1f} | {r['p95']:.1f} | {growth:.2f}x | "
                f"{'met' if growth <= MAX_GROWTH else 'MISSED'} |"
            )
    return "\n".join(lines)


def write_docs(db: str, block: str) -> None:
    path = ROOT / "docs" / "benchmarks.md"
    text = path.read_text()
    start, end = f"<!-- loadtest:{db}:start -->", f"<!-- loadtest:{db}:end -->"
    if start not in text:
        raise SystemExit(f"docs/benchmarks.md has no {start} marker")
    head, rest = text.split(start, 1)
    _, tail = rest.split(end, 1)
    path.write_text(f"{head}{start}\n{block}\n{end}{tail}")


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
    parser.add_argument("--fresh", action="store_true", help="re-seed even if seeded data exists")
    parser.add_argument("--only", action="append", help="only pages whose label contains this")
    parser.add_argument("--write-docs", action="store_true", help="update docs/benchmarks.md")
    parser.add_argument("--port", type=int, help="first of the ports the servers listen on")
    parser.add_argument(
        "--from-results", action="store_true", help="only re-render the last run's saved results"
    )
    args = parser.parse_args()
    if args.port:
        _PORTS.extend(range(args.port, args.port + 10))
    if args.from_results:
        saved = json.loads((WORK / f"results-{args.db}.json").read_text())
        block = markdown(args.db, saved, saved[0].get("command", "(see benchmarks/README.md)"))
        print(block)
        if args.write_docs:
            write_docs(args.db, block)
        return
    binary = ensure_wrk()
    command = "python benchmarks/loadtest.py " + " ".join(sys.argv[1:])
    saved_path = WORK / f"results-{args.db}.json"
    results = json.loads(saved_path.read_text()) if saved_path.exists() else []
    for scale in [s.strip() for s in args.scales.split(",") if s.strip()]:
        res = measure(args.db, scale, args.seed, args, binary)
        res["duration"] = f"{args.duration} s per page after {args.warmup} s warm-up"
        res["connections"] = args.connections
        res["clients"] = args.clients
        res["command"] = command
        results = merge(results, res)
        saved_path.write_text(json.dumps(results, indent=1))
    block = markdown(args.db, results, command)
    print("\n" + block)
    if args.write_docs:
        write_docs(args.db, block)


if __name__ == "__main__":
    main()
