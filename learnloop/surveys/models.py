"""A psychological-safety survey round and its answers, stored so that no answer can be tied
to a person or a time (decision 0210).

* ``SurveyRound``: a team's round, opened by a team admin with a closing time.
* ``SurveyTally``: one counter per (round, question, point), all created when the round opens;
  an answer adds one to seven or more counters. There is no answer row at all, so there is
  nothing to join, order or date.
* ``SurveyCommentBox``: the round's free-text comments as one list, each new comment inserted
  at a random position, with no author and no time.
* ``SurveyParticipation``: "has answered", one row per person: no time, a random id, no link
  to the counters or the comments.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone

from learnloop.accounts.visibility import TeamOwned
from learnloop.core.ids import random_negative_id
from learnloop.core.models import TimeStamped

MIN_ANSWERS = 5  # the floor of every organisation's minimum (it can be raised, never lowered)
MIN_COMMENT_ANSWERS = 10
MAX_EXTRA_QUESTIONS = 5
MAX_COMMENT_LENGTH = 2000


class SurveyRound(TeamOwned, TimeStamped):
    title = models.CharField(max_length=200)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    closes_at = models.DateTimeField()
    closed_early_at = models.DateTimeField(null=True, blank=True)
    # Extra 1-7 agreement questions: [{"key": "x1", "text": "...", "reverse": false}, ...].
    extra_questions = models.JSONField(default=list, blank=True)
    allow_comments = models.BooleanField(default=True)
    # How many people could answer when it opened (the team's members then): "5 of 9 answered".
    eligible_count = models.PositiveIntegerField(default=0)
    version = models.PositiveIntegerField(default=1)
    # survey.round_closed has been emitted (surveys/events.py): once per round.
    closed_announced = models.BooleanField(default=False)

    class Meta:
        ordering = ["-closes_at", "-id"]
        indexes = [models.Index(fields=["team", "-closes_at"], name="surveys_round_team_closes")]

    def __str__(self) -> str:
        return self.title

    @property
    def closed_at(self) -> dt.datetime:
        return self.closed_early_at or self.closes_at

    @property
    def is_open(self) -> bool:
        return self.closed_early_at is None and self.closes_at > timezone.now()


class SurveyTally(models.Model):
    round = models.ForeignKey(SurveyRound, on_delete=models.CASCADE, related_name="tallies")
    question = models.CharField(max_length=16)  # "q1".."q7", "x1".., or "overall"
    point = models.PositiveSmallIntegerField()  # 1..7
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["round", "question", "point"], name="surveys_tally_unique"
            )
        ]


class SurveyCommentBox(models.Model):
    round = models.OneToOneField(
        SurveyRound, on_delete=models.CASCADE, related_name="comment_box", primary_key=True
    )
    answers = models.PositiveIntegerField(default=0)
    comments = models.JSONField(default=list, blank=True)


class SurveyParticipation(models.Model):
    id = models.BigIntegerField(primary_key=True, default=random_negative_id, editable=False)
    round = models.ForeignKey(SurveyRound, on_delete=models.CASCADE, related_name="participants")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["round", "user"], name="surveys_participation_unique")
        ]
