"""Rows built once for a whole test module, rolled back after its last test."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from django.db import transaction


@contextlib.contextmanager
def module_transaction(django_db_blocker: Any) -> Iterator[None]:
    """Open a transaction for a module-scoped fixture (pass pytest-django's
    ``django_db_blocker``; request ``django_db_setup`` before it).

    Rows the fixture writes inside (under ``django_db_blocker.unblock()``) stay visible to every
    test of the module; each test still runs in its own savepoint, so what a test writes is
    rolled back after it as usual, and the whole transaction is rolled back after the module's
    last test, so no other module sees the rows. Only for tests marked ``django_db`` without
    ``transaction=True`` (a transactional test would flush the table under the open
    transaction)."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
    try:
        yield
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
