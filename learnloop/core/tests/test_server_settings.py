"""The server settings of decision 0176: a server thread keeps its database connection between
requests (SQLite: ``LEARNLOOP_SQLITE_CONN_MAX_AGE``, 600 s unless set; 0 opens one per
request), gunicorn's master freezes what the warmed application made before each fork, and
`serve` runs gthread (the default) or sync workers (``LEARNLOOP_WEB_WORKER_CLASS``)."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.signals import request_finished, request_started
from django.db import connection

from learnloop.core import gunicorn_hooks
from learnloop.core.management.commands.serve import default_workers, worker_options

LEARNLOOP = [sys.executable, "-m", "learnloop.cli"]


@pytest.mark.django_db(transaction=True)
def test_a_connection_outlives_the_request_that_opened_it() -> None:
    connection.close()
    connection.ensure_connection()
    opened = connection.connection
    for _ in range(3):  # what the handler sends around every request
        request_started.send(sender=None)
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        request_finished.send(sender=None)
    assert connection.connection is opened


@pytest.mark.django_db(transaction=True)
def test_with_no_age_the_connection_closes_after_each_request(monkeypatch) -> None:
    monkeypatch.setitem(connection.settings_dict, "CONN_MAX_AGE", 0)
    connection.close()
    connection.ensure_connection()
    request_finished.send(sender=None)
    assert connection.connection is None


@pytest.mark.slow  # settings read in a fresh interpreter
@pytest.mark.parametrize(("value", "expected"), [(None, "600"), ("0", "0"), ("30", "30")])
def test_the_sqlite_connection_age_comes_from_the_environment(
    tmp_path: Path, value: str | None, expected: str
) -> None:
    env = {
        k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env.pop("LEARNLOOP_SQLITE_CONN_MAX_AGE", None)
    if value is not None:
        env["LEARNLOOP_SQLITE_CONN_MAX_AGE"] = value
    env["LEARNLOOP_DATA_DIR"] = str(tmp_path / "data")
    code = "from django.conf import settings; print(settings.DATABASES['default']['CONN_MAX_AGE'])"
    result = subprocess.run(
        [*LEARNLOOP, "shell", "-c", code], env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == expected


def test_the_master_freezes_the_warmed_objects_before_a_fork() -> None:
    gc.unfreeze()
    try:
        gunicorn_hooks.pre_fork(server=None, worker=None)
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()  # this test process goes on collecting as before


def test_gthread_workers_get_their_threads_and_sync_workers_one() -> None:
    assert worker_options("gthread", 4) == ["--worker-class", "gthread", "--threads", "4"]
    # gunicorn turns a sync worker with more than one thread into gthread: always one.
    assert worker_options("sync", 4) == ["--worker-class", "sync", "--threads", "1"]


@pytest.mark.parametrize(
    ("worker_class", "cores", "expected"),
    [("gthread", 2, 4), ("sync", 2, 5), ("gthread", 1, 2), ("sync", 1, 3), ("sync", 16, 8)],
)
def test_the_default_number_of_workers(worker_class: str, cores: int, expected: int) -> None:
    assert default_workers(worker_class, cores) == expected
