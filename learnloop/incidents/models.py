"""Incidents: anything that went wrong or nearly did, reported in under 30 seconds."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from learnloop.core.models import TeamOwned, TimeStamped

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
    # Identifier in the system it was imported from (e.g. a corpus file's uuid).
    external_id = models.CharField(max_length=200, null=True, blank=True)
    source_url = models.URLField(max_length=500, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["team", "-created_at"], name="incident_team_recent"),
            models.Index(fields=["kind"], name="incident_kind"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["team", "external_id"], name="incident_external_id_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.title
