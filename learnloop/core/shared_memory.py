"""Figures computed once per data version and shared by the web server's worker processes,
in memory only (decision 0174): the loop metrics' board, the incident dashboard's numbers, the
immune-system check and the related rankings of pages (decision 0246).

``learnloop serve`` runs gunicorn with ``--preload``: the master warms the application and
forks the workers (decision 0131). Before the fork, :func:`create` (from the core app's
``warm_up``) maps an *anonymous* shared memory region (``mmap(-1, …)``: no file, no name, no
modification time; it disappears with the last process of the server) and a lock; every
worker inherits both. :func:`get_or_compute` keeps a computed value (pickled) in one of the
region's slots under a digest of its key, so the first worker to need the figures of a data
version computes them and the others read them instead of computing the same figures at the
same moment on the same cores. A worker that finds another one computing waits for it
(single flight) rather than computing too.

Why this is not the shared cache that decisions 0010, 0076 and 0078 rejected: what they
rejected is a write that outlives the moment or leaves a time beside it (a cache file's
modification time, Redis's idle time and persistence files). The region is the same kind of
memory as each worker's own ``local`` cache, which already holds these figures: it is never
written to a disk or a file, holds no wall-clock time of its own (a monotonic clock reading,
seconds since the machine booted, of when a computation started or ended: to take over from a
worker that died and to expire a value, as the ``local`` cache keeps its own expiry times),
and is gone when the server stops. Anyone who can read it can read every worker's memory, and the kept pages in it.

Without a region made before the fork (tests, ``runserver``, commands) each process makes its
own on first use, which is a per-process cache with the same behaviour.

Refresh ahead (decision 0246): a caller whose key already holds everything the value depends on
but the clock (the organisation's data version, so any write makes a new key) may pass
``stale_for``. A value past ``max_age`` but within ``stale_for`` more seconds is then still
returned at once, and one thread of the server computes its successor in the background, so
nobody waits for figures only because they aged. Read-your-writes is untouched: a write moves
the key, and a new key is always computed before it is answered. Only a server's region (made by
:func:`create` with ``served=True`` before the fork) refreshes in the background; elsewhere an
aged value is computed again on the spot, as before.
"""

from __future__ import annotations

import hashlib
import logging
import mmap
import multiprocessing
import os
import pickle
import struct
import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

logger = logging.getLogger(__name__)

T = TypeVar("T")

#: Slots in the region and bytes per slot (its header included): 32 MiB in all, allocated by
#: the kernel only as slots are written. A value larger than a slot is not shared (the caller
#: keeps it in its own process, as before).
SLOTS = 64
SLOT_BYTES = 512 * 1024
#: How long past its ``max_age`` a value aged only by the clock is still served while it is
#: refreshed: the ``stale_for`` of every caller that may pass one (decision 0246).
STALE_SECONDS = 3600.0
#: How long a worker waits for another one's computation before computing itself.
WAIT_SECONDS = 30.0
POLL_SECONDS = 0.005

#: A slot is empty, being computed (no value yet), ready, or ready and being refreshed (its
#: value is served while one thread computes the next one).
EMPTY, COMPUTING, READY, REFRESHING = 0, 1, 2, 3
#: digest of the key, state, pid of the computing process, payload length, the monotonic clock
#: when the kept value was computed (ready, refreshing), and when the running computation
#: started (computing, refreshing).
_HEADER = struct.Struct("<32sBiQdd")
Header = tuple[bytes, int, int, int, float, float]
PAYLOAD_BYTES = SLOT_BYTES - _HEADER.size


class Region:
    """The mapped memory and its lock (a process-shared semaphore, inherited at the fork)."""

    def __init__(
        self, slots: int = SLOTS, slot_bytes: int = SLOT_BYTES, *, served: bool = False
    ) -> None:
        #: Made for a server's workers: aged values are refreshed in the background.
        self.served = served
        self.slots = slots
        self.slot_bytes = slot_bytes
        self.memory = mmap.mmap(-1, slots * slot_bytes)
        try:
            self.lock: Any = multiprocessing.Lock()
        except (OSError, ImportError):  # no POSIX semaphores here: this process only
            self.lock = threading.Lock()

    def _offset(self, digest: bytes) -> int:
        return (int.from_bytes(digest[:8], "little") % self.slots) * self.slot_bytes

    def header(self, digest: bytes) -> Header:
        found: Header = _HEADER.unpack_from(self.memory, self._offset(digest))
        return found

    def set_header(
        self,
        digest: bytes,
        state: int,
        pid: int = 0,
        length: int = 0,
        ready: float = 0.0,
        started: float = 0.0,
    ) -> None:
        _HEADER.pack_into(
            self.memory, self._offset(digest), digest, state, pid, length, ready, started
        )

    def payload(self, digest: bytes, length: int) -> bytes:
        start = self._offset(digest) + _HEADER.size
        return bytes(self.memory[start : start + length])

    def set_payload(self, digest: bytes, data: bytes) -> None:
        start = self._offset(digest) + _HEADER.size
        self.memory[start : start + len(data)] = data


