"""Blameless reviews built from templates. Templates are data: a list of typed sections.

``Review.content`` (JSON, keyed by section key) is the source of truth of what was written and
is saved with an optimistic ``version`` check; the child tables (timeline entries, contributing
factors, learnings) are rewritten from it in the same transaction so they can be queried.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from learnloop.accounts.visibility import TeamOwned
from learnloop.core.models import TimeStamped

SECTION_TYPES = ["rich_text", "list", "timeline", "factors", "learnings", "next_steps"]
# What people see for each type (the keys are stored data, never shown).
SECTION_TYPE_LABELS = {
    "rich_text": "Free text",
    "list": "List",
    "timeline": "Timeline",
    "factors": "Contributing factors",
    "learnings": "Learnings",
    "next_steps": "Next steps (become actions)",
}


class ReviewTemplate(TimeStamped):
    """A review template. Shipped templates have no organisation; teams copy and edit them.

    ``sections``: ``[{"key", "title", "type" (one of SECTION_TYPES), "prompt", "min_count"}]``.
    """

    organisation = models.ForeignKey(
        "accounts.Organisation", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    team = models.ForeignKey(
        "accounts.Team",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="review_templates",
    )
    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=60)
    description = models.TextField(blank=True, max_length=2000)
    sections = models.JSONField(default=list)
    cooling_off_hours = models.PositiveIntegerField(default=0)
    is_shipped = models.BooleanField(default=False)
    # Optimistic concurrency: every edit names the version it started from (decisions/0014).
    version = models.PositiveIntegerField(default=1, editable=False)
    copied_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    IN_REVIEW = "in_review", "In review"
    PUBLISHED = "published", "Published"


class Review(TeamOwned, TimeStamped):
    incident = models.ForeignKey(
        "incidents.Incident",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reviews",
    )
    template = models.ForeignKey(
        ReviewTemplate, null=True, blank=True, on_delete=models.SET_NULL, related_name="reviews"
    )
    # The template's sections when the review was created, so later template edits never break it.
    sections = models.JSONField(default=list)
    title = models.CharField(max_length=200)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    content = models.JSONField(default=dict, blank=True)
    version = models.PositiveIntegerField(default=1)
    opens_at = models.DateTimeField(
        null=True, blank=True, help_text="Cooling-off: writing opens at this time."
    )
    published_at = models.DateTimeField(null=True, blank=True, db_index=True)
    meeting_at = models.DateTimeField(null=True, blank=True)
    meeting_location = models.CharField(max_length=200, blank=True)
    meeting_duration_minutes = models.PositiveSmallIntegerField(default=60)
    participants = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="reviews"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_historical = models.BooleanField(default=False, help_text="Imported from another system.")
    external_id = models.CharField(max_length=200, null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["team", "status"], name="review_team_status"),
            # Covers the visibility rule, so COUNT(*) for pagination reads no table rows.
            models.Index(fields=["team", "visibility"], name="review_team_visibility"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["team", "external_id"], name="review_external_id_unique"
            )
        ]

    def __str__(self) -> str:
        return self.title


class TimelineEntry(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="timeline")
    at = models.DateTimeField()
    text = models.TextField(max_length=5000)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["at", "position"]


class ContributingFactor(models.Model):
    class Category(models.TextChoices):
        TECHNOLOGY = "technology", "Technology and tools"
        PROCESS = "process", "Process and procedure"
        COMMUNICATION = "communication", "Communication and coordination"
        KNOWLEDGE = "knowledge", "Knowledge and training"
        ENVIRONMENT = "environment", "Environment and workload"
        ORGANISATION = "organisation", "Organisation and incentives"
        EXTERNAL = "external", "External dependency"

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="factors")
    category = models.CharField(max_length=20, choices=Category.choices)
    description = models.TextField(max_length=5000)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position"]


class Learning(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="learnings")
    text = models.TextField(max_length=5000)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position"]


class ReviewRevision(models.Model):
    """Every saved change: who (nobody for anonymous authors), when, what (full snapshot)."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="revisions")
    version = models.PositiveIntegerField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    title = models.CharField(max_length=200)
    content = models.JSONField(default=dict)
    summary = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(fields=["review", "version"], name="review_revision_unique")
        ]


class Comment(TimeStamped):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField(max_length=10000)

    class Meta:
        ordering = ["created_at", "id"]


class PrivateNote(TimeStamped):
    """The reporter's private notes while a review cools off. Only the author ever sees them."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="private_notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    body = models.TextField(max_length=20000)
