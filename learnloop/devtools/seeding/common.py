"""What every part of the seed shares: the result, the run's context and small helpers."""

from __future__ import annotations

import datetime as dt
import math
import random
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db.models import Model

from learnloop.accounts.models import Team, User
from learnloop.core.ids import random_negative_id
from learnloop.core.models import Tag
from learnloop.reviews.models import ReviewTemplate


@dataclass
class SeedResult:
    organisation_id: int
    admin_email: str
    password: str
    counts: Counter = field(default_factory=Counter)
    seconds: dict[str, float] = field(default_factory=dict)  # wall time per stage
    cpu: dict[str, float] = field(default_factory=dict)  # this process's CPU time per stage

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass
class SeedContext:
    """One seed run: its random source, the organisation's people and tags, and its clock."""

    rng: random.Random
    teams: list[Team]
    members: dict[int, list[User]]
    users: list[User]
    tags: list[Tag]
    template: ReviewTemplate | None
    sections: list[dict[str, Any]]
    anchor: dt.datetime
    today: dt.date
    result: SeedResult
    lesson_pool: list[tuple[int, dt.datetime]] = field(default_factory=list)  # (id, created)
    applied: Counter = field(default_factory=Counter)


def weighted(rng: random.Random, pairs: list[tuple[str, int]]) -> str:
    return rng.choices([p[0] for p in pairs], weights=[p[1] for p in pairs])[0]


def minutes(rng: random.Random, median: float, sigma: float = 0.9) -> dt.timedelta:
    """A log-normal duration: most are short, a few are very long (as incident times are)."""
    return dt.timedelta(minutes=max(0.5, rng.lognormvariate(math.log(median), sigma)))


def negative_id(rng: random.Random) -> int:
    """A primary key outside the sequence, as ``core.ids.random_negative_id`` gives anonymous
    rows, but drawn from one of the seed's random sources: the same in every run."""
    return random_negative_id(rng.randrange)


def org_fields(model: type[Model], organisation_id: int) -> dict[str, int]:
    """``organisation_id`` for models that copy their team's organisation (e.g. lessons)."""
    names = {f.name for f in model._meta.concrete_fields}
    return {"organisation_id": organisation_id} if "organisation" in names else {}


def fill(text: str, c: str, f: str) -> str:
    return text.replace("{c}", c).replace("{f}", f)


@contextmanager
def given_timestamps() -> Iterator[None]:
    """Let bulk_create keep the times we generate instead of stamping "now" on them.

    ``auto_now``/``auto_now_add`` fields are switched off for the duration (this process only,
    and the seed command runs alone), then restored.
    """
    saved = []
    for model in apps.get_models():
        for f in model._meta.concrete_fields:
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                saved.append((f, f.auto_now, f.auto_now_add))
                f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, now, now_add in saved:
            f.auto_now, f.auto_now_add = now, now_add


@contextmanager
def fixed_clock(at: dt.datetime) -> Iterator[None]:
    """``django.utils.timezone.now()`` answers ``at`` for the duration (this process only, and
    the seed command runs alone), then the real clock again: what the seed's rows and the
    product code it calls stamp with "now" (``auto_now`` fields included) is the same in every
    run of the same ``--seed`` and day. Field defaults that hold ``timezone.now`` itself
    (``User.date_joined``) are not reached by this: the seed sets those."""
    from django.utils import timezone

    real = timezone.now
    timezone.now = lambda: at
    try:
        yield
    finally:
        timezone.now = real


#: SQLite settings for the seed's own connection while it writes (decision 0086): no fsync at its
#: commits (a crash mid-seed loses the seed, never what was committed before it), a page cache of
#: about 400 MB instead of 20 (indexes of million-row tables are updated all over), temporary
#: b-trees in memory.
BULK_PRAGMAS = {"synchronous": "OFF", "cache_size": "-400000", "temp_store": "MEMORY"}


@contextmanager
def bulk_pragmas() -> Iterator[None]:
    """:data:`BULK_PRAGMAS` on this connection for the block, then the previous values back.

    SQLite only, and only outside a transaction (inside one, e.g. a test's, nothing changes).
    """
    from django.db import connection

    if connection.vendor != "sqlite" or connection.in_atomic_block:
        yield
        return
    with connection.cursor() as cur:
        before = {}
        for name, value in BULK_PRAGMAS.items():
            cur.execute(f"PRAGMA {name}")
            before[name] = cur.fetchone()[0]
            cur.execute(f"PRAGMA {name}={value}")
    try:
        yield
    finally:
        if connection.connection is not None:  # still the same connection
            with connection.cursor() as cur:
                for name, value in before.items():
                    cur.execute(f"PRAGMA {name}={int(value)}")
