"""Extension points called by every lesson write (learnloop.lessons.services).

They are called *inside* the write's transaction, after the row is saved (or just before it is
deleted), so a search index stored in the same database rolls back with the write and can never
drift from it. The search integration fills them in; until then they do nothing.
"""

from __future__ import annotations


def lesson_changed(lesson_id: int) -> None:
    """A lesson was created or its text, tags, team or visibility changed."""
    from learnloop.search.sync import lesson_changed as index_lesson

    index_lesson(lesson_id)


def lesson_deleted(lesson_id: int) -> None:
    """A lesson is being deleted (called before the row disappears, in the same transaction)."""
    from learnloop.search.sync import lesson_deleted as unindex_lesson

    unindex_lesson(lesson_id)
