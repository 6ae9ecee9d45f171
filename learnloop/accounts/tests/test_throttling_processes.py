"""Sign-in throttling across processes: concurrent wrong passwords sent to two gunicorn
processes on one SQLite database are all counted (no lost update) and the pause holds in both.
The PostgreSQL counterpart, across two app servers, is in core/tests/test_multiprocess.py."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import free_port, sign_in_over_http, wait_until_serving, wrong_passwords_at_once

pytestmark = [
    pytest.mark.slow,  # several served processes
    pytest.mark.skipif(
        os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="the SQLite variant; PostgreSQL runs core/tests/test_multiprocess.py",
    ),
]
LEARNLOOP = [sys.executable, "-m", "learnloop.cli"]
PASSWORD = "a-long-admin-password"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    data = tmp_path_factory.mktemp("throttle")
    env = {
        k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(
        LEARNLOOP_DATA_DIR=str(data),
        LEARNLOOP_ADMIN_PASSWORD=PASSWORD,
        LEARNLOOP_WEB_WORKERS="2",
        LEARNLOOP_CACHE_URL="",
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
    proc = subprocess.Popen(
        [*LEARNLOOP, "serve", "--port", str(port), "--no-migrate", "--no-worker"], env=env
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_serving(url)
        yield url, data / "learnloop.sqlite3"
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_concurrent_failures_are_all_counted_and_pause_every_process(
    server: tuple[str, Path],
) -> None:
    url, database = server
    statuses = wrong_passwords_at_once([url], "ops@example.org", 12)
    assert set(statuses) <= {200, 429} and 429 in statuses
    with sqlite3.connect(database) as conn:
        (failures,) = conn.execute(
            "SELECT SUM(failures_since_start) FROM axes_accessattempt WHERE username = ?",
            ("ops@example.org",),
        ).fetchone()
    assert failures == 12
    # Every process refuses the right password now (two gunicorn workers share the socket).
    refused = [sign_in_over_http(url, "ops@example.org", PASSWORD) for _ in range(4)]
    assert all(status == 429 and "Too many failed sign-ins" in body for status, body in refused)
