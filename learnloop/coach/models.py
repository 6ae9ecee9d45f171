"""Coach flags: one row per blameful sentence found in a piece of content that is kept.

A flag is identified by its target (type + id) and the hash of its sentence, so a hint that a
writer resolved or dismissed stays resolved when the same sentence is checked again, whichever
field it moved to. Only the flagged span (at most 200 characters) is stored, never the whole
sentence: the target already holds the text. See docs/decisions/0080-coach-flags.md.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from learnloop.core.models import TimeStamped


class FlagStatus(models.TextChoices):
    OPEN = "open", "Open"
    RESOLVED = "resolved", "Resolved"
    DISMISSED = "dismissed", "Dismissed"


class ResolvedHow(models.TextChoices):
    MARKED = "marked", "Marked resolved"
    REWORDED = "reworded", "Used the suggested wording"


class TargetType(models.TextChoices):
    REVIEW = "review", "Review"
    LESSON = "lesson", "Lesson"
    INCIDENT = "incident", "Incident"


class CoachFlag(TimeStamped):
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    team = models.ForeignKey("accounts.Team", on_delete=models.CASCADE, related_name="+")
    review = models.ForeignKey(
        "reviews.Review",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="coach_flags",
    )
    target_type = models.CharField(max_length=16, choices=TargetType.choices)
    target_id = models.PositiveBigIntegerField()
    field_key = models.CharField(max_length=120, blank=True)
    sentence_hash = models.CharField(max_length=64)
    span = models.CharField(max_length=200, blank=True)
    signal = models.CharField(max_length=32)
    signals = models.CharField(
        max_length=200, blank=True, help_text="All signals, comma-separated."
    )
    message = models.CharField(max_length=300, blank=True)
    status = models.CharField(max_length=16, choices=FlagStatus.choices, default=FlagStatus.OPEN)
    resolved_how = models.CharField(max_length=16, choices=ResolvedHow.choices, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Hashes of the sentences of the suggested wording the writer accepted ("Use this wording"):
    # the coach never flags those again on this target (docs/decisions/0082-accepted-wording.md).
    accepted_hashes = models.JSONField(default=list, blank=True)
    dismiss_reason = models.CharField(max_length=300, blank=True)
    dismissed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["target_type", "target_id", "sentence_hash"], name="coach_flag_unique"
            )
        ]
        indexes = [
            models.Index(fields=["review", "status"], name="coach_flag_review_status"),
            models.Index(fields=["team", "created_at"], name="coach_flag_team_created"),
        ]

    def __str__(self) -> str:
        return f"{self.signal}: {self.span}"
