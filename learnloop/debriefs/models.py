"""Deliverables and their debrief log: wins, opportunities and lessons learned written while the
work runs (docs/debriefs.md, decisions/0140)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse

from learnloop.accounts.visibility import TeamOwned
from learnloop.core.models import TimeStamped

TITLE_MAX = 200
DESCRIPTION_MAX = 10000
URL_MAX = 500
ENTRY_MAX = 2000


class Deliverable(TeamOwned, TimeStamped):
    """A project, card or milestone a team delivers, with the people on it."""

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        CLOSED = "closed", "Closed"

    title = models.CharField(max_length=TITLE_MAX)
    description = models.TextField(blank=True, max_length=DESCRIPTION_MAX)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    collaborators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="debrief_deliverables"
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.ACTIVE)
    start_date = models.DateField(null=True, blank=True)
    target_date = models.DateField(null=True, blank=True)
    external_url = models.URLField(max_length=URL_MAX, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # When the log last changed (an entry added) or the deliverable was created/reopened:
    # the nudge job compares it with the team's setting (decisions/0141).
    last_activity_at = models.DateTimeField(null=True, blank=True)
    last_nudged_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)
    # Identifier in the export it was imported from, so importing again updates it.
    external_id = models.CharField(max_length=200, null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["team", "external_id"], name="deliverable_external_id_unique"
            ),
        ]
        indexes = [
            models.Index(fields=["team", "status", "-created_at"], name="deliverable_team_status"),
            models.Index(fields=["status", "last_activity_at"], name="deliverable_quiet"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("debriefs:detail", args=[self.pk])

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE


class EntryKind(models.TextChoices):
    WIN = "win", "Win"
    OPPORTUNITY = "opportunity", "Opportunity"
    LESSON = "lesson", "Lesson learned"


class DebriefEntry(TeamOwned, TimeStamped):
    """One note in a deliverable's debrief log. ``team`` and ``visibility`` are the
    deliverable's (kept in step by the services) so the search index and the visibility rule
    read them from the row."""

    deliverable = models.ForeignKey(Deliverable, on_delete=models.CASCADE, related_name="entries")
    kind = models.CharField(max_length=16, choices=EntryKind.choices)
    text = models.TextField(max_length=ENTRY_MAX)
    link = models.URLField(max_length=URL_MAX, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)
    external_id = models.CharField(max_length=200, null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["team", "external_id"], name="entry_external_id_unique"
            ),
        ]
        indexes = [
            models.Index(fields=["deliverable", "created_at"], name="entry_deliverable"),
            models.Index(fields=["team", "created_at"], name="entry_team_recent"),
            models.Index(fields=["author", "created_at"], name="entry_author_recent"),
        ]

    def __str__(self) -> str:
        return self.text[:80]

    def get_absolute_url(self) -> str:
        return reverse("debriefs:detail", args=[self.deliverable_id]) + f"#entry-{self.pk}"

    @property
    def title(self) -> str:
        """The first line, shortened: how search results and suggestions name an entry."""
        first = (self.text or "").strip().splitlines()[0] if (self.text or "").strip() else ""
        first = first.lstrip("#>*- ").strip()
        label = EntryKind(self.kind).label if self.kind in EntryKind.values else "Entry"
        return f"{label}: {first[:120]}{'…' if len(first) > 120 else ''}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.deliverable_id and not self.team_id:
            self.team_id = self.deliverable.team_id
            self.visibility = self.deliverable.visibility
        super().save(*args, **kwargs)
