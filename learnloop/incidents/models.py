"""Incidents: anything that went wrong or nearly did, reported in under 30 seconds."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone

from learnloop.accounts.visibility import TeamOwned
from learnloop.core.anonymity import stamp_save
from learnloop.core.models import TimeStamped

# Shipped default; an organisation overrides it in Organisation.settings["severity_scale"].
DEFAULT_SEVERITY_SCALE = [
    {"key": "sev1", "label": "SEV1 · critical"},
    {"key": "sev2", "label": "SEV2 · major"},
    {"key": "sev3", "label": "SEV3 · minor"},
    {"key": "sev4", "label": "SEV4 · low"},
]


class Kind(models.TextChoices):
    SERVICE_INCIDENT = "service_incident", "Service incident"
    MISTAKE = "mistake", "Mistake"
    NEAR_MISS = "near_miss", "Near miss"
    SETBACK = "setback", "Setback"
    SECURITY_EVENT = "security_event", "Security event"
    DRILL = "drill", "Drill"


class Incident(TeamOwned, TimeStamped):
    # Not auto_now/auto_now_add: save() sets them, rounded to the day for anonymous reports,
    # so an exact time of an anonymous report is never written, not even for a moment.
    created_at = models.DateTimeField(default=timezone.now, db_index=True, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)
    title = models.CharField(max_length=200)
    description = models.TextField("what happened", max_length=20000)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.SERVICE_INCIDENT)
    severity = models.CharField(
        max_length=32, blank=True, help_text="A key of the organisation's severity scale."
    )
    tags = models.ManyToManyField("core.Tag", blank=True, related_name="incidents")
    started_at = models.DateTimeField(null=True, blank=True)
    detected_at = models.DateTimeField(null=True, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    # Anonymous reports have no reporter and only a date (created_at is rounded to the day).
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_anonymous = models.BooleanField(default=False)
    # Identifier in the system it was imported from (e.g. a corpus file's uuid), and that
    # system ("" for Markdown and JSON imports; "pagerduty", "jira", ... for CSV, decision 0192).
    external_id = models.CharField(max_length=200, null=True, blank=True)
    external_source = models.CharField(max_length=20, blank=True, default="")
    source_url = models.URLField(max_length=500, blank=True)
    # Optimistic concurrency: every edit names the version it started from (decisions/0014).
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["team", "-created_at"], name="incident_team_recent"),
            models.Index(fields=["kind"], name="incident_kind"),
            # Covers the visibility rule, so COUNT(*) for pagination reads no table rows.
            models.Index(fields=["team", "visibility"], name="incident_team_visibility"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["team", "external_source", "external_id"],
                name="incident_external_source_id_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args: Any, **kwargs: Any) -> None:
        stamp_save(self, kwargs, anonymous=self.is_anonymous, person_field="reporter")
        super().save(*args, **kwargs)

    @property
    def is_resolved(self) -> bool:
        return self.resolved_at is not None
