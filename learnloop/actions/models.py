"""Follow-up actions: owner, due date, kind, status, external link; reminders by the worker."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models

from learnloop.accounts.visibility import TeamOwned
from learnloop.core.models import TimeStamped


class Action(TeamOwned, TimeStamped):
    class Kind(models.TextChoices):
        PREVENT = "prevent", "Prevent"
        DETECT = "detect", "Detect"
        MITIGATE = "mitigate", "Mitigate"
        PROCESS = "process", "Process"
        LEARN = "learn", "Learn"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        IN_PROGRESS = "in_progress", "In progress"
        DONE = "done", "Done"
        WONT_DO = "wont_do", "Won't do"

    title = models.CharField(max_length=200)
    description = models.TextField(blank=True, max_length=10000)
    review = models.ForeignKey(
        "reviews.Review", null=True, blank=True, on_delete=models.SET_NULL, related_name="actions"
    )
    incident = models.ForeignKey(
        "incidents.Incident",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="actions",
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="actions",
    )
    due_date = models.DateField(null=True, blank=True)
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.PREVENT)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.OPEN)
    done_at = models.DateTimeField(null=True, blank=True)
    external_url = models.URLField(max_length=500, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Identifier in the export it was imported from, so importing again updates this action
    # (two actions of one review may share a title).
    external_id = models.CharField(max_length=200, null=True, blank=True)

    class Meta:
        ordering = ["due_date", "id"]
        indexes = [
            models.Index(fields=["team", "status", "due_date"], name="action_team_status_due"),
            models.Index(fields=["owner", "status"], name="action_owner_status"),
            # Covers the visibility rule, so COUNT(*) for pagination reads no table rows.
            models.Index(fields=["team", "visibility"], name="action_team_visibility"),
            # Lists sort by due date: walk this index instead of sorting every visible row.
            models.Index(fields=["due_date", "id"], name="action_due"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["team", "external_id"], name="action_external_id_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("actions:detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.OPEN, self.Status.IN_PROGRESS)

    @property
    def is_overdue(self) -> bool:
        from django.utils import timezone

        return self.overdue(self.status, self.due_date, timezone.localdate())

    @classmethod
    def overdue(cls, status: str, due_date: dt.date | None, today: dt.date) -> bool:
        """Open or in progress, and due before ``today``: the one rule, for an object
        (:attr:`is_overdue`) or a row read without one (the API list, decision 0247)."""
        return (
            status in (cls.Status.OPEN, cls.Status.IN_PROGRESS)
            and due_date is not None
            and due_date < today
        )
