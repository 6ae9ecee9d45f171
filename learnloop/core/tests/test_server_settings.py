"""The server settings of decision 0176: a server thread keeps its database connection between
requests (SQLite: ``LEARNLOOP_SQLITE_CONN_MAX_AGE``, 600 s unless set; 0 opens one per
request), gunicorn's master freezes what the warmed application made before each fork, and
`serve` runs gthread (the default) or sync workers (``LEARNLOOP_WEB_WORKER_CLASS``)."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.signals import request_finished, request_started
from django.db import connection

from learnloop.core import gunicorn_hooks
from learnloop.core.gunicorn_options import default_workers, worker_options

LEARNLOOP = [sys.executable, "-m", "learnloop.cli"]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
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


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
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


def test_reuse_port_is_asked_of_gunicorn_only_when_chosen() -> None:
    # Off by default (decision 0184): measured, it did not beat the shared socket.
    assert "--reuse-port" not in worker_options("gthread", 4)
    assert worker_options("gthread", 2, reuse_port=True) == [
        "--worker-class",
        "gthread",
        "--threads",
        "2",
        "--reuse-port",
    ]


@pytest.mark.parametrize(
    ("worker_class", "cores", "expected"),
    [("gthread", 2, 4), ("sync", 2, 5), ("gthread", 1, 2), ("sync", 1, 3), ("sync", 16, 8)],
)
def test_the_default_number_of_workers(worker_class: str, cores: int, expected: int) -> None:
    assert default_workers(worker_class, cores) == expected


def _listening_inodes(port: int) -> set[str]:
    """Inodes of the TCP sockets listening on ``port`` (IPv4), from /proc/net/tcp."""
    found = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        local, state, inode = fields[1], fields[3], fields[9]
        if state == "0A" and int(local.rsplit(":", 1)[1], 16) == port:
            found.add(inode)
    return found


def _socket_inodes(pid: int) -> set[str]:
    found = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:  # closed meanwhile
            continue
        if target.startswith("socket:["):
            found.add(target[len("socket:[") : -1])
    return found


@pytest.mark.slow  # a served install in subprocesses
@pytest.mark.skipif(not Path("/proc/net/tcp").exists(), reason="reads /proc (Linux)")
def test_with_reuse_port_each_worker_listens_on_a_socket_of_its_own(tmp_path: Path) -> None:
    from conftest import free_port, wait_until_serving

    env = {
        k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(LEARNLOOP_DATA_DIR=str(tmp_path / "data"), LEARNLOOP_WEB_REUSE_PORT="true")
    subprocess.run([*LEARNLOOP, "migrate", "-v0"], env=env, check=True, timeout=600)
    port = free_port()
    cmd = [
        *LEARNLOOP,
        "serve",
        "--port",
        str(port),
        "--workers",
        "2",
        "--no-worker",
        "--no-migrate",
    ]
    log = (tmp_path / "serve.log").open("w")
    proc = subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_until_serving(f"http://127.0.0.1:{port}", timeout=300)
        children = Path(f"/proc/{proc.pid}/task/{proc.pid}/children").read_text().split()
        [master] = [int(pid) for pid in children]

        def forked() -> list[int]:
            path = Path(f"/proc/{master}/task/{master}/children")
            return [int(p) for p in path.read_text().split()]

        # The master forks its workers one after the other, and each binds its socket after the
        # fork: the first may answer before the second exists (seen on a loaded machine).
        deadline = time.monotonic() + 120
        while True:
            workers, listening = forked(), _listening_inodes(port)
            if (len(workers) == 2 and len(listening) == 2) or time.monotonic() > deadline:
                break
            time.sleep(0.5)
        assert len(workers) == 2 and len(listening) == 2
        # The master holds no listening socket; each worker holds one, not the other's.
        assert not listening & _socket_inodes(master)
        held = [listening & _socket_inodes(pid) for pid in workers]
        assert all(len(h) == 1 for h in held) and held[0] != held[1]
    finally:
        proc.terminate()
        proc.wait(timeout=60)
        log.close()
