"""In-app notifications (the bell), one row per recipient."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    text = models.CharField(max_length=300)
    url = models.CharField(max_length=300, blank=True)
    # Dedupe key, e.g. "action:12:overdue", so a reminder is never sent twice.
    key = models.CharField(max_length=120, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread")]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "key"],
                condition=~models.Q(key=""),
                name="notification_key_unique",
            )
        ]


class Kind(models.TextChoices):
    """What a person can be told about; each has its own preference (decision 0112)."""

    ASSIGNED = "assigned", "You are made the owner of an action"
    PARTICIPANT = "participant", "You are added to a review"
    PUBLISHED = "published", "A review you take part in is published"
    COMMENT = "comment", "Someone comments on a review you take part in"
    REMINDER = "reminder", "An action you own is due soon or overdue"
    SURVEY = "survey", "A survey round opens for your team"
    WEBHOOK = "webhook", "A webhook endpoint you manage is turned off after failures"
    DIGEST = "digest", "The weekly digest (Monday morning, your time)"
    APPROVAL = "approval", "A proposal waits for your approval, or yours was decided"


class Channel(models.TextChoices):
    EMAIL = "email", "In the app and by email"
    IN_APP = "in_app", "In the app only"
    OFF = "off", "Off"


# Without a saved preference: what asks something of the person also comes by email. Keyed by
# the kind's value (a Kind is that string).
DEFAULT_CHANNEL: dict[str, str] = {
    Kind.ASSIGNED: Channel.EMAIL,
    Kind.PARTICIPANT: Channel.EMAIL,
    Kind.PUBLISHED: Channel.IN_APP,
    Kind.COMMENT: Channel.IN_APP,
    Kind.REMINDER: Channel.EMAIL,
    Kind.SURVEY: Channel.IN_APP,
    Kind.WEBHOOK: Channel.EMAIL,
    Kind.DIGEST: Channel.EMAIL,
    Kind.APPROVAL: Channel.EMAIL,
}

# Kinds that exist only as email: their choice is "email" or "off" (decision 0191).
EMAIL_ONLY: frozenset[str] = frozenset({Kind.DIGEST})


def channels_for_kind(kind: str) -> list[tuple[str, str]]:
    """The (value, label) choices a person has for ``kind``."""
    if kind in EMAIL_ONLY:
        return [(Channel.EMAIL.value, "By email"), (Channel.OFF.value, "Off")]
    return list(Channel.choices)


class DigestDelivery(models.Model):
    """The weekly digest of ``week`` (ISO, "2026-W49", in the person's zone) went to ``user``:
    written in the same transaction that queues the email, so a week is sent at most once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digest_deliveries"
    )
    week = models.CharField(max_length=8)
    created_at = models.DateTimeField(auto_now_add=True)
    # False when there was nothing to tell (no email went out, and none will for this week).
    sent = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "week"], name="digest_delivery_unique")
        ]


class NotificationPreference(models.Model):
    """How ``user`` wants to hear about one ``kind``; no row means the default."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    # A ``Kind`` value. Not a field with ``choices``: Django copies choices into migrations, so
    # every new kind would need an AlterField. ``delivery.preferences_update`` refuses unknown
    # kinds, and the preferences page offers only ``Kind``'s members.
    kind = models.CharField(max_length=20)
    channel = models.CharField(max_length=10, choices=Channel.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="notification_preference_unique")
        ]
