"""``learnloop backup`` / ``learnloop restore`` as an operator runs them: real data dirs, real
processes, every table compared row for row (SQLite; PostgreSQL in the PostgreSQL pass)."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tarfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.slow  # learnloop backup / restore in subprocesses
LEARNLOOP = [sys.executable, "-m", "learnloop.cli"]
WRITER = """
import os, sys, time
from pathlib import Path
os.environ["DJANGO_SETTINGS_MODULE"] = "learnloop.settings"
import django
django.setup()
from django.db import transaction
from learnloop.accounts.models import User
from learnloop.notifications.models import Notification

user = User.objects.order_by("id").first()
stop, n = Path(sys.argv[1]), 0
while not stop.exists():
    # Two rows per transaction: a consistent snapshot has both or neither.
    with transaction.atomic():
        Notification.objects.create(recipient=user, text="a", key=f"pair-{n}-a")
        Notification.objects.create(recipient=user, text="b", key=f"pair-{n}-b")
    n += 1
print(n)
"""


def environment(data_dir: Path, database_url: str | None = None) -> dict[str, str]:
    env = {
        k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env["LEARNLOOP_DATA_DIR"] = str(data_dir)
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def learnloop(
    *args: str, data_dir: Path, database_url: str | None = None
) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*LEARNLOOP, *args],
        env=environment(data_dir, database_url),
        capture_output=True,
        text=True,
        timeout=600,
    )


def sqlite_tables(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every table of a SQLite file (search index tables too), rows in a stable order."""
    with sqlite3.connect(path) as db:
        names = [
            r[0]
            for r in db.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' "
                "ORDER BY name"
            )
        ]
        return {
            name: sorted(db.execute(f'SELECT * FROM "{name}"').fetchall(), key=repr)
            for name in names
        }


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data_dir = tmp_path_factory.mktemp("seeded")
    result = learnloop("seed-demo", data_dir=data_dir)
    assert result.returncode == 0, result.stderr
    return data_dir


def test_it_restores_every_table_row_for_row(seeded: Path, tmp_path: Path) -> None:
    archive = tmp_path / "backups" / "learnloop.tar.gz"
    result = learnloop("backup", "--out", str(archive), data_dir=seeded)
    assert result.returncode == 0, result.stderr
    with tarfile.open(archive) as tar:
        names = set(tar.getnames())
        manifest = json.load(tar.extractfile("learnloop-backup.json"))
    # The snapshot, the key and the manifest; never the cache or SQLite's side files.
    assert names == {"learnloop-backup.json", "database.sqlite3", "secret_key"}
    assert manifest["engine"] == "sqlite" and "reviews" in manifest["migrations"]
    assert oct(archive.stat().st_mode & 0o777) == "0o600"

    restored = tmp_path / "restored"
    result = learnloop("restore", str(archive), data_dir=restored)
    assert result.returncode == 0, result.stderr
    before = sqlite_tables(seeded / "learnloop.sqlite3")
    after = sqlite_tables(restored / "learnloop.sqlite3")
    assert list(after) == list(before) and len(before) > 30
    for table, rows in before.items():
        assert after[table] == rows, table
    assert sum(len(rows) for rows in before.values()) > 500
    assert (restored / "secret_key").read_text() == (seeded / "secret_key").read_text()
    # The restored install works: an export of it reads the same content.
    assert learnloop("export", "--out", str(tmp_path / "x"), data_dir=restored).returncode == 0


def test_it_refuses_a_database_that_is_not_empty_without_force(
    seeded: Path, tmp_path: Path
) -> None:
    archive = tmp_path / "learnloop.tar.gz"
    assert learnloop("backup", "--out", str(archive), data_dir=seeded).returncode == 0
    other = tmp_path / "other"
    assert learnloop("migrate", data_dir=other).returncode == 0
    untouched = sqlite_tables(other / "learnloop.sqlite3")

    result = learnloop("restore", str(archive), data_dir=other)
    assert result.returncode == 2
    assert "not empty" in result.stderr and "--force" in result.stderr
    assert "Traceback" not in result.stderr
    assert sqlite_tables(other / "learnloop.sqlite3") == untouched

    result = learnloop("restore", str(archive), "--force", data_dir=other)
    assert result.returncode == 0, result.stderr
    assert sqlite_tables(other / "learnloop.sqlite3") == sqlite_tables(seeded / "learnloop.sqlite3")


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (lambda d, t: d / "inside.tar.gz", "inside the data dir"),
        (lambda d, t: t, "is a directory"),
    ],
)
def test_it_refuses_an_unsuitable_backup_path(seeded: Path, tmp_path: Path, make, reason) -> None:
    target = make(seeded, tmp_path)
    result = learnloop("backup", "--out", str(target), data_dir=seeded)
    assert result.returncode == 2 and reason in result.stderr and "Traceback" not in result.stderr
    assert not (seeded / "inside.tar.gz").exists()


