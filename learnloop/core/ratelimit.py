"""An atomic, unlinkable rate limiter kept in the database.

    from learnloop.core.ratelimit import limit_hit

    if limit_hit("accounts.password_reset", email, limit=5, window_seconds=3600):
        ...  # refuse: the sixth attempt this hour

``limit_hit`` counts one attempt by ``subject`` in ``scope`` and says whether it went over
``limit`` in the current *fixed* window (windows are aligned to the Unix epoch, so a 3600-second
window is a clock hour in UTC and an 86400-second one a UTC day). It is atomic on SQLite and
PostgreSQL, across threads, processes and machines: one ``INSERT … ON CONFLICT DO UPDATE …
WHERE count < limit RETURNING count`` statement counts and decides, so a burst of concurrent
attempts never lets more than ``limit`` through, and waiting inside the window never reopens
it. It does not use the cache: the cache backends differ in atomicity and what they leave on
disk (decision 0010).

Every counter is unlinkable once its window has passed, so there is one limiter and no
"linkable" variant to pick by mistake. What is stored (``core_ratelimitwindow`` and
``core_ratelimitcount``):

* per scope and window, a **random** 256-bit key (not derived from ``SECRET_KEY``) and the
  window's end;
* per subject, ``HMAC(window key, subject)`` and a count — no subject, no time finer than the
  window.

When the window ends both rows are deleted (here on the next call, and by the worker's
``core.purge_rate_limits`` job every few minutes); SQLite connections run with
``secure_delete`` so the deleted bytes are overwritten. Without the key, a leftover digest
cannot be tied to anyone. *Within* the window, someone who can read the database can test
whether a given subject has a counter and read its count (decision 0010 says what that means
for anonymous reports).

For anonymous actions count the person's named and anonymous actions in the *same* scope, so a
counter's existence does not say that an anonymous one happened.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time

from django.db import connection, transaction

from learnloop.core.models import RateLimitCount, RateLimitWindow

__all__ = ["limit_hit", "purge_expired"]


def limit_hit(scope: str, subject: str, limit: int, window_seconds: int) -> bool:
    """Count one attempt by ``subject`` in ``scope``; True when it is over ``limit`` this window.

    An attempt over the limit is not counted (the count stops at ``limit``), so a refused
    subject is let in again as soon as the next window starts.
    """
    if limit < 1 or window_seconds < 1:
        raise ValueError("limit and window_seconds must be at least 1")
    now = time.time()
    window = int(now // window_seconds)
    ends_at = (window + 1) * window_seconds
    table = connection.ops.quote_name(RateLimitCount._meta.db_table)
    with transaction.atomic():
        _delete_ended(now)
        key = _window_key(scope, window_seconds, window, ends_at)
        digest = hmac.new(bytes.fromhex(key), subject.encode(), hashlib.sha256).hexdigest()
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (digest, ends_at, count) VALUES (%s, %s, 1) "
                f"ON CONFLICT (digest) DO UPDATE SET count = {table}.count + 1 "
                f"WHERE {table}.count < %s RETURNING count",
                [digest, ends_at, limit],
            )
            counted = cursor.fetchone()
    return counted is None


def purge_expired(now: float | None = None) -> int:
    """Delete the keys and counters of every window that has ended; return how many rows went.

    On SQLite the write-ahead log is then checkpointed and truncated, so the deleted pages do
    not linger in the ``-wal`` file either (best effort: a long reader can delay it).
    """
    with transaction.atomic():
        deleted = _delete_ended(time.time() if now is None else now)
    if deleted and connection.vendor == "sqlite" and not connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return deleted


def _delete_ended(now: float) -> int:
    counts, _ = RateLimitCount.objects.filter(ends_at__lte=now).delete()
    windows, _ = RateLimitWindow.objects.filter(ends_at__lte=now).delete()
    return counts + windows


def _window_key(scope: str, seconds: int, window: int, ends_at: int) -> str:
    """The window's random key, created by whichever caller comes first (race-free)."""
    where = {"scope": scope, "seconds": seconds, "window": window}
    RateLimitWindow.objects.bulk_create(
        [RateLimitWindow(**where, ends_at=ends_at, key=secrets.token_hex(32))],
        ignore_conflicts=True,
    )
    return RateLimitWindow.objects.values_list("key", flat=True).get(**where)
