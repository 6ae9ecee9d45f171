"""Anonymous = unlinkable, against a real ``learnloop serve`` (gunicorn + worker) on a fresh
SQLite data dir with the default file cache and ``LEARNLOOP_ACCESS_LOG=1``: a person signs in,
writes a report (the related-suggestions box and the coach are called as the page calls them),
files it anonymously and lands where the server sends them. Then the access log and every file
under the data dir are searched (docs/decisions/0010-anonymous-reports.md; issue 9, findings 1
and 3)."""

from __future__ import annotations

import http.cookiejar
import json
import os
import pickle
import re
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from conftest import free_port
from learnloop.testing.builders import PASSWORD

pytestmark = pytest.mark.slow  # a served learnloop in a subprocess
LEARNLOOP = [sys.executable, "-m", "learnloop.cli"]
TITLE = "Quokka valve left open overnight"
DESCRIPTION = "Nobody rechecked the quokka valve after the night shift handover."
USER_AGENT = "Mozilla/5.0 bob-laptop-7f3e"
SETUP = f"""
from learnloop.accounts.models import Membership, Organisation, Team, User
org = Organisation.objects.create(name="Acme", slug="acme")
team = Team.objects.create(organisation=org, name="Alpha", slug="alpha")
user = User(email="bobby.tables@example.org", username="bobby.tables@example.org",
            display_name="Bobby Tables", organisation=org)
user.set_password({PASSWORD!r})
user.save()
Membership.objects.create(user=user, team=team, role="member")
print(user.pk)
"""