def test_it_refuses_what_is_not_a_backup(tmp_path: Path) -> None:
    junk = tmp_path / "junk.tar.gz"
    junk.write_bytes(b"not a tar file")
    result = learnloop("restore", str(junk), data_dir=tmp_path / "d")
    assert result.returncode == 2 and "not a backup archive" in result.stderr
    result = learnloop("restore", str(tmp_path / "missing.tar.gz"), data_dir=tmp_path / "d")
    assert result.returncode == 2 and "no such backup file" in result.stderr


def test_a_backup_taken_while_writes_happen_is_consistent(seeded: Path, tmp_path: Path) -> None:
    live = tmp_path / "live"
    shutil.copytree(seeded, live, ignore=shutil.ignore_patterns("cache"))
    stop = tmp_path / "stop"
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(stop)],
        env=environment(live),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    archives = []
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and _pairs(live / "learnloop.sqlite3") < 20:
            time.sleep(0.1)
        for n in range(3):
            archive = tmp_path / f"during-{n}.tar.gz"
            result = learnloop("backup", "--out", str(archive), data_dir=live)
            assert result.returncode == 0, result.stderr
            archives.append(archive)
    finally:
        stop.touch()
        out, err = writer.communicate(timeout=60)
    assert writer.returncode == 0, err
    written = int(out)
    final = sqlite_tables(live / "learnloop.sqlite3")
    for n, archive in enumerate(archives):
        restored = tmp_path / f"restored-{n}"
        assert learnloop("restore", str(archive), data_dir=restored).returncode == 0
        snapshot = sqlite_tables(restored / "learnloop.sqlite3")
        keys = [row for row in snapshot["notifications_notification"] if "pair-" in repr(row)]
        pairs = {repr(row).split("pair-")[1].split("-")[0] for row in keys}
        # Every transaction whole (both rows or neither), and writes went on around it.
        assert len(keys) == 2 * len(pairs) and 0 < len(pairs) < written
        # Nothing but those writes differs from the live database afterwards.
        for table, rows in snapshot.items():
            if table == "notifications_notification":
                assert set(rows) <= set(final[table])
            elif table == "web_pageversion":
                # The page cache's write counters (decision 0076) move with those same writes:
                # a snapshot holds an earlier count of the same scopes, never a later one.
                later = dict(final[table])
                assert all(scope in later and count <= later[scope] for scope, count in rows)
            else:
                assert rows == final[table], table


def _pairs(path: Path) -> int:
    with sqlite3.connect(path, timeout=30) as db:
        return (
            db.execute(
                "SELECT COUNT(*) FROM notifications_notification WHERE key LIKE 'pair-%'"
            ).fetchone()[0]
            // 2
        )


# --- PostgreSQL (pg_dump / pg_restore) ----------------------------------------------------------

PG_URL = os.environ.get("DATABASE_URL", "")
PG_TOOLS = [t for t in ("pg_dump", "pg_restore") if shutil.which(t) is None]


@pytest.fixture
def pg_databases() -> Iterator[tuple[str, str]]:
    if not PG_URL.startswith(("postgres://", "postgresql://")):
        pytest.skip("the PostgreSQL pass only (DATABASE_URL=postgresql://...)")
    if PG_TOOLS:
        pytest.skip(f"{', '.join(PG_TOOLS)} not installed (PostgreSQL client programs)")
    import psycopg

    base = PG_URL.rsplit("/", 1)[0]
    names = [f"ll_backup_{kind}_{uuid.uuid4().hex[:8]}" for kind in ("source", "target")]
    with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
        for name in names:
            admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{base}/{names[0]}", f"{base}/{names[1]}"
    finally:
        with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
            for name in names:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def pg_tables(url: str) -> dict[str, list[tuple[Any, ...]]]:
    import psycopg

    with psycopg.connect(url) as db:
        names = [
            r[0]
            for r in db.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY 1"
            )
        ]
        return {n: sorted(db.execute(f'SELECT * FROM "{n}"').fetchall(), key=repr) for n in names}


def test_it_restores_every_postgresql_table_row_for_row(pg_databases, tmp_path: Path) -> None:
    source, target = pg_databases
    data_dir = tmp_path / "data"
    result = learnloop("seed-demo", data_dir=data_dir, database_url=source)
    assert result.returncode == 0, result.stderr
    archive = tmp_path / "pg.tar.gz"
    result = learnloop("backup", "--out", str(archive), data_dir=data_dir, database_url=source)
    assert result.returncode == 0, result.stderr
    with tarfile.open(archive) as tar:
        assert "database.pgdump" in tar.getnames()

    restored_dir = tmp_path / "restored"
    result = learnloop("restore", str(archive), data_dir=restored_dir, database_url=target)
    assert result.returncode == 0, result.stderr
    before, after = pg_tables(source), pg_tables(target)
    assert list(after) == list(before) and len(before) > 30
    for table, rows in before.items():
        assert after[table] == rows, table

    # Not empty now: refused without --force, replaced with it.
    result = learnloop("restore", str(archive), data_dir=restored_dir, database_url=target)
    assert result.returncode == 2 and "not empty" in result.stderr
    result = learnloop(
        "restore", str(archive), "--force", data_dir=restored_dir, database_url=target
    )
    assert result.returncode == 0, result.stderr
    assert pg_tables(target) == before
