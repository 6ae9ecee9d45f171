"""Several app servers sharing one PostgreSQL database: a session made on one is valid on the
other, and a job queued through one is run exactly once by two competing workers.

Runs in the PostgreSQL pass of the suite (DATABASE_URL points at PostgreSQL); it creates its
own throwaway database next to the test database."""

from __future__ import annotations

import contextlib
import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from conftest import (
    SmtpInbox,
    free_port,
    local_smtp,
    sign_in_over_http,
    wait_until_serving,
    wrong_passwords_at_once,
)

DATABASE_URL = os.environ.get("DATABASE_URL", "")
pytestmark = [
    pytest.mark.slow,  # several served processes
    pytest.mark.skipif(
        not DATABASE_URL.startswith("postgres"),
        reason="needs PostgreSQL (runs in the PostgreSQL pass: make test-postgres)",
    ),
]
LEARNLOOP = [sys.executable, "-m", "learnloop.cli"]


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    import psycopg

    tmp_path = tmp_path_factory.mktemp("cluster")
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=2).close()
    except OSError:
        if os.environ.get("LEARNLOOP_REQUIRE_POSTGRES"):
            pytest.fail("Redis is not answering on 127.0.0.1:6379 (.ci/run starts it)")
        pytest.skip("needs Redis on 127.0.0.1:6379 for the shared cache")
    name = f"learnloop_mp_{uuid.uuid4().hex[:8]}"
    parts = urllib.parse.urlsplit(DATABASE_URL)
    admin_url = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    stack = contextlib.ExitStack()
    inbox = SmtpInbox()
    smtp_port = stack.enter_context(local_smtp(inbox))
    env = {
        **os.environ,
        "DATABASE_URL": parts._replace(path=f"/{name}").geturl(),
        "LEARNLOOP_SECRET_KEY": "multi-process-test-key-" + "k" * 40,
        "LEARNLOOP_SMTP_URL": f"smtp://127.0.0.1:{smtp_port}",
        "LEARNLOOP_WORKER_POLL_SECONDS": "1",
        "LEARNLOOP_WEB_WORKERS": "1",
        "LEARNLOOP_CACHE_URL": "redis://127.0.0.1:6379/15",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    procs: list[subprocess.Popen] = []
    try:
        subprocess.run(
            [*LEARNLOOP, "migrate", "-v0"],
            env={**env, "LEARNLOOP_DATA_DIR": str(tmp_path / "a")},
            check=True,
            timeout=300,
        )
        subprocess.run(
            [*LEARNLOOP, "createadmin", "--email", "ops@example.org", "--organisation", "Ops"],
            env={
                **env,
                "LEARNLOOP_DATA_DIR": str(tmp_path / "a"),
                "LEARNLOOP_ADMIN_PASSWORD": "a-long-admin-password",
            },
            check=True,
            timeout=120,
        )
        urls = []
        # Two app servers, each with its own worker and its own data dir: two "machines".
        for machine in ("a", "b"):
            port = free_port()
            procs.append(
                subprocess.Popen(
                    [*LEARNLOOP, "serve", "--port", str(port), "--no-migrate"],
                    env={**env, "LEARNLOOP_DATA_DIR": str(tmp_path / machine)},
                )
            )
            urls.append(f"http://127.0.0.1:{port}")
        for url in urls:
            wait_until_serving(url)
        yield {"urls": urls, "mail": inbox, "env": env}
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
        stack.close()
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _opener() -> urllib.request.OpenerDirector:
    return urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )


def _post_form(opener, url: str, data: dict[str, Any]) -> str:
    page = opener.open(url).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": token}).encode()
    request = urllib.request.Request(url, data=body, headers={"Referer": url})
    return opener.open(request).read().decode()


def test_a_session_from_one_server_works_on_the_other(cluster: dict[str, Any]) -> None:
    a, b = cluster["urls"]
    opener = _opener()
    _post_form(
        opener, a + "/login/", {"username": "ops@example.org", "password": "a-long-admin-password"}
    )
    # Same cookie jar, other server (cookies are per host name, both are 127.0.0.1).
    home = opener.open(b + "/").read().decode()
    assert "Hello," in home and "ops" in home.lower()


def test_a_job_queued_through_one_server_runs_once_with_two_workers(
    cluster: dict[str, Any],
) -> None:
    a, _ = cluster["urls"]
    _post_form(_opener(), a + "/password-reset/", {"email": "ops@example.org"})
    deadline = time.monotonic() + 30
    while not cluster["mail"].messages and time.monotonic() < deadline:
        time.sleep(0.2)
    time.sleep(3)  # both workers polled several times since; a duplicate would have arrived
    assert len(cluster["mail"].messages) == 1
    assert cluster["mail"].messages[0]["Subject"] == "Reset your Learnloop password"


def test_a_cache_value_set_through_one_process_is_read_by_the_other(
    cluster: dict[str, Any], tmp_path_factory: pytest.TempPathFactory
) -> None:
    """The shared cache (Redis via LEARNLOOP_CACHE_URL): what one machine caches, the other
    reads, e.g. an expensive aggregate computed once for all app servers."""
    key = f"mp-{uuid.uuid4().hex}"
    code = "from django.core.cache import cache; "

    def shell(machine: str, line: str) -> str:
        data_dir = tmp_path_factory.mktemp(f"cache-{machine}")
        return subprocess.run(
            [*LEARNLOOP, "shell", "-c", code + line],
            env={**cluster["env"], "LEARNLOOP_DATA_DIR": str(data_dir)},
            check=True,
            timeout=120,
            capture_output=True,
            text=True,
        ).stdout

    shell("a", f"cache.set({key!r}, 'computed once', 60)")
    assert "computed once" in shell("b", f"print(cache.get({key!r}))")


def test_sign_in_failures_sent_to_both_servers_at_once_are_all_counted(
    cluster: dict[str, Any],
) -> None:
    """django-axes' database handler on PostgreSQL: concurrent failures through two servers are
    all counted (no lost update) and both servers then refuse the pair."""
    import psycopg

    email = "someone-else@example.org"  # not ops@: the session test above signs in as ops
    statuses = wrong_passwords_at_once(cluster["urls"], email, 12)
    assert set(statuses) <= {200, 429} and 429 in statuses
    with psycopg.connect(cluster["env"]["DATABASE_URL"]) as conn:
        (failures,) = conn.execute(
            "SELECT SUM(failures_since_start) FROM axes_accessattempt WHERE username = %s",
            (email,),
        ).fetchone()
    assert failures == 12
    for url in cluster["urls"]:
        status, body = sign_in_over_http(url, email, "any-password")
        assert status == 429 and "Too many failed sign-ins" in body
