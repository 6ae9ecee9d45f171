"""Primary keys outside the sequence, for rows that must not reveal when they were made."""

from __future__ import annotations

import secrets
from collections.abc import Callable


def random_negative_id(randbelow: Callable[[int], int] = secrets.randbelow) -> int:
    """A primary key outside the sequence (see docs/decisions/0010-anonymous-reports.md).

    Anonymous rows get a random negative id, so their position among sequential ids of other
    rows (whose times are exact) says nothing about when they were made. Negative ids never
    move SQLite's AUTOINCREMENT counter or PostgreSQL's identity sequence, and stay within
    2**53 so JavaScript clients read them exactly. ``randbelow`` draws the number: the product
    always uses ``secrets``; ``learnloop seed`` passes its own seeded source so that its rows
    are the same in every run.
    """
    return -(randbelow(2**53 - 2) + 1)
