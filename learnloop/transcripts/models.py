"""A meeting's turn-taking, from an uploaded WebVTT transcript (decision 0211).

* ``Transcript``: one analysed meeting of a team, uploaded by its facilitator, seen only by
  the people listed as its participants (the facilitator is always one). The transcript's text
  is kept only when the facilitator asks for it (``text``); otherwise only the numbers below
  are stored.
* ``SpeakerTotal``: per speaker of that meeting, as named in the transcript: speaking time,
  turns and longest monologue. Never compared across meetings.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse

from learnloop.accounts.visibility import TeamOwned
from learnloop.core.models import TimeStamped


class Kind(models.TextChoices):
    REVIEW = "review", "Review meeting"
    RETRO = "retro", "Retrospective"
    SHOWCASE = "showcase", "Experiment showcase"
    MEETING = "meeting", "Other team meeting"


class Transcript(TeamOwned, TimeStamped):
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.MEETING)
    review = models.ForeignKey(
        "reviews.Review", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    retro = models.ForeignKey(
        "retros.Retro", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    held_on = models.DateField()
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    participants = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="transcripts"
    )
    duration_ms = models.PositiveIntegerField()
    speaking_ms = models.PositiveIntegerField()
    unattributed_ms = models.PositiveIntegerField(default=0)
    cues = models.PositiveIntegerField()
    speaker_count = models.PositiveSmallIntegerField()
    turns = models.PositiveIntegerField()
    interruptions = models.PositiveIntegerField()
    balance = models.FloatField()  # 1 - Gini of the speakers' speaking times
    reading = models.CharField(max_length=300)
    # The WebVTT text, only when the facilitator chose to keep it; "" otherwise.
    text = models.TextField(blank=True, default="")
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["team", "held_on"], name="transcript_team_held")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("transcripts:detail", args=[self.pk])

    @property
    def kept(self) -> bool:
        return bool(self.text)


class SpeakerTotal(models.Model):
    transcript = models.ForeignKey(Transcript, on_delete=models.CASCADE, related_name="speakers")
    position = models.PositiveSmallIntegerField()  # most speaking time first
    name = models.CharField(max_length=100)
    speaking_ms = models.PositiveIntegerField()
    turns = models.PositiveIntegerField()
    longest_turn_ms = models.PositiveIntegerField()

    class Meta:
        ordering = ["transcript", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["transcript", "position"], name="transcripts_speaker_position"
            )
        ]

    @property
    def share(self) -> float:
        total = self.transcript.speaking_ms
        return self.speaking_ms / total if total else 0.0
