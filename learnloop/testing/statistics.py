"""Planner statistics in tests of bulk loaders (decision 0248): what shows they were refreshed
on SQLite (``sqlite_stat1``) and PostgreSQL (the last manual VACUUM and ANALYZE)."""

from __future__ import annotations

import datetime as dt
from typing import Any


def statistics_mark(table: str = "reviews_review") -> tuple[Any, ...]:
    """What shows that statistics were refreshed since: SQLite's rows of ``sqlite_stat1`` for
    ``table``; PostgreSQL's last manual VACUUM and ANALYZE of it."""
    from django.db import connection

    with connection.cursor() as cur:
        if connection.vendor == "sqlite":
            cur.execute("SELECT count(*) FROM sqlite_stat1 WHERE tbl = %s", [table])
        else:
            cur.execute(
                "SELECT last_vacuum, last_analyze FROM pg_stat_user_tables WHERE relname = %s",
                [table],
            )
        return tuple(cur.fetchone())


def forget_statistics(table: str = "reviews_review") -> tuple[Any, ...]:
    from django.db import connection

    if connection.vendor == "sqlite":
        with connection.cursor() as cur:
            cur.execute("ANALYZE")  # sqlite_stat1 exists; empty it so the import must fill it
            cur.execute("DELETE FROM sqlite_stat1")
    return statistics_mark(table)


def assert_refreshed(before: tuple[Any, ...], after: tuple[Any, ...]) -> None:
    from django.db import connection

    if connection.vendor == "sqlite":
        assert before == (0,) and after[0] > 0
    else:
        epoch = dt.datetime.min.replace(tzinfo=dt.UTC)
        assert all((a or epoch) > (b or epoch) for a, b in zip(after, before, strict=True))
