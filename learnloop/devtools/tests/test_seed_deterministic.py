"""``learnloop seed``: the same ``--seed`` and day write the same rows, ids included, into two
databases (the random ids and order keys of anonymous rows, the times stamped "now", the
webhook secrets and the repeat matches too). The one value that differs is the accounts'
shared password hash, whose salt is random."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest

from learnloop.transfer.tests.test_backup import learnloop, sqlite_tables

pytestmark = pytest.mark.slow  # learnloop migrate and seed in subprocesses

SEED = ["seed", "--scale", "small", "--seed", "1", "--today", "2026-03-02", "--no-progress"]


def _seeded(data_dir: Path, migrated: Path) -> dict[str, list[tuple[Any, ...]]]:
    data_dir.mkdir()
    with sqlite3.connect(migrated) as src, sqlite3.connect(data_dir / "learnloop.sqlite3") as dst:
        src.backup(dst)
    result = learnloop(*SEED, data_dir=data_dir)
    assert result.returncode == 0, result.stderr
    return sqlite_tables(data_dir / "learnloop.sqlite3")


def _without_password(rows: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    return [row[:1] + row[2:] for row in rows]  # accounts_user's second column


def test_the_same_seed_writes_the_same_rows_twice(tmp_path: Path) -> None:
    template = tmp_path / "migrated"
    result = learnloop("migrate", data_dir=template)
    assert result.returncode == 0, result.stderr
    first = _seeded(tmp_path / "first", template / "learnloop.sqlite3")
    second = _seeded(tmp_path / "second", template / "learnloop.sqlite3")

    assert list(first) == list(second)
    for table, rows in first.items():
        if table == "accounts_user":
            assert _without_password(second[table]) == _without_password(rows)
        else:
            assert second[table] == rows, table
    assert len(first["retros_card"]) > 50 and len(first["metrics_repeatmatch"]) > 10
    assert any(pk < 0 for pk, *_ in first["retros_card"])  # anonymous cards: outside the sequence
    passwords = {row[1] for row in first["accounts_user"] + second["accounts_user"]}
    assert len(passwords) == 2  # one hash per run, a fresh salt each time
    # Times count back from --today; what was stamped "now" is its start.
    ((_pk, created, *_),) = first["accounts_organisation"]
    assert created.startswith("2026-03-02 00:00:00")
