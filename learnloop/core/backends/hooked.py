"""The one mixin both backends use: run ``core.commit_hooks`` around commit and rollback."""

from __future__ import annotations

from django.db import DatabaseError

from learnloop.core import commit_hooks


class CommitHooksMixin:
    """``commit`` first runs the before-commit hooks inside the still-open transaction.

    A hook that fails turns into a ``DatabaseError``, so ``transaction.atomic`` rolls the whole
    transaction back (the write and its deferred work go together or not at all).
    """

    def commit(self) -> None:
        try:
            commit_hooks.before_commit(self)
        except DatabaseError:
            raise
        except Exception as exc:
            raise DatabaseError(f"a before-commit hook failed: {exc!r}") from exc
        super().commit()  # type: ignore[misc]

    def rollback(self) -> None:
        try:
            super().rollback()  # type: ignore[misc]
        finally:
            commit_hooks.after_rollback(self)

    def savepoint_rollback(self, sid: str) -> None:
        super().savepoint_rollback(sid)  # type: ignore[misc]
        commit_hooks.after_savepoint_rollback(self)

    def close(self) -> None:
        try:
            super().close()  # type: ignore[misc]
        finally:
            commit_hooks.after_rollback(self)
