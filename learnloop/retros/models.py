"""Retrospectives: formats as data, retros with phases, cards, topics (groups) and votes.

Anonymous cards follow decisions/0010 and 0161: a random negative id, no author, no time at
all (no card row has a timestamp; order within a column is a random key), and only the hash of
a random capability secret that lives in the writer's browser.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse

from learnloop.accounts.visibility import TeamOwned
from learnloop.core.ids import random_negative_id
from learnloop.core.models import TimeStamped

CARD_MAX = 1000
TITLE_MAX = 200


def random_order_key() -> int:
    """A card's or topic's place in its column: random, so order says nothing about time."""
    return secrets.randbelow(2**31)


class RetroFormat(TimeStamped):
    """Shipped formats have no team; a team's formats are copies it edits.

    ``columns``: ``[{"key", "title", "prompt"}]``.
    """

    team = models.ForeignKey(
        "accounts.Team", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=60)
    description = models.TextField(blank=True, max_length=2000)
    columns = models.JSONField(default=list)
    is_shipped = models.BooleanField(default=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    copied_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-is_shipped", "name", "id"]

    def __str__(self) -> str:
        return self.name


class Phase(models.TextChoices):
    COLLECT = "collect", "Collect"
    REVEAL = "reveal", "Reveal"
    GROUP = "group", "Group"
    VOTE = "vote", "Vote"
    DISCUSS = "discuss", "Discuss"
    ACTIONS = "actions", "Actions"
    CLOSED = "closed", "Closed"


PHASE_ORDER = list(Phase.values)


class Anonymity(models.TextChoices):
    NAMED = "named", "Named cards"
    ALLOWED = "allowed", "Anonymous cards allowed"
    ALL = "all", "All cards anonymous"


class Retro(TeamOwned, TimeStamped):
    title = models.CharField(max_length=TITLE_MAX)
    format = models.ForeignKey(
        RetroFormat, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Copied from the format when the retro is created.
    columns = models.JSONField(default=list)
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    participants = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="retros"
    )
    incident = models.ForeignKey(
        "incidents.Incident", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    review = models.ForeignKey(
        "reviews.Review", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    deliverable = models.ForeignKey(
        "debriefs.Deliverable", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    experiment = models.ForeignKey(
        "experiments.Experiment",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The id in an export (``retro-<pk>`` when made here; decisions/0053).
    external_id = models.CharField(max_length=200, null=True, blank=True)
    meeting_at = models.DateTimeField(null=True, blank=True)
    meeting_duration_minutes = models.PositiveIntegerField(default=60)
    phase = models.CharField(max_length=16, choices=Phase.choices, default=Phase.COLLECT)
    anonymity = models.CharField(max_length=16, choices=Anonymity.choices, default=Anonymity.NAMED)
    votes_per_person = models.PositiveIntegerField(default=3)
    votes_per_topic = models.PositiveIntegerField(default=2)
    timer_ends_at = models.DateTimeField(null=True, blank=True)
    # Every change anyone in the room should see adds one: the live poll's ETag (decisions/0163).
    state_version = models.PositiveIntegerField(default=1)
    # Settings edits (title, meeting, limits) name the version they started from.
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["team", "-created_at"], name="retro_team_created")]
        constraints = [
            models.UniqueConstraint(fields=["team", "external_id"], name="retro_external_id_unique")
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("retros:detail", args=[self.pk])

    def column_title(self, key: str) -> str:
        return next((c["title"] for c in self.columns if c.get("key") == key), key)

    @property
    def phase_index(self) -> int:
        return PHASE_ORDER.index(self.phase)


#: What a retro can be about: each is a foreign key of ``Retro`` to one of its team's objects.
LINK_KINDS = ("deliverable", "experiment", "incident")


def link_model(kind: str) -> Any:
    """The model a retro's ``kind`` link points at, read from the foreign key itself."""
    return Retro._meta.get_field(kind).related_model


