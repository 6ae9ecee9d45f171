"""Cold start: the time from `learnloop serve` reporting healthy to the first pages answered.

For each run the script makes a fresh data dir (migrated once, copied per run), adds one
organisation with a signed-in person (a session made through Django's session store, so that
no request warms the server before the clock starts), starts the real `learnloop serve`, polls
`/healthz` every 20 ms and, the moment it answers 200, asks for

1. the signed-in home page `/` (the first request after healthy),
2. the login page `/login/` (no cookie),
3. then `--burst` concurrent requests spread over the main pages (`PAGES`: the first hits on
   the other workers and on the other pages; the slowest and the median are reported), and
   the same burst once more, warm, for comparison.

    .venv/bin/python benchmarks/cold_start.py --runs 5 [--workers 4] [--burst 20] [--source CHECKOUT]

Nothing is asserted: the figures go to docs/benchmarks.md ("Cold start") by hand.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent
LEARNLOOP = [sys.executable, "-m", "learnloop.cli"]
PAGES = [
    "/",
    "/incidents/",
    "/incidents/new/",
    "/incidents/dashboard/",
    "/reviews/",
    "/actions/",
    "/lessons/",
    "/search/?q=retry",
    "/notifications/",
    "/account/",
]

MAKE_SESSION = """
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from learnloop.testing.builders import make_organisation, make_team, make_user
org = make_organisation(name="Cold Start")
team = make_team(org, name="Ops")
user = make_user("cold@start.test", org, team=team, role="admin", password="a-good-password-1")
s = SessionStore()
s[SESSION_KEY] = str(user.pk)
s[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
s[HASH_SESSION_KEY] = user.get_session_auth_hash()
s.create()
print("SESSION", s.session_key)
"""


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def env_for(data_dir: Path, source: Path = HERE) -> dict[str, str]:
    env = {
        k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env["LEARNLOOP_DATA_DIR"] = str(data_dir)
    env["PYTHONPATH"] = str(source)
    return env


def get(url: str, cookie: str = "") -> float:
    """Seconds until the whole response of a GET has arrived (status must be 200)."""
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    start = time.perf_counter()
    with urllib.request.urlopen(request, timeout=60) as response:
        response.read()
        if response.status != 200 or "/login/" in response.url and "/login/" not in url:
            raise RuntimeError(f"{url} answered {response.status} at {response.url}")
    return time.perf_counter() - start


def one_run(
    template: Path, workdir: Path, workers: int, burst: int, source: Path
) -> dict[str, float]:
    data = workdir / "data"
    shutil.rmtree(data, ignore_errors=True)
    shutil.copytree(template, data)
    env = env_for(data, source)
    out = subprocess.run(
        [*LEARNLOOP, "shell", "-c", MAKE_SESSION],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    cookie = "sessionid=" + out.split("SESSION", 1)[1].split()[0]
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log = (workdir / "serve.log").open("w")
    started = time.perf_counter()
    proc = subprocess.Popen(
        [*LEARNLOOP, "serve", "--port", str(port), "--workers", str(workers), "--no-worker"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        while True:
            try:
                with urllib.request.urlopen(url + "/healthz", timeout=5) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None:
                raise RuntimeError((workdir / "serve.log").read_text())
            time.sleep(0.02)
        healthy = time.perf_counter()
        home = get(url + "/", cookie)
        login = get(url + "/login/")
        with ThreadPoolExecutor(burst) as pool:
            paths = [PAGES[n % len(PAGES)] for n in range(burst)]
            times = list(pool.map(lambda path: get(url + path, cookie), paths))
            warm = list(pool.map(lambda path: get(url + path, cookie), paths))
        return {
            "healthy_after": healthy - started,
            "home": home,
            "login": login,
            "burst_max": max(times),
            "burst_median": statistics.median(times),
            "warm_burst_max": max(warm),
        }
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        log.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--burst", type=int, default=20, help="concurrent requests after the two")
    parser.add_argument(
        "--source", type=Path, default=HERE, help="the checkout to serve (default: this one)"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="ll-cold-") as tmp:
        workdir = Path(tmp)
        template = workdir / "template"
        subprocess.run(
            [*LEARNLOOP, "migrate", "-v0"],
            env=env_for(template, args.source),
            check=True,
            timeout=600,
        )
        results = [
            one_run(template, workdir, args.workers, args.burst, args.source)
            for _ in range(args.runs)
        ]
    print(f"{args.runs} runs, {args.workers} workers, burst {args.burst}; seconds, median (max)")
    keys = ("healthy_after", "home", "login", "burst_max", "burst_median", "warm_burst_max")
    for key in keys:
        values = [r[key] for r in results]
        print(f"  {key:14} {statistics.median(values):7.3f}  ({max(values):.3f})")


if __name__ == "__main__":
    main()