_REGION: Region | None = None
_MAKING = threading.Lock()


def create(*, served: bool = False) -> Region:
    """Map the region (once per process tree: call it before the workers fork, with ``served``
    when they are a server's, so aged values are refreshed in the background)."""
    global _REGION
    with _MAKING:
        if _REGION is None:
            _REGION = Region(served=served)
        _REGION.served = _REGION.served or served
        return _REGION


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _stale(pid: int, started: float) -> bool:
    return time.monotonic() - started > WAIT_SECONDS or not _alive(pid)


def get_or_compute(
    key: str, compute: Callable[[], T], *, max_age: float, stale_for: float = 0.0
) -> T:
    """The value kept under ``key`` by any process of this server in the last ``max_age``
    seconds, or ``compute()`` run once and kept for the others; while another process or thread
    computes it, wait for it. With ``stale_for`` (a server's region only) a value up to
    ``stale_for`` seconds older is returned too, and its successor is computed in the
    background by one thread of the server (see the module's doc)."""
    region = _REGION or create()
    digest = hashlib.sha256(key.encode()).digest()
    deadline = time.monotonic() + WAIT_SECONDS
    stale_for = stale_for if region.served else 0.0
    pid = os.getpid()
    while True:
        refresh = mine = False
        with region.lock:
            found, state, owner, length, ready, began = region.header(digest)
            same = found == digest
            now = time.monotonic()
            if same and state in (READY, REFRESHING) and now - ready <= max_age + stale_for:
                data = region.payload(digest, length)
                aged = now - ready > max_age
                if aged and (state == READY or _stale(owner, began)):
                    region.set_header(digest, REFRESHING, pid, length, ready, now)
                    refresh, began = True, now
                break
            if same and state == COMPUTING and not _stale(owner, began):
                pass  # someone computes it: wait below
            elif state not in (COMPUTING, REFRESHING) or _stale(owner, began) or same:
                began = now
                region.set_header(digest, COMPUTING, pid, 0, 0.0, began)
                mine = True
            # else: the slot is busy computing another key; compute without sharing.
        if mine or not (same and state == COMPUTING) or time.monotonic() > deadline:
            return _compute_and_keep(region, digest, compute, mine, pid, began)
        time.sleep(POLL_SECONDS)
    if refresh:
        threading.Thread(
            target=_refresh, args=(region, digest, compute, pid, length, ready, began), daemon=True
        ).start()
    value: T = pickle.loads(data)
    return value


def _keep(region: Region, digest: bytes, claim: Header, value: Any) -> None:
    """Store ``value`` if the slot still holds ``claim`` (nobody took it over meanwhile)."""
    data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    with region.lock:
        if region.header(digest) == claim:
            if len(data) <= PAYLOAD_BYTES:
                region.set_payload(digest, data)
                region.set_header(digest, READY, claim[2], len(data), time.monotonic())
            else:
                region.set_header(digest, EMPTY)


def _compute_and_keep(
    region: Region, digest: bytes, compute: Callable[[], T], mine: bool, pid: int, started: float
) -> T:
    claim = (digest, COMPUTING, pid, 0, 0.0, started)
    try:
        value = compute()
    except BaseException:
        if mine:
            with region.lock:
                if region.header(digest) == claim:
                    region.set_header(digest, EMPTY)
        raise
    if mine:
        _keep(region, digest, claim, value)
    return value


def _refresh(
    region: Region,
    digest: bytes,
    compute: Callable[[], Any],
    pid: int,
    length: int,
    ready: float,
    started: float,
) -> None:
    """In a thread of its own: compute the successor of an aged value and keep it. If that
    fails, the aged value stays (ready again), so the next reader tries once more."""
    from django.db import connections

    claim = (digest, REFRESHING, pid, length, ready, started)
    try:
        value = compute()
    except Exception:
        with region.lock:
            if region.header(digest) == claim:
                region.set_header(digest, READY, pid, length, ready)
        logger.exception("refreshing a kept value failed; the aged one stays")
    else:
        _keep(region, digest, claim, value)
    finally:
        connections.close_all()  # this thread's own connections: it ends here


def clear() -> None:
    """Forget every kept value of this server (tests; a benchmark's cold round)."""
    region = _REGION
    if region is None:
        return
    blank = bytes(_HEADER.size)
    with region.lock:
        for slot in range(region.slots):
            start = slot * region.slot_bytes
            region.memory[start : start + _HEADER.size] = blank
