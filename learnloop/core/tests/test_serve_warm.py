"""A real `learnloop serve` on a free port (decisions 0130 and 0131):

- it passes the address it listens on to its children (gunicorn's workers and the background
  worker), and an email sent through it links to that address (no LEARNLOOP_BASE_URL set);
- gunicorn loads and warms the application once in its master (``--preload``) and no
  database connection made there is inherited by the workers: the master holds no handle on
  the SQLite file, each worker opens its own."""

from __future__ import annotations

import contextlib
import http.cookiejar
import os
import re
import sqlite3
import subprocess
import sys
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import SmtpInbox, free_port, local_smtp, wait_until_serving

pytestmark = [
    pytest.mark.slow,  # a served install in subprocesses
    pytest.mark.skipif(not Path("/proc/self/fd").exists(), reason="reads /proc (Linux)"),
]
LEARNLOOP = [sys.executable, "-m", "learnloop.cli"]


@dataclass
class Served:
    url: str
    port: int
    pid: int
    database: Path
    inbox: SmtpInbox
    log: Path


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    data = tmp_path_factory.mktemp("serve") / "data"
    inbox = SmtpInbox()
    with local_smtp(inbox) as smtp_port:
        env = {
            k: v
            for k, v in os.environ.items()
            if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE", "LEARNLOOP_BASE_URL"}
        }
        env.update(
            LEARNLOOP_DATA_DIR=str(data),
            LEARNLOOP_ADMIN_PASSWORD="a-long-admin-password",
            LEARNLOOP_WEB_WORKERS="2",
            LEARNLOOP_SMTP_URL=f"smtp://127.0.0.1:{smtp_port}",
            LEARNLOOP_WORKER_POLL_SECONDS="1",
        )
        subprocess.run([*LEARNLOOP, "migrate", "-v0"], env=env, check=True, timeout=300)
        subprocess.run(
            [*LEARNLOOP, "createadmin", "--email", "ops@example.org", "--organisation", "Ops"],
            env=env,
            check=True,
            timeout=120,
            capture_output=True,
        )
        port = free_port()
        log = data.parent / "serve.log"
        with log.open("w") as out:
            proc = subprocess.Popen(
                [*LEARNLOOP, "serve", "--port", str(port), "--no-migrate"],
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
            url = f"http://127.0.0.1:{port}"
            try:
                wait_until_serving(url)
                yield Served(url, port, proc.pid, data / "learnloop.sqlite3", inbox, log)
            finally:
                proc.terminate()
                proc.wait(timeout=30)


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in path.read_text().split()] if path.exists() else []


def _cmdline(pid: int) -> str:
    return Path(f"/proc/{pid}/cmdline").read_text().replace("\0", " ")


def _environ(pid: int) -> dict[str, str]:
    raw = Path(f"/proc/{pid}/environ").read_text().split("\0")
    return dict(item.split("=", 1) for item in raw if "=" in item)


def _open_files(pid: int) -> set[str]:
    files = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        with contextlib.suppress(OSError):  # closed meanwhile
            files.add(os.readlink(fd))
    return files


def _gunicorn_master(served: Served) -> int:
    [master] = [pid for pid in _children(served.pid) if "gunicorn" in _cmdline(pid)]
    return master


def test_serve_passes_its_address_to_every_child(served: Served) -> None:
    address = f"http://127.0.0.1:{served.port}"
    assert f"Links in emails point to {address}" in served.log.read_text()
    children = _children(served.pid)
    assert len(children) == 2  # gunicorn and the background worker
    master = _gunicorn_master(served)
    for pid in [*children, *_children(master)]:
        assert _environ(pid).get("LEARNLOOP_SERVE_URL") == address


def test_an_email_sent_through_serve_links_to_the_address_it_listens_on(served: Served) -> None:
    browser = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )
    page = browser.open(served.url + "/password-reset/", timeout=30).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert token is not None
    body = urllib.parse.urlencode(
        {"email": "ops@example.org", "csrfmiddlewaretoken": token.group(1)}
    ).encode()
    request = urllib.request.Request(
        served.url + "/password-reset/", data=body, headers={"Referer": served.url}
    )
    browser.open(request, timeout=30).close()
    served.inbox.wait_for_count(1, timeout=30)
    [message] = served.inbox.messages
    text = message.get_body(preferencelist=("plain",)).get_content()
    link = re.search(r"http://\S+/password-reset/\S+/", text)
    assert link is not None
    assert link.group(0).startswith(f"http://127.0.0.1:{served.port}/password-reset/")
    with browser.open(link.group(0), timeout=30) as response:  # the link works: the form
        assert response.status == 200
        assert 'name="new_password1"' in response.read().decode()


def test_the_application_is_warmed_before_fork_and_no_connection_is_shared(
    served: Served,
) -> None:
    for _ in range(6):  # requests that use the database, on whichever worker takes them
        urllib.request.urlopen(served.url + "/login/", timeout=30).close()
        urllib.request.urlopen(served.url + "/healthz", timeout=30).close()
    master = _gunicorn_master(served)
    assert "--preload" in _cmdline(master)
    database = str(served.database)
    assert database not in _open_files(master)
    assert len(_children(master)) == 2  # the workers, forked after the warm-up
    # The check sees a handle when there is one (here: this process's own).
    with sqlite3.connect(database) as own:
        own.execute("SELECT 1").fetchone()
        assert database in _open_files(os.getpid())
    own.close()
