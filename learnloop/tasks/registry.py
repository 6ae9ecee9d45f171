"""Job registry and ``enqueue``. Jobs take ids and plain values, never model instances."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

JobFunc = Callable[..., Any]


@dataclass(frozen=True)
class Periodic:
    name: str
    every: dt.timedelta


REGISTRY: dict[str, JobFunc] = {}
PERIODIC: list[Periodic] = []


def job(name: str, *, every: dt.timedelta | None = None) -> Callable[[JobFunc], JobFunc]:
    """Register ``func`` as the job ``name``; with ``every`` the worker also schedules it."""

    def register(func: JobFunc) -> JobFunc:
        REGISTRY[name] = func
        if every is not None:
            PERIODIC.append(Periodic(name, every))
        return func

    return register


def enqueue(
    name: str,
    *,
    args: dict[str, Any] | None = None,
    run_at: dt.datetime | None = None,
    unique_key: str | None = None,
    max_attempts: int = 5,
) -> None:
    """Queue a job once the current transaction commits (immediately outside one).

    With ``unique_key``, a job with the same key that is still queued or running makes this a
    no-op, so periodic and reminder jobs are never duplicated by concurrent schedulers.
    """
    _require(name)

    def create() -> None:
        from learnloop.tasks.models import Job

        try:
            with transaction.atomic():
                Job.objects.create(
                    name=name,
                    args=args or {},
                    run_at=run_at or timezone.now(),
                    unique_key=unique_key,
                    max_attempts=max_attempts,
                )
        except IntegrityError:
            if unique_key is None:
                raise

    transaction.on_commit(create)


def enqueue_each(
    name: str, *, args: list[dict[str, Any]], run_at: dt.datetime | None = None
) -> None:
    """Queue one job ``name`` per item of ``args`` once the current transaction commits
    (immediately outside one), all in one statement: a batch's emails, say. No unique key:
    each job is its own, as ``enqueue`` without one."""
    _require(name)
    if not args:
        return

    def create() -> None:
        from learnloop.tasks.models import Job

        when = run_at or timezone.now()
        Job.objects.bulk_create([Job(name=name, args=item, run_at=when) for item in args])

    transaction.on_commit(create)


def _require(name: str) -> None:
    if name not in REGISTRY:
        raise KeyError(f"unknown job {name!r}; registered: {sorted(REGISTRY)}")
