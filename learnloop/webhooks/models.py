"""Outgoing webhook endpoints and their delivery log (decisions/0180).

An endpoint belongs to one team (its admins manage it and it hears every event of that team)
or, with no team, to the organisation (its admins manage it and it hears only the
organisation-visible events of every team: private means private, decisions/0003).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from learnloop.core.models import TimeStamped


class Endpoint(TimeStamped):
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    team = models.ForeignKey(
        "accounts.Team", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    url = models.URLField(max_length=500)
    description = models.CharField(max_length=120, blank=True)
    events = models.JSONField(default=list)
    # Standard Webhooks secrets ("whsec_" + base64). The server needs them to sign, so they are
    # stored as they are; shown once, never listed (decisions/0180).
    secret = models.CharField(max_length=100)
    previous_secret = models.CharField(max_length=100, blank=True)
    previous_secret_until = models.DateTimeField(null=True, blank=True)
    is_active = models.BooleanField(default=True)
    # Failed attempts in a row (any delivery); a success resets it. Too many turn it off.
    failures_in_row = models.PositiveIntegerField(default=0)
    disabled_reason = models.CharField(max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["url", "id"]
        indexes = [models.Index(fields=["organisation", "is_active"], name="webhook_org_active")]

    def __str__(self) -> str:
        return self.url

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("webhooks:detail", args=[self.pk])


class Delivery(models.Model):
    """One message to one endpoint, with the outcome of its latest attempt."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to be sent"
        RETRYING = "retrying", "Failed; will retry"
        DELIVERED = "delivered", "Delivered"
        FAILED = "failed", "Gave up"

    endpoint = models.ForeignKey(Endpoint, on_delete=models.CASCADE, related_name="deliveries")
    event = models.CharField(max_length=60)
    # The webhook-id header: the same for every attempt, so receivers can deduplicate.
    message_id = models.CharField(max_length=40, unique=True)
    payload = models.JSONField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["endpoint", "-created_at"], name="webhook_delivery_log")]


class Announced(models.Model):
    """Events announced by the daily check rather than at the moment they happen (anonymous
    reports, overdue actions), so each is announced once. No time is kept."""

    event = models.CharField(max_length=60)
    object_id = models.BigIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["event", "object_id"], name="webhook_announced_once")
        ]
