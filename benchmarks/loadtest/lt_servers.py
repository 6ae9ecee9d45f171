"""The load test's servers and load (benchmarks/loadtest.py): ``learnloop serve`` processes on
given ports, signing in, wrk windows and waiting for a server to be idle again."""

from __future__ import annotations

import contextlib
import http.cookiejar
import json
import os
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

from lt_data import LEARNLOOP, PASSWORD, ROOT

LUA = Path(__file__).resolve().parent / "report.lua"


def wait_healthy(url: str, seconds: float = 90.0) -> None:
    """Poll ``/healthz`` until the server at ``url`` answers; after ``seconds`` the last
    connection error is raised."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            urllib.request.urlopen(url + "/healthz", timeout=2).close()
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


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
        return int(s.getsockname()[1])


# ----------------------------------------------------------------------------- servers


class Servers:
    def __init__(self, db: str, env: dict[str, Any]) -> None:
        self.db, self.env = db, env
        self.procs: list[subprocess.Popen[bytes]] = []
        self.urls: list[str] = []

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
            try:
                wait_healthy(url)
            except OSError:
                self.__exit__()
                raise RuntimeError(f"{url} did not start") from None
        return self

    def _popen(self, args: list[str], machine: str = "") -> subprocess.Popen[bytes]:
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
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if not found:
        raise RuntimeError("sign-in failed: no CSRF token on the login page")
    token = found.group(1)
    body = urllib.parse.urlencode(
        {"username": email, "password": PASSWORD, "csrfmiddlewaretoken": token}
    ).encode()
    opener.open(urllib.request.Request(url + "/login/", data=body, headers={"Referer": url}))
    cookies = {c.name: c.value for c in jar}
    if "sessionid" not in cookies:
        raise RuntimeError("sign-in failed: no session cookie")
    return "; ".join(f"{k}={v}" for k, v in cookies.items())


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
