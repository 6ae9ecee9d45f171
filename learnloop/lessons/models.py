"""Lessons: short, reusable statements of what was learned, with a link to where they came from.

A lesson's source is described by ``source_kind`` plus one nullable foreign key per kind of
source (``source_review``, ``source_debrief_entry``; experiments, retros and journal entries add their own
key later without touching existing rows), and a generic ``source_url``/``source_label`` for
sources outside Learnloop (imports, manual links). See docs/decisions/0050-lesson-sources.md.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from learnloop.accounts.visibility import TeamOwned
from learnloop.core.anonymity import stamp_save
from learnloop.core.models import TimeStamped

STATEMENT_MAX = 300
CONTEXT_MAX = 10000


class SourceKind(models.TextChoices):
    REVIEW = "review", "Review"
    DEBRIEF = "debrief", "Debrief"
    EXPERIMENT = "experiment", "Experiment"
    RETRO = "retro", "Retrospective"
    JOURNAL = "journal", "Journal entry"
    MANUAL = "manual", "Written directly"
    IMPORT = "import", "Imported"


class Lesson(TeamOwned, TimeStamped):
    # Not auto_now/auto_now_add: save() sets them, rounded to the day for anonymous lessons
    # (shared anonymously from a journal, decisions/0171), so their exact time is never written.
    created_at = models.DateTimeField(default=timezone.now, db_index=True, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)
    # Copy of team.organisation (a lesson never changes team), so the library filters and sorts
    # on one index without joining teams: docs/decisions/0052-library-at-scale.md.
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="+", editable=False
    )
    statement = models.CharField(max_length=STATEMENT_MAX)
    context = models.TextField(blank=True, max_length=CONTEXT_MAX)
    tags = models.ManyToManyField("core.Tag", blank=True, related_name="lessons")
    source_kind = models.CharField(
        max_length=16, choices=SourceKind.choices, default=SourceKind.MANUAL
    )
    source_review = models.ForeignKey(
        "reviews.Review", null=True, blank=True, on_delete=models.SET_NULL, related_name="lessons"
    )
    # Mostly NULL: indexed by partial indexes in Meta (decision 0177), not Django's plain index.
    source_retro = models.ForeignKey(
        "retros.Retro",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="lessons",
        db_index=False,
    )
    source_experiment = models.ForeignKey(
        "experiments.Experiment",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="lessons",
        db_index=False,
    )
    # The learning this lesson was promoted from: at most one lesson per learning.
    learning = models.OneToOneField(
        "reviews.Learning",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="lesson",
    )
    # The debrief entry (a lesson learned or an opportunity) this lesson was promoted from when
    # its deliverable closed: at most one lesson per entry (decisions/0144).
    source_debrief_entry = models.OneToOneField(
        "debriefs.DebriefEntry",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="lesson",
    )
    source_url = models.URLField(max_length=500, blank=True)
    source_label = models.CharField(max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    external_id = models.CharField(max_length=200, null=True, blank=True)
    # Denormalised COUNT of applications, kept in step by services and a post_delete receiver,
    # so "most applied" sorts on an index instead of a GROUP BY over 100,000 rows.
    applied_count = models.PositiveIntegerField(default=0)
    # Optimistic concurrency: every edit names the version it started from (decisions/0014).
    version = models.PositiveIntegerField(default=1, editable=False)
    # Shared anonymously (decisions/0010, 0171): no author, a random negative id, a date only.
    is_anonymous = models.BooleanField(default=False, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["organisation", "-created_at", "-id"], name="lesson_recent"),
            models.Index(
                fields=["organisation", "-applied_count", "-id"], name="lesson_most_applied"
            ),
            models.Index(fields=["organisation", "statement", "id"], name="lesson_statement"),
            models.Index(
                fields=["organisation", "source_kind", "-created_at", "-id"],
                name="lesson_kind_recent",
            ),
            models.Index(fields=["team", "-created_at", "-id"], name="lesson_team_recent"),
            # Partial: a plain index on a column that is NULL in nearly every row gives SQLite's
            # ANALYZE one "value" covering the table, and the planner then scans the created_at
            # index instead (40 ms at 1M rows; 0.03 ms with these). Decision 0177.
            models.Index(
                fields=["source_experiment", "-created_at", "-id"],
                name="lesson_source_experiment",
                condition=models.Q(source_experiment__isnull=False),
            ),
            models.Index(
                fields=["source_retro", "-created_at", "-id"],
                name="lesson_source_retro",
                condition=models.Q(source_retro__isnull=False),
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["team", "external_id"], name="lesson_external_id_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.statement

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.organisation_id = self.team.organisation_id
        stamp_save(self, kwargs, anonymous=self.is_anonymous, person_field="created_by")
        super().save(*args, **kwargs)

    @property
    def source_key(self) -> str:
        """``<kind>:<id>`` of the source inside Learnloop (used by the library's source filter)."""
        if self.source_review_id:
            return f"review:{self.source_review_id}"
        if self.source_debrief_entry_id:
            return f"entry:{self.source_debrief_entry_id}"
        if self.source_retro_id:
            return f"retro:{self.source_retro_id}"
        if self.source_experiment_id:
            return f"experiment:{self.source_experiment_id}"
        return ""


class TargetKind(models.TextChoices):
    INCIDENT = "incident", "Incident"
    EXPERIMENT = "experiment", "Experiment"
    DELIVERABLE = "deliverable", "Deliverable"
    REVIEW = "review", "Review"


class LessonApplication(models.Model):
    """ "Applied here": a lesson reused on a new incident (later experiments, deliverables).

    The same target counts once per lesson. ``team`` is the target's team: the reuse happened
    there. ``target_id`` is the target's primary key in Learnloop; ``target_url`` is for targets
    outside it. Incidents also get a real foreign key so that deleting an incident removes its
    applications (and the count follows, see signals.py).
    """

    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="applications")
    team = models.ForeignKey("accounts.Team", on_delete=models.CASCADE, related_name="+")
    target_kind = models.CharField(max_length=16, choices=TargetKind.choices)
    # Signed: anonymous incident reports get ids outside the sequence, some negative.
    target_id = models.BigIntegerField(null=True, blank=True)
    target_url = models.URLField(max_length=500, blank=True)
    incident = models.ForeignKey(
        "incidents.Incident",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="lesson_applications",
    )
    note = models.CharField(max_length=500, blank=True)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["lesson", "target_kind", "target_id"],
                condition=Q(target_id__isnull=False),
                name="lesson_application_target_unique",
            ),
            models.UniqueConstraint(
                fields=["lesson", "target_kind", "target_url"],
                condition=Q(target_id__isnull=True),
                name="lesson_application_url_unique",
            ),
            models.CheckConstraint(
                condition=Q(target_id__isnull=False) | ~Q(target_url=""),
                name="lesson_application_has_target",
            ),
        ]


class ImportRecord(TimeStamped):
    """Where an imported review came from: the front matter as read, so export can write it back
    (company, product, categories and keywords have no column of their own elsewhere)."""

    team = models.ForeignKey("accounts.Team", on_delete=models.CASCADE, related_name="+")
    external_id = models.CharField(max_length=200)
    incident = models.ForeignKey(
        "incidents.Incident", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    review = models.ForeignKey(
        "reviews.Review", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    front_matter = models.JSONField(default=dict)
    path = models.CharField(max_length=1000, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["team", "external_id"], name="import_record_unique")
        ]
