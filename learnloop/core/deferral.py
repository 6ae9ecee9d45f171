"""Work a bulk write leaves for later, collected on the database connection.

Bulk writers (``learnloop import``) open a block inside which signal receivers that would do
costly work after each commit instead append what to do to a list kept on the current
connection; at the end of the block the writer queues that work for the background worker
(the search app's vectors, decision 0074; the coach's flags, decision 0087).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import transaction


@contextmanager
def collecting(name: str) -> Iterator[list[Any]]:
    """A fresh list on the current connection under ``name`` for the block (blocks nest)."""
    conn = transaction.get_connection()
    previous = getattr(conn, name, None)
    items: list[Any] = []
    setattr(conn, name, items)
    try:
        yield items
    finally:
        setattr(conn, name, previous)


def collector(name: str) -> list[Any] | None:
    """The list of the innermost open :func:`collecting` block for ``name``, else None."""
    return getattr(transaction.get_connection(), name, None)
