"""Extension points called by every lesson write (learnloop.lessons.services).

They are called *inside* the write's transaction, after the row is saved (or just before it is
deleted), so a search index stored in the same database rolls back with the write and can never
drift from it. The search app registers its listeners here when it starts
(``SearchConfig.ready``), so lessons never import search; with no listener they do nothing.
"""

from __future__ import annotations

from collections.abc import Callable

Listener = Callable[[int], None]
_changed: list[Listener] = []
_deleted: list[Listener] = []


def listen(*, changed: Listener, deleted: Listener) -> None:
    """Call ``changed(lesson_id)`` and ``deleted(lesson_id)`` on every lesson write."""
    if changed not in _changed:
        _changed.append(changed)
    if deleted not in _deleted:
        _deleted.append(deleted)


def lesson_changed(lesson_id: int) -> None:
    """A lesson was created or its text, tags, team or visibility changed."""
    for listener in _changed:
        listener(lesson_id)


def lesson_deleted(lesson_id: int) -> None:
    """A lesson is being deleted (called before the row disappears, in the same transaction)."""
    for listener in _deleted:
        listener(lesson_id)
