"""The private reflection journal (docs/decisions/0170-private-journal.md).

A journal entry belongs to one person, not to a team: it is NOT ``TeamOwned`` and never goes
through the team visibility rule. The one rule is "its author, and nobody else": every read
filters on ``author`` (``Entry.objects.of(user)``), so another person asking for an entry by
id, team and organisation admins and operators included, gets 404. The model is not registered
in the operator admin, is not in the search index (the author's own results are searched
directly), in metrics, in related suggestions or in any export but its author's own.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse

from learnloop.core.models import TimeStamped

TITLE_MAX = 200
ANSWER_MAX = 10000


class LinkKind(models.TextChoices):
    INCIDENT = "incident", "Incident"
    REVIEW = "review", "Review"
    DELIVERABLE = "deliverable", "Deliverable"
    EXPERIMENT = "experiment", "Experiment"
    RETRO = "retro", "Retro"


def framework_key(pk: int) -> str:
    """The key entries and forms name a custom framework by."""
    return f"custom-{pk}"


class Framework(TimeStamped):
    """A person's own framework (``owner`` set) or one for the whole organisation (no owner)."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="journal_frameworks",
    )
    name = models.CharField(max_length=120)
    description = models.CharField(max_length=300, blank=True)
    prompts = models.JSONField(default=list)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def key(self) -> str:
        return framework_key(self.pk)


class EntryQuerySet(models.QuerySet["Entry"]):
    def of(self, user: Any) -> EntryQuerySet:
        """The entries ``user`` wrote: the only entries anyone can ever read."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(author_id=user.pk)


class Entry(TimeStamped):
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="journal_entries"
    )
    title = models.CharField(max_length=TITLE_MAX)
    framework_key = models.CharField(max_length=60)
    framework_name = models.CharField(max_length=120)
    # The prompts as they were when the entry was written: [{"key", "label", "help"}].
    prompts = models.JSONField(default=list)
    answers = models.JSONField(default=dict)
    # The author's own labels, kept on the entry: the organisation's shared tag table would
    # show a private entry's tag names to everyone.
    tags = models.JSONField(default=list)
    link_kind = models.CharField(max_length=16, choices=LinkKind.choices, blank=True)
    link_id = models.BigIntegerField(null=True, blank=True)
    # Shared on purpose (decisions/0171): a named share remembers its lesson; an anonymous one
    # only that it happened, no lesson id and no time (the lesson must not be linkable).
    shared_lesson = models.ForeignKey(
        "lessons.Lesson", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    shared_anonymously = models.BooleanField(default=False)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = EntryQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["author", "-created_at", "-id"], name="journal_recent")]
        verbose_name_plural = "entries"

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        """The entry's page: its author's only (anyone else gets 404 there)."""
        return reverse("journal:detail", args=[self.pk])

    def answered(self) -> list[dict[str, str]]:
        """The prompts with their answers, in order, answered ones only."""
        answers = self.answers or {}
        return [
            {**prompt, "answer": answers[prompt["key"]]}
            for prompt in self.prompts
            if (answers.get(prompt["key"]) or "").strip()
        ]

    @property
    def shared(self) -> bool:
        return self.shared_anonymously or self.shared_lesson_id is not None

    @property
    def link(self) -> str:
        """What the entry is about as the API names it: "incident:<id>", "review:<id>", ..."""
        return f"{self.link_kind}:{self.link_id}" if self.link_kind else ""


class Reminder(models.Model):
    """Opt-in weekly reminder: no row, no reminder."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="journal_reminder"
    )
    weekday = models.PositiveSmallIntegerField()  # 0 = Monday … 6 = Sunday