@dataclass
class Served:
    url: str
    data_dir: Path
    log: Path
    user_id: int

    def log_lines(self) -> list[str]:
        return self.log.read_text(errors="replace").splitlines()


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    data_dir = tmp_path / "data"
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE", "LEARNLOOP_CACHE_URL"}
    }
    env.update(
        LEARNLOOP_DATA_DIR=str(data_dir),
        LEARNLOOP_ACCESS_LOG="1",
        LEARNLOOP_WEB_WORKERS="1",
        LEARNLOOP_WORKER_POLL_SECONDS="1",
    )
    subprocess.run([*LEARNLOOP, "migrate", "-v0"], env=env, check=True, timeout=300)
    made = subprocess.run(
        [*LEARNLOOP, "shell", "-c", SETUP],
        env=env,
        check=True,
        timeout=120,
        capture_output=True,
        text=True,
    )
    port = free_port()
    log = tmp_path / "serve.log"
    with log.open("w") as out:
        proc = subprocess.Popen(
            [*LEARNLOOP, "serve", "--port", str(port), "--no-migrate"],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(url + "/healthz", timeout=2).close()
                break
            except OSError:
                assert proc.poll() is None, log.read_text()
                assert time.monotonic() < deadline, "the server did not start"
                time.sleep(0.3)
        yield Served(url, data_dir, log, int(made.stdout.strip().splitlines()[-1]))
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()


class Browser:
    """Cookies, a CSRF token and a user agent, like the page's own requests; no redirects."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), NoRedirect()
        )
        self.requested: list[str] = []

    def cookie(self, name: str) -> str:
        return next(c.value for c in self.jar if c.name == name)

    def request(
        self,
        method: str,
        path: str,
        data: bytes | None = None,
        headers: dict[str, Any] | None = None,
    ) -> tuple[int, dict[str, Any], str]:
        self.requested.append(f"{method} {path}")
        all_headers = {"User-Agent": USER_AGENT, **(headers or {})}
        if method == "POST":
            all_headers.setdefault("Content-Type", "application/x-www-form-urlencoded")
            all_headers["X-CSRFToken"] = self.cookie("csrftoken")
            all_headers["Referer"] = self.base + "/"
        req = urllib.request.Request(self.base + path, data, all_headers, method=method)
        try:
            with self.opener.open(req, timeout=30) as resp:
                return resp.status, dict(resp.headers), resp.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, dict(exc.headers), exc.read().decode()

    def get(self, path: str) -> tuple[int, dict[str, Any], str]:
        return self.request("GET", path)

    def post_form(
        self, path: str, fields: dict[str, Any], headers: dict[str, Any] | None = None
    ) -> tuple[Any, ...]:
        body = urllib.parse.urlencode(
            {**fields, "csrfmiddlewaretoken": self.cookie("csrftoken")}
        ).encode()
        return self.request("POST", path, body, headers)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def wait_for_line(served: Served, needle: str, after: int, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while not any(needle in line for line in served.log_lines()[after:]):
        assert time.monotonic() < deadline, f"no {needle!r} line in the access log"
        time.sleep(0.1)


def files_under(root: Path) -> dict[str, tuple[float, bytes]]:
    """Every file's time and content; a file-cache entry's value is decompressed."""
    out = {}
    for path in root.rglob("*"):
        if path.is_file():
            content = path.read_bytes()
            if path.suffix == ".djcache":
                with path.open("rb") as f:
                    pickle.load(f)
                    content += zlib.decompress(f.read())
            out[str(path.relative_to(root))] = (path.stat().st_mtime, content)
    return out


DATABASE_FILES = re.compile(r"^learnloop\.sqlite3(-wal|-shm|-journal)?$")


def test_an_anonymous_report_leaves_no_trace_in_the_access_log_or_the_data_dir(served):
    browser = Browser(served.url)
    assert browser.get("/login/")[0] == 200
    status, headers, _ = browser.post_form(
        "/login/", {"username": "bobby.tables@example.org", "password": PASSWORD, "next": ""}
    )
    assert status == 302, "sign-in failed"
    session_key = browser.cookie("sessionid")
    assert browser.get("/healthz")[0] == 200
    # Lines are written after each response, by whichever worker thread served it: wait for
    # every request made so far, so that a late sign-in line is not taken for the report's.
    for needle in ("GET /login/", "POST /login/", "GET /healthz"):
        wait_for_line(served, needle, 0)
    from learnloop.search import dense

    if dense.enabled():
        # A first `serve` of a data directory rewrites the dense model once, on the workers'
        # warm-up threads right after they start (decisions 0077, 0228): a log line and a file
        # that belong to the start, not to the report, so the report's window opens after them.
        wait_for_line(served, "dense model rewritten", 0, seconds=300)
    start = len(served.log_lines())
    before = files_under(served.data_dir)
    browser.requested.clear()

    # Writing the report, as the page does it.
    status, _, form_page = browser.get("/incidents/new/")
    assert status == 200
    box = re.search(r'id="related-box-results"[^>]*', form_page).group(0)
    assert "hx-get" not in box
    related_url = re.search(r'hx-post="([^"]+)"', box).group(1)
    for typed in (DESCRIPTION[:20], DESCRIPTION):
        status, _, _ = browser.post_form(
            related_url, {"title": TITLE, "description": typed}, {"HX-Request": "true"}
        )
        assert status == 200
    status, _, _ = browser.request(
        "POST",
        "/coach/check",
        json.dumps({"text": DESCRIPTION, "field": "description#0"}).encode(),
        {"Content-Type": "application/json"},
    )
    assert status == 200
    status, headers, _ = browser.post_form(
        "/incidents/new/",
        {
            "title": TITLE,
            "description": DESCRIPTION,
            "kind": "mistake",
            "visibility": "team",
            "anonymous": "on",
        },
    )
    assert status == 302
    landing = headers["Location"]
    assert not re.search(r"\d", landing), f"the landing page names the report: {landing}"
    assert browser.get(landing)[0] == 200
    # Opening the new report right away (where the old redirect went) is not logged either.
    with sqlite3.connect(served.data_dir / "learnloop.sqlite3") as db:
        (report_id,) = db.execute("SELECT id FROM incidents_incident").fetchone()
    assert report_id < 0
    assert browser.get(f"/incidents/{report_id}/")[0] == 200

    # A request after the report, so every line the report's requests could have made is in.
    assert browser.get("/healthz")[0] == 200
    wait_for_line(served, "GET /healthz", start)
    time.sleep(0.5)
    lines = served.log_lines()
    during = [line for line in lines[start:] if "GET /healthz" not in line]
    assert during == [], f"the log dates the report: {during}"
    log_text = "\n".join(lines)
    for what, needle in {
        "title": "Quokka",
        "description": "handover",
        "an anonymous report's id": "/incidents/-",
        "a query string": "?",
        "the user agent": "bob-laptop",
        "the session key": session_key,
    }.items():
        assert needle not in log_text, f"{what} is in the access log"

    # URLs: no text typed, no id of the new report, nothing that dates it.
    for requested in browser.requested:
        assert "Quokka" not in requested and "?" not in requested
    assert [r for r in browser.requested if "/-" in r] == [f"GET /incidents/{report_id}/"]

    # Pages that count or rank reports, read after it: their figures would date it if kept.
    for page in ("/incidents/dashboard/", "/incidents/", "/"):
        assert browser.get(page)[0] == 200

    # Files: the report, and the pages read after it, wrote nothing outside the database (no
    # cache entry, nothing else), and no file under the data dir holds the reporter or the text
    # (the database's rows are searched in-process by test_anonymous.py; its file also holds
    # every user's email).
    after = files_under(served.data_dir)
    changed = sorted(name for name, entry in after.items() if before.get(name) != entry)
    outside_db = [name for name in changed if not DATABASE_FILES.match(name)]
    assert outside_db == [], f"the report wrote files that outlive it: {outside_db}"
    needles = {
        "email": b"bobby.tables@example.org",
        "name": b"Bobby Tables",
        "session key": session_key.encode(),
        "user agent": b"bob-laptop",
        "report text": b"Quokka",
        f"user id {served.user_id}": f"user:{served.user_id}".encode(),
    }
    for name, (_, content) in after.items():
        if DATABASE_FILES.match(name):
            continue
        for what, needle in needles.items():
            assert needle not in content, f"{what} found in {name}"
