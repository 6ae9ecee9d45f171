"""Reading calendar feeds: the owner's list, and a feed by its secret for the subscribe URL."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone

from learnloop.accounts.models import Membership, Team, User
from learnloop.calendars.models import CalendarFeed
from learnloop.core.calendar import CalendarEvent, FeedScope, build_calendar, feed_events
from learnloop.core.urls_util import absolute_url

# A feed carries what happened in the last month and everything ahead for a year.
PAST = dt.timedelta(days=31)
AHEAD = dt.timedelta(days=366)


@dataclass(frozen=True)
class FeedRow:
    """A row of the calendar page: the personal feed or one of the person's teams."""

    team: Team | None
    feed: CalendarFeed | None

    @property
    def url(self) -> str:
        return feed_url(self.feed) if self.feed is not None else ""

    @property
    def label(self) -> str:
        return f"Team {self.team.name}" if self.team is not None else "Your calendar"


def feed_url(feed: CalendarFeed) -> str:
    return absolute_url(reverse("calendars:feed", args=[feed.secret]))


def feed_rows(user: User) -> list[FeedRow]:
    """The personal feed first, then one row per team of the person (with or without a feed)."""
    feeds = {f.team_id: f for f in CalendarFeed.objects.filter(user=user)}
    teams = Team.objects.filter(memberships__user=user).order_by("name")
    return [FeedRow(None, feeds.get(None))] + [FeedRow(t, feeds.get(t.pk)) for t in teams]


def feed_by_secret(secret: str) -> CalendarFeed | None:
    """The feed for a subscribe URL, or None when revoked, replaced or no longer allowed."""
    feed = CalendarFeed.objects.select_related("user", "team").filter(secret=secret).first()
    if feed is None or not feed.user.is_active:
        return None
    if (
        feed.team_id is not None
        and not Membership.objects.filter(user_id=feed.user_id, team_id=feed.team_id).exists()
    ):
        return None
    return feed


def feed_scope(feed: CalendarFeed, now: dt.datetime | None = None) -> FeedScope:
    now = now or timezone.now()
    if feed.team_id is not None:
        return FeedScope(None, (feed.team_id,), now - PAST, now + AHEAD)
    teams = tuple(Membership.objects.filter(user_id=feed.user_id).values_list("team_id", flat=True))
    return FeedScope(feed.user_id, teams, now - PAST, now + AHEAD)


def feed_document(feed: CalendarFeed) -> bytes:
    events: list[CalendarEvent] = feed_events(feed_scope(feed))
    name = f"Learnloop · {feed.team.name}" if feed.team is not None else "Learnloop"
    return build_calendar(events, name=name)
