"""Live retro benchmark (issue 14): 30 simulated participants in one retro, each polling the
board's state endpoint as ``retros/static/retros/live.js`` does (every half second,
If-None-Match; ``--poll`` changes the interval).

    .venv/bin/python benchmarks/retro_live.py --db sqlite
    .venv/bin/python benchmarks/retro_live.py --db postgresql   # two app servers

What it measures, against a real ``learnloop serve`` (gunicorn, its default workers):

* **propagation**: a facilitator changes the board through the API (renames a group, casts a
  vote, moves the phase); for every *other* participant, the time from sending that change to
  their first poll whose answer carries the new ``state_version`` (read from the ETag). p50
  and p95 over every (event, participant) pair. Target: p95 under 2 s.
* **CPU per participant**: the CPU seconds of every server process (gunicorn master and workers,
  from /proc) per wall second while the 30 participants poll, divided by 30.
* **idle cost**: requests per second the polls make while nothing changes, and how many of
  them were 304s.

PostgreSQL: two app servers on two ports (``--no-worker``, 2 workers each, their own data dirs)
sharing one database; participants alternate between them and the facilitator writes to the
first, so every change crosses servers. Results go to standard output and, with
``--write-docs``, into docs/benchmarks.md ("## Live retros").
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import math
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
LEARNLOOP = [sys.executable, "-m", "learnloop.cli"]
WORK = Path(os.environ.get("LEARNLOOP_BENCH_DIR", "/tmp/learnloop-bench")) / "retro-live"
PG_URL = os.environ.get("LEARNLOOP_BENCH_PG", "postgresql://postgres@127.0.0.1:5432/postgres")
SECRET = "retro-live-shared-secret-key-" + "s" * 40
PARTICIPANTS = 30
POLL_SECONDS = 0.5  # as live.js (decisions/0164); --poll overrides
ETAG_VERSION = re.compile(r'W/"r\d+\.(\d+)\.')

SETUP = """
import json
import math
from django.test import Client
from learnloop.accounts.models import Role
from learnloop.accounts.services import api_token_create
from learnloop.retros.models import Retro, Topic
from learnloop.testing.builders import make_card, make_organisation, make_retro, make_team, make_user
org = make_organisation(name="Live bench")
team = make_team(org, name="Room")
people = [make_user(f"p{{n}}@live.example", org, team=team, role=Role.MEMBER) for n in range({n})]
retro = make_retro(team, facilitator=people[0], participants=people, votes_per_person=20,
                   votes_per_topic=20)
for n in range(24):
    make_card(retro, text=f"Card {{n}}: the deploy queue waits", author=people[n % len(people)])
Retro.objects.filter(pk=retro.pk).update(phase="group")
topics = [Topic.objects.create(retro=retro, title=f"Group {{t}}") for t in range(4)]
sessions = []
for person in people:
    client = Client()
    client.force_login(person)
    sessions.append(client.cookies["sessionid"].value)
token = api_token_create(user=people[0], name="bench")[1]
print(json.dumps({{"retro": retro.pk, "topics": [t.pk for t in topics], "sessions": sessions,
                  "token": token}}))
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def env_for(db: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE",)}
    env.update(
        LEARNLOOP_DATA_DIR=str(WORK / db),
        LEARNLOOP_SECRET_KEY=SECRET,
        LEARNLOOP_LOG_LEVEL="WARNING",
        PYTHONPATH=str(ROOT),
    )
    env.pop("DATABASE_URL", None)
    if db == "postgresql":
        parts = urllib.parse.urlsplit(PG_URL)
        env["DATABASE_URL"] = parts._replace(path="/learnloop_bench_retro_live").geturl()
    return env


def prepare(db: str) -> dict[str, Any]:
    env = env_for(db)
    data = Path(env["LEARNLOOP_DATA_DIR"])
    if data.exists():
        subprocess.run(["rm", "-rf", str(data)], check=True)
    data.mkdir(parents=True)
    if db == "postgresql":
        admin = urllib.parse.urlsplit(PG_URL)
        name = "learnloop_bench_retro_live"
        psql = ["psql", "-h", admin.hostname or "127.0.0.1", "-U", admin.username or "postgres"]
        subprocess.run([*psql, "-c", f"DROP DATABASE IF EXISTS {name}"], check=True, env=env)
        subprocess.run([*psql, "-c", f"CREATE DATABASE {name}"], check=True, env=env)
    subprocess.run([*LEARNLOOP, "migrate", "--verbosity", "0"], check=True, env=env, cwd=ROOT)
    out = subprocess.run(
        [*LEARNLOOP, "shell", "-c", SETUP.format(n=PARTICIPANTS)],
        check=True,
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
    ).stdout
    ids: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
    return ids


class Servers:
    def __init__(self, db: str) -> None:
        self.db = db
        self.procs: list[subprocess.Popen[bytes]] = []
        self.ports: list[int] = []

    def __enter__(self) -> Servers:
        env = env_for(self.db)
        machines = ["a"] if self.db == "sqlite" else ["a", "b"]
        for machine in machines:
            port = free_port()
            args = ["serve", "--port", str(port), "--no-migrate"]
            menv = dict(env)
            if self.db == "postgresql":
                args += ["--no-worker", "--workers", "2"]
                menv["LEARNLOOP_DATA_DIR"] = str(Path(env["LEARNLOOP_DATA_DIR"]) / machine)
            self.procs.append(
                subprocess.Popen(
                    [*LEARNLOOP, *args],
                    env=menv,
                    cwd=ROOT,
                    start_new_session=True,
                    stdout=subprocess.DEVNULL,
                )
            )
            self.ports.append(port)
        for port in self.ports:
            deadline = time.monotonic() + 90
            while True:
                try:
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                    conn.request("GET", "/healthz")
                    if conn.getresponse().status == 200:
                        break
                except OSError:
                    pass
                if time.monotonic() > deadline:
                    self.__exit__()
                    raise RuntimeError(f"server on {port} did not start")
                time.sleep(0.3)
        return self

    def cpu_seconds(self) -> float:
        """utime + stime of every process in the servers' sessions (gunicorn and workers)."""
        sessions = {p.pid for p in self.procs}
        total = 0
        tick = os.sysconf("SC_CLK_TCK")
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[3]) in sessions:  # field 6 of stat: session id
                total += int(fields[11]) + int(fields[12])
        return total / tick

    def __exit__(self, *exc: object) -> None:
        for p in self.procs:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(p.pid, signal.SIGTERM)
        for p in self.procs:
            try:
                p.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, signal.SIGKILL)


