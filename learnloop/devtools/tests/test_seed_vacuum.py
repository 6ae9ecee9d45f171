"""``learnloop seed`` leaves fresh planner statistics, and on PostgreSQL vacuumed tables, as a
deployment's autovacuum would (decision 0248). Run on both databases: ``scripts/with_postgres.py``.

No module-wide ``django_db`` mark: ``VACUUM`` runs only outside a transaction block, so the seed
runs on a committed database, put back after (see test_seed_pragmas.py)."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.db import connection, transaction


@pytest.fixture
def committed(restore_migrated_data: None, transactional_db: None) -> None:
    """Outside any transaction block; the database put back after."""


@pytest.mark.usefixtures("committed")
def test_the_seed_refreshes_statistics_and_vacuums_on_postgresql() -> None:
    with connection.cursor() as cur:
        if connection.vendor == "sqlite":
            cur.execute("ANALYZE")  # sqlite_stat1 exists; empty it so the seed must fill it
            cur.execute("DELETE FROM sqlite_stat1")
    out = io.StringIO()
    call_command("seed", scale="small", seed=5, no_progress=True, jobs=1, stdout=out)
    with connection.cursor() as cur:
        if connection.vendor == "sqlite":
            assert "analyze" in out.getvalue() and "vacuum" not in out.getvalue()
            cur.execute("SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'incidents_incident'")
            assert cur.fetchone()[0] > 0
        else:
            assert "vacuum analyze" in out.getvalue()
            cur.execute(
                "SELECT last_vacuum IS NOT NULL, last_analyze IS NOT NULL"
                " FROM pg_stat_user_tables WHERE relname = 'search_document'"
            )
            assert cur.fetchone() == (True, True)


@pytest.mark.django_db
def test_inside_a_transaction_block_the_seed_only_analyzes() -> None:
    """The seed's other tests run it in a transaction, where VACUUM would fail."""
    with transaction.atomic():
        out = io.StringIO()
        call_command("seed", scale="small", seed=6, no_progress=True, jobs=1, stdout=out)
        assert "analyze" in out.getvalue() and "vacuum" not in out.getvalue()
        transaction.set_rollback(True)
