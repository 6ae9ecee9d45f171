"""A private calendar feed: a random secret in a URL that calendar apps subscribe to."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q

from learnloop.core.models import TimeStamped


class CalendarFeed(TimeStamped):
    """One person's subscribe URL: their own things (``team`` empty) or one team's calendar.

    The secret is the only credential a calendar app can send, so it is long and random, shown
    to its owner on the calendar page, and replaced (the old URL then answers 404) or deleted
    on request. A team feed stops working the moment its owner leaves the team.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feeds"
    )
    team = models.ForeignKey(
        "accounts.Team", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    secret = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["team__name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"], condition=Q(team__isnull=True), name="calendar_feed_personal"
            ),
            models.UniqueConstraint(fields=["user", "team"], name="calendar_feed_team"),
        ]

    def __str__(self) -> str:
        return f"Calendar feed of {self.user} ({self.team or 'personal'})"

    @staticmethod
    def new_secret() -> str:
        return secrets.token_urlsafe(32)