class Participant(threading.Thread):
    """Polls like live.js: every POLL_SECONDS, If-None-Match; records when each version arrived."""

    def __init__(self, port: int, retro: int, session: str, stop: threading.Event) -> None:
        super().__init__(daemon=True)
        self.port, self.path, self.stop = port, f"/retros/{retro}/state/", stop
        self.cookie = f"sessionid={session}"
        self.etag = ""
        self.seen: dict[int, float] = {}  # state_version -> first time seen
        self.requests = self.not_modified = self.errors = 0

    def run(self) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        while not self.stop.is_set():
            started = time.monotonic()
            try:
                conn.request(
                    "GET", self.path, headers={"Cookie": self.cookie, "If-None-Match": self.etag}
                )
                resp = conn.getresponse()
                resp.read()
                now = time.monotonic()
                self.requests += 1
                if resp.status == 304:
                    self.not_modified += 1
                elif resp.status == 200:
                    self.etag = resp.getheader("ETag") or ""
                    match = ETAG_VERSION.match(self.etag)
                    if match:
                        self.seen.setdefault(int(match.group(1)), now)
                else:
                    self.errors += 1
            except (OSError, http.client.HTTPException):
                self.errors += 1
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
            self.stop.wait(max(0.0, POLL_SECONDS - (time.monotonic() - started)))

    def first_at_least(self, version: int) -> float | None:
        times = [t for v, t in self.seen.items() if v >= version]
        return min(times) if times else None


