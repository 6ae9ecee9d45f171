"""A durable job queue in the database.

Jobs are rows. A worker claims one with a conditional UPDATE (``status='queued'`` → ``running``)
so any number of workers, in any number of processes or machines, never run the same job twice.
See docs/decisions/0002-background-jobs.md.
"""

from __future__ import annotations

from django.db import models


class Job(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued"
        RUNNING = "running"
        DONE = "done"
        FAILED = "failed"

    name = models.CharField(max_length=100)
    args = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    run_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    max_attempts = models.PositiveSmallIntegerField(default=5)
    # Set for jobs that must exist at most once while queued (periodic jobs, reminders).
    unique_key = models.CharField(max_length=200, null=True, blank=True)
    locked_by = models.CharField(max_length=100, blank=True)
    locked_until = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["status", "run_at"], name="tasks_job_due")]
        constraints = [
            models.UniqueConstraint(
                fields=["unique_key"],
                condition=models.Q(status__in=["queued", "running"]),
                name="tasks_job_unique_pending",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name}#{self.pk} ({self.status})"
