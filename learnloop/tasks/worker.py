"""The background worker: claims due jobs with a conditional UPDATE and runs them.

Several workers may run at once (threads, processes or machines): a job moves from ``queued``
to ``running`` only through ``UPDATE ... WHERE id=%s AND status='queued'``, which exactly one
claimant wins. A worker that dies leaves its job with an expired lease; any worker re-queues
it. SIGTERM and SIGINT stop the worker after the job in hand.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import signal
import socket
import threading
import traceback
import uuid

from django.conf import settings
from django.db import close_old_connections
from django.db.models import F
from django.utils import timezone

from learnloop.tasks.models import Job
from learnloop.tasks.registry import PERIODIC, REGISTRY, enqueue

log = logging.getLogger("learnloop.worker")


def _worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


def schedule_periodic() -> None:
    now = timezone.now()
    for periodic in PERIODIC:
        enqueue(periodic.name, run_at=now + periodic.every, unique_key=f"periodic:{periodic.name}")


def requeue_expired() -> int:
    """Give jobs whose worker vanished (lease expired) back to the queue."""
    return Job.objects.filter(status=Job.Status.RUNNING, locked_until__lt=timezone.now()).update(
        status=Job.Status.QUEUED, locked_by="", locked_until=None
    )


def claim(worker_id: str) -> Job | None:
    """Claim the next due job, or return None. Safe against any number of rival workers."""
    now = timezone.now()
    candidates = list(
        Job.objects.filter(status=Job.Status.QUEUED, run_at__lte=now)
        .order_by("run_at", "id")
        .values_list("id", flat=True)[:20]
    )
    for job_id in candidates:
        won = Job.objects.filter(id=job_id, status=Job.Status.QUEUED).update(
            status=Job.Status.RUNNING,
            locked_by=worker_id,
            locked_until=now + dt.timedelta(seconds=settings.TASKS_LEASE_SECONDS),
            attempts=F("attempts") + 1,
        )
        if won:
            return Job.objects.get(id=job_id)
    return None


def execute(job: Job) -> None:
    func = REGISTRY.get(job.name)
    try:
        if func is None:
            raise LookupError(f"no job registered under {job.name!r}")
        func(**job.args)
    except Exception:
        error = traceback.format_exc(limit=20)
        log.warning("job %s failed (attempt %s/%s)", job, job.attempts, job.max_attempts)
        if job.attempts >= job.max_attempts or func is None:
            Job.objects.filter(id=job.id).update(
                status=Job.Status.FAILED,
                last_error=error,
                finished_at=timezone.now(),
                unique_key=None,
            )
        else:
            backoff = dt.timedelta(seconds=10 * 2 ** (job.attempts - 1))
            Job.objects.filter(id=job.id).update(
                status=Job.Status.QUEUED,
                last_error=error,
                run_at=timezone.now() + backoff,
                locked_by="",
                locked_until=None,
            )
        return
    Job.objects.filter(id=job.id).update(
        status=Job.Status.DONE, finished_at=timezone.now(), locked_until=None, unique_key=None
    )


def run_due_jobs(*, worker_id: str | None = None, limit: int = 1000) -> int:
    """Run every job due now, then return how many ran. Used by tests and ``worker --burst``."""
    worker_id = worker_id or _worker_id()
    ran = 0
    requeue_expired()
    while ran < limit and (job := claim(worker_id)) is not None:
        execute(job)
        ran += 1
    return ran


class Worker:
    def __init__(self, *, poll_seconds: float | None = None) -> None:
        self.id = _worker_id()
        self.poll = poll_seconds if poll_seconds is not None else settings.TASKS_POLL_SECONDS
        self.stopping = threading.Event()

    def stop(self, *_: object) -> None:
        self.stopping.set()

    def install_signal_handlers(self) -> None:
        signal.signal(signal.SIGTERM, self.stop)
        signal.signal(signal.SIGINT, self.stop)

    def run(self) -> None:
        log.info("worker %s started; jobs: %s", self.id, ", ".join(sorted(REGISTRY)) or "none")
        while not self.stopping.is_set():
            close_old_connections()
            try:
                schedule_periodic()
                requeue_expired()
                job = claim(self.id)
            except Exception:
                log.exception("worker could not reach the database; retrying")
                job = None
            if job is None:
                self.stopping.wait(self.poll)
                continue
            execute(job)
        log.info("worker %s stopped", self.id)