def api(port: int, token: str, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    conn.request(method, path, json.dumps(body) if body is not None else None, headers)
    resp = conn.getresponse()
    data = resp.read()
    if resp.status >= 400:
        raise RuntimeError(f"{method} {path}: {resp.status} {data[:200]!r}")
    return json.loads(data) if data else None


def measure(db: str, events: int, idle_seconds: int) -> dict[str, Any]:
    ids = prepare(db)
    with Servers(db) as servers:
        stop = threading.Event()
        people = [
            Participant(servers.ports[n % len(servers.ports)], ids["retro"], s, stop)
            for n, s in enumerate(ids["sessions"])
        ]
        for p in people:
            p.start()
            time.sleep(POLL_SECONDS / PARTICIPANTS)  # spread like people opening the page
        time.sleep(3)
        # Idle: nothing changes.
        before = sum(p.requests for p in people), sum(p.not_modified for p in people)
        cpu0, t0 = servers.cpu_seconds(), time.monotonic()
        time.sleep(idle_seconds)
        cpu1, t1 = servers.cpu_seconds(), time.monotonic()
        after = sum(p.requests for p in people), sum(p.not_modified for p in people)
        idle = {
            "rps": (after[0] - before[0]) / (t1 - t0),
            "share_304": (after[1] - before[1]) / max(1, after[0] - before[0]),
            "cpu_per_participant": (cpu1 - cpu0) / (t1 - t0) / PARTICIPANTS,
        }
        # Changes: renames in the group phase, then votes, then a phase move; each change is
        # followed by a random pause so it does not line up with the polls.
        base = f"/api/retros/{ids['retro']}"
        writer = servers.ports[0]
        delays: list[float] = []
        cpu2, t2 = servers.cpu_seconds(), time.monotonic()
        kinds: list[str] = []
        for n in range(events):
            if n == events // 2:
                api(writer, ids["token"], "POST", f"{base}/phase", {"phase": "vote"})
            topic = ids["topics"][n % len(ids["topics"])]
            sent = time.monotonic()
            if n < events // 2:
                api(
                    writer,
                    ids["token"],
                    "PATCH",
                    f"{base}/topics/{topic}",
                    {"title": f"Renamed {n}"},
                )
                kinds.append("rename")
            else:
                api(writer, ids["token"], "POST", f"{base}/topics/{topic}/votes")
                kinds.append("vote")
            version = api(writer, ids["token"], "GET", base)["state_version"]
            time.sleep(2.2 + (n % 5) * 0.13)
            for p in people[1:]:
                seen = p.first_at_least(version)
                delays.append((seen - sent) if seen is not None else float("inf"))
        cpu3, t3 = servers.cpu_seconds(), time.monotonic()
        stop.set()
        for p in people:
            p.join(timeout=15)
    finite = sorted(d for d in delays if d != float("inf"))
    ranked = sorted(delays)  # a missed delivery counts as later than every seen one

    def nearest_rank(share: float) -> float:
        return ranked[max(0, math.ceil(share * len(ranked)) - 1)]

    return {
        "db": db,
        "servers": len(servers.ports),
        "participants": PARTICIPANTS,
        "events": events,
        "poll_s": POLL_SECONDS,
        "load": os.getloadavg(),
        "samples": len(delays),
        "missed": len(delays) - len(finite),
        "p50_s": nearest_rank(0.50),
        "p95_s": nearest_rank(0.95),
        "max_s": finite[-1],
        "busy_cpu_per_participant": (cpu3 - cpu2) / (t3 - t2) / PARTICIPANTS,
        "idle": idle,
        "errors": sum(p.errors for p in people),
    }


def _s(seconds: float) -> str:
    return "missed" if seconds == float("inf") else f"{seconds:.2f} s"


def table(results: list[dict[str, Any]]) -> str:
    rows = [
        "| Setup | Poll | Load (1 min) | Participants | Changes | p50 | p95 | max | missed | CPU per participant (busy) | "
        "CPU per participant (idle) | idle requests/s (304 share) | errors |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        setup = (
            "SQLite, one `learnloop serve`"
            if r["db"] == "sqlite"
            else (f"PostgreSQL, {r['servers']} app servers")
        )
        rows.append(
            f"| {setup} | {r['poll_s']:g} s | {r['load'][0]:.1f} | {r['participants']} | {r['events']} ({r['samples']} deliveries) | "
            f"{_s(r['p50_s'])} | {_s(r['p95_s'])} | {_s(r['max_s'])} | {r['missed']} | "
            f"{100 * r['busy_cpu_per_participant']:.2f} % of a core | "
            f"{100 * r['idle']['cpu_per_participant']:.2f} % of a core | "
            f"{r['idle']['rps']:.1f} ({100 * r['idle']['share_304']:.0f} % 304) | {r['errors']} |"
        )
    return "\n".join(rows)


def write_docs(results: list[dict[str, Any]]) -> None:
    path = ROOT / "docs" / "benchmarks.md"
    text = path.read_text()
    start, end = "<!-- retro-live:start -->", "<!-- retro-live:end -->"
    machine = f"{os.cpu_count()} cores, measured {time.strftime('%Y-%m-%d')}"
    block = f"{start}\n{table(results)}\n\n_{machine}._\n{end}"
    if start in text:
        text = re.sub(re.escape(start) + ".*?" + re.escape(end), lambda _: block, text, flags=re.S)
    else:
        text = (
            text.rstrip()
            + "\n\n## Live retros\n\n"
            + (
                "`benchmarks/retro_live.py`: 30 participants poll one retro's state every second "
                "(decisions/0163); a facilitator renames groups and votes through the API. "
                "Propagation is the time from sending a change to each other participant's first "
                "answer carrying it. Target: p95 under 2 s.\n\n"
            )
            + block
            + "\n"
        )
    path.write_text(text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", default="sqlite", help="sqlite, postgresql, or both (comma)")
    parser.add_argument("--events", type=int, default=20)
    parser.add_argument("--idle-seconds", type=int, default=20)
    parser.add_argument("--poll", type=float, default=POLL_SECONDS, help="seconds between polls")
    parser.add_argument("--write-docs", action="store_true")
    args = parser.parse_args()
    globals()["POLL_SECONDS"] = args.poll
    results = [measure(db, args.events, args.idle_seconds) for db in args.db.split(",")]
    print(table(results))
    print(json.dumps(results, indent=1))
    if args.write_docs:
        write_docs(results)


if __name__ == "__main__":
    main()
