"""Work that must run inside a transaction just before it commits (decision 0073).

Django has ``transaction.on_commit`` (after the commit, outside the transaction) but nothing
*before* the commit. Learnloop's database backends (``learnloop/core/backends/``) call
:func:`before_commit` from ``DatabaseWrapper.commit`` while the transaction is still open,
:func:`after_rollback` from ``rollback`` and :func:`after_savepoint_rollback` when an inner
``atomic`` block rolls back to its savepoint (work done early inside it is undone with it). An app registers one hook pair in its
``AppConfig.ready`` (the search index defers its writes to the commit this way); core names
no app.

A hook must be idempotent and must not assume it runs only once per transaction: outside any
transaction (autocommit) it is never called, so an app that defers work must do it at once
there.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

Hook = Callable[[Any], None]


@dataclass(frozen=True)
class _Pair:
    name: str
    before_commit: Hook
    after_rollback: Hook
    after_savepoint_rollback: Hook | None
    last: bool = False


_HOOKS: dict[str, _Pair] = {}


def register(
    name: str,
    *,
    before_commit: Hook,
    after_rollback: Hook,
    after_savepoint_rollback: Hook | None = None,
    last: bool = False,
) -> None:
    """``before_commit(connection)`` runs in the open transaction just before each commit;
    ``after_rollback(connection)`` after each rollback (and when the connection closes);
    ``after_savepoint_rollback(connection)`` after a rollback to a savepoint. Registering a
    name again replaces it. A hook registered with ``last=True`` runs its ``before_commit``
    after every other one (it sees the writes the others defer to the commit)."""
    _HOOKS[name] = _Pair(name, before_commit, after_rollback, after_savepoint_rollback, last)


def before_commit(connection: Any) -> None:
    for pair in sorted(_HOOKS.values(), key=lambda pair: pair.last):
        pair.before_commit(connection)


def after_rollback(connection: Any) -> None:
    for pair in list(_HOOKS.values()):
        pair.after_rollback(connection)


def after_savepoint_rollback(connection: Any) -> None:
    for pair in list(_HOOKS.values()):
        if pair.after_savepoint_rollback is not None:
            pair.after_savepoint_rollback(connection)