class Topic(models.Model):
    """A group of cards: what people vote on and discuss. Every card is in one by the vote."""

    retro = models.ForeignKey(Retro, on_delete=models.CASCADE, related_name="topics")
    title = models.CharField(max_length=TITLE_MAX, blank=True)
    notes = models.TextField(blank=True, max_length=10000)
    notes_version = models.PositiveIntegerField(default=1)
    order_key = models.PositiveIntegerField(default=random_order_key)

    class Meta:
        ordering = ["order_key", "id"]

    def __str__(self) -> str:
        return self.title or f"Topic {self.pk}"


class Card(models.Model):
    """No timestamps on purpose (anonymous cards must not carry a time, and a card that has
    one beside cards that have none would stand out). Anonymous: random negative id, no
    author, ``secret_hash`` = SHA-256 of the capability secret the writer's browser keeps."""

    retro = models.ForeignKey(Retro, on_delete=models.CASCADE, related_name="cards")
    column = models.CharField(max_length=60)
    text = models.TextField(max_length=CARD_MAX)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_anonymous = models.BooleanField(default=False)
    secret_hash = models.CharField(max_length=64, blank=True)
    topic = models.ForeignKey(
        Topic, null=True, blank=True, on_delete=models.SET_NULL, related_name="cards"
    )
    order_key = models.PositiveIntegerField(default=random_order_key)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["order_key", "id"]
        indexes = [models.Index(fields=["retro", "order_key"], name="retro_card_order")]

    def __str__(self) -> str:
        return self.text[:40]

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.is_anonymous:
            self.author = None
            if self._state.adding and self.pk is None:
                # Outside the sequence: its place among named cards' ids says nothing.
                self.pk = random_negative_id()
                kwargs["force_insert"] = True
        super().save(*args, **kwargs)


class Vote(models.Model):
    """One vote by one person on one topic (several rows up to ``votes_per_topic``)."""

    retro = models.ForeignKey(Retro, on_delete=models.CASCADE, related_name="votes")
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="votes")
    voter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        indexes = [models.Index(fields=["retro", "voter"], name="retro_vote_voter")]


class TopicAction(models.Model):
    """An action that came out of a retro (its topic, if any): the carry-over reads these."""

    retro = models.ForeignKey(Retro, on_delete=models.CASCADE, related_name="topic_actions")
    topic = models.ForeignKey(
        Topic, null=True, blank=True, on_delete=models.SET_NULL, related_name="topic_actions"
    )
    action = models.OneToOneField(
        "actions.Action", on_delete=models.CASCADE, related_name="retro_link"
    )


class CarryOver(models.Model):
    """How a later retro marked an open action of an earlier one."""

    class Outcome(models.TextChoices):
        DONE = "done", "Done"
        OPEN = "open", "Still open"
        DROPPED = "dropped", "Dropped"

    retro = models.ForeignKey(Retro, on_delete=models.CASCADE, related_name="carry_overs")
    action = models.ForeignKey("actions.Action", on_delete=models.CASCADE, related_name="+")
    outcome = models.CharField(max_length=16, choices=Outcome.choices)
    reason = models.CharField(max_length=500, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["retro", "action"], name="retro_carry_over_unique")
        ]


class ShareAvailability(models.Model):
    """A member's standing for the five-minute learning share: away for now, or opted out."""

    team = models.ForeignKey("accounts.Team", on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    away = models.BooleanField(default=False)
    opted_out = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["team", "user"], name="retro_share_availability_unique")
        ]


class ShareTurn(models.Model):
    """One pick of the rotation and what became of it. ``pending`` is the person named for the
    next meeting; ``done`` and ``skipped`` are history. ``seed`` is the random seed that broke a
    tie among equally due people (recorded, so the pick can be explained and replayed)."""

    class Status(models.TextChoices):
        PENDING = "pending", "Next"
        DONE = "done", "Shared"
        SKIPPED = "skipped", "Skipped"

    team = models.ForeignKey("accounts.Team", on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    seed = models.BigIntegerField(null=True, blank=True)
    tied = models.PositiveIntegerField(default=1)  # how many people were equally due
    chosen_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-chosen_at", "-id"]
        indexes = [models.Index(fields=["team", "status"], name="retro_share_team_status")]
