"""The ``learnloop`` command as an operator meets it: clear errors, never a traceback."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # each test runs the learnloop CLI in a subprocess

LEARNLOOP = [sys.executable, "-m", "learnloop.cli"]


def run(*args: str, tmp_path: Path, **env: str) -> subprocess.CompletedProcess:
    base = {
        k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}
    }
    base["LEARNLOOP_DATA_DIR"] = str(tmp_path / "data")
    return subprocess.run(
        [*LEARNLOOP, *args], env={**base, **env}, capture_output=True, text=True, timeout=120
    )


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("LEARNLOOP_DEBUG", "maybe", "expected one of 1/0, true/false"),
        ("DATABASE_URL", "mysql://x", "postgresql://USER:PASSWORD@HOST:5432/NAME"),
        ("LEARNLOOP_WORKER_POLL_SECONDS", "soon", "expected a whole number"),
        ("LEARNLOOP_SECRET_KEY", "short", "too weak"),
        ("LEARNLOOP_SMTP_URL", "mail.example.org", "smtp://user:password@mail.example.org:587"),
        ("LEARNLOOP_LOG_LEVEL", "LOUD", "DEBUG, INFO, WARNING or ERROR"),
        ("LEARNLOOP_SQLITE_CONN_MAX_AGE", "-1", "expected at least 0"),
    ],
)
def test_a_bad_variable_stops_start_up_naming_it(
    tmp_path: Path, name: str, value: str, expected: str
) -> None:
    result = run("migrate", tmp_path=tmp_path, **{name: value})
    assert result.returncode == 2
    assert name in result.stderr and expected in result.stderr
    assert "Traceback" not in result.stderr


def test_an_unwritable_data_dir_is_reported(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    result = run("migrate", tmp_path=tmp_path, LEARNLOOP_DATA_DIR=str(blocker / "sub"))
    assert (
        result.returncode == 2
        and "LEARNLOOP_DATA_DIR" in result.stderr
        and "Traceback" not in result.stderr
    )


def test_serve_on_a_port_in_use_says_so(tmp_path: Path) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        port = sock.getsockname()[1]
        result = run("serve", "--port", str(port), tmp_path=tmp_path)
    assert result.returncode == 1
    assert f"port {port} on 127.0.0.1 is already in use" in result.stderr
    assert "Traceback" not in result.stderr


def test_serve_names_an_unknown_worker_class(tmp_path: Path) -> None:
    result = run("serve", tmp_path=tmp_path, LEARNLOOP_WEB_WORKER_CLASS="eventlet")
    assert result.returncode == 1
    assert "LEARNLOOP_WEB_WORKER_CLASS 'eventlet' is not valid" in result.stderr
    assert "gthread or sync" in result.stderr and "Traceback" not in result.stderr


def test_serve_names_a_reuse_port_value_that_is_not_a_boolean(tmp_path: Path) -> None:
    result = run("serve", tmp_path=tmp_path, LEARNLOOP_WEB_REUSE_PORT="sometimes")
    assert result.returncode == 1
    assert "LEARNLOOP_WEB_REUSE_PORT='sometimes' is not a boolean" in result.stderr
    assert "Traceback" not in result.stderr


def test_migrate_createadmin_and_seed_demo(tmp_path: Path) -> None:
    assert run("migrate", "-v0", tmp_path=tmp_path).returncode == 0
    assert (tmp_path / "data" / "learnloop.sqlite3").exists()
    weak = run(
        "createadmin",
        "--email",
        "ops@example.org",
        "--organisation",
        "Ops",
        tmp_path=tmp_path,
        LEARNLOOP_ADMIN_PASSWORD="123",
    )
    assert weak.returncode == 1 and "too short" in weak.stderr and "Traceback" not in weak.stderr
    ok = run(
        "createadmin",
        "--email",
        "ops@example.org",
        "--organisation",
        "Ops",
        tmp_path=tmp_path,
        LEARNLOOP_ADMIN_PASSWORD="a-long-admin-password",
    )
    assert ok.returncode == 0, ok.stderr
    demo = run("seed-demo", "--password", "demo-password-123", tmp_path=tmp_path)
    assert demo.returncode == 0, demo.stderr
    assert "amara@demo.learnloop.test" in demo.stdout
    again = run("seed-demo", tmp_path=tmp_path)
    assert again.returncode == 1 and "already loaded" in again.stderr


def test_check_deploy_is_clean_in_production_settings(tmp_path: Path) -> None:
    result = run(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        tmp_path=tmp_path,
        LEARNLOOP_HTTPS="1",
        LEARNLOOP_SECRET_KEY="x" * 10 + "a-real-deployment-would-use-a-random-key-0123456789",
        LEARNLOOP_ALLOWED_HOSTS="learnloop.example.org",
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_help_lists_learnloop_commands(tmp_path: Path) -> None:
    result = run(tmp_path=tmp_path)
    assert "serve" in result.stdout and "seed-demo" in result.stdout


@pytest.mark.django_db
def test_planner_statistics_refresh_runs_on_any_database() -> None:
    from django.db import connection

    from learnloop.core.jobs import refresh_planner_statistics

    refresh_planner_statistics()
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'")
            assert cursor.fetchone()[0] == 1


def test_data_commands_set_up_a_fresh_database_first(tmp_path: Path) -> None:
    query = '{"id": "q1", "title": "Disk full", "description": "Logs filled the disk."}\n'
    base = {
        k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}
    }
    result = subprocess.run(
        [*LEARNLOOP, "related", "--jsonl"],
        env={**base, "LEARNLOOP_DATA_DIR": str(tmp_path / "data")},
        input=query,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == '{"id": "q1", "ranked": []}'
    assert "applying database migrations first" in result.stderr


def test_an_unreachable_database_is_reported_without_a_traceback(tmp_path: Path) -> None:
    result = run(
        "related", "--jsonl", tmp_path=tmp_path, DATABASE_URL="postgresql://nobody@127.0.0.1:9/none"
    )
    assert result.returncode == 1
    assert "learnloop: database error" in result.stderr and "Traceback" not in result.stderr
