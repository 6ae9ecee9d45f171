"""``seeding.common.bulk_pragmas``: the seed's SQLite settings hold for its block and are put
back after, on a connection outside any transaction.

No module-wide ``django_db`` mark here: with one, the test database is set up before
``restore_migrated_data`` and put back *before* the transactional flush, so the next
serialized-rollback test meets content types with new ids (conftest.py)."""

from __future__ import annotations

import pytest


@pytest.fixture
def committed(restore_migrated_data: None, transactional_db: None) -> None:
    """Outside any transaction (pragmas are per connection); the database put back after."""


@pytest.mark.usefixtures("committed")
def test_the_bulk_settings_hold_for_the_block_and_are_put_back() -> None:
    from django.db import connection

    from learnloop.devtools.seeding.common import bulk_pragmas

    if connection.vendor != "sqlite":
        pytest.skip("SQLite settings")

    def current() -> tuple[int, int, int]:
        with connection.cursor() as cur:
            values = []
            for name in ("synchronous", "cache_size", "temp_store"):
                cur.execute(f"PRAGMA {name}")
                values.append(int(cur.fetchone()[0]))
            return values[0], values[1], values[2]

    before = current()
    with bulk_pragmas():
        assert current() == (0, -400000, 2)  # OFF, about 400 MB, MEMORY
    assert current() == before
