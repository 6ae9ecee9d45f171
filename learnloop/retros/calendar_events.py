"""Retro meetings in the calendar feeds (found by the calendars app): a person's retros (as
facilitator or participant) or all of a team's, with their meeting time and length."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from urllib.parse import urlsplit

from learnloop.core.calendar import CalendarEvent, FeedScope, source, taking_part
from learnloop.core.urls_util import absolute_url
from learnloop.retros.models import Retro


@source("retros.meetings")
def retro_meetings(scope: FeedScope) -> Iterator[CalendarEvent]:
    retros = Retro.objects.filter(
        team_id__in=scope.team_ids, meeting_at__gte=scope.start, meeting_at__lte=scope.end
    )
    retros = taking_part(retros, scope, "facilitator_id", "participants__id")
    host = urlsplit(absolute_url("/")).hostname or "learnloop"
    for retro in retros.order_by("meeting_at", "id"):
        assert retro.meeting_at is not None
        url = absolute_url(retro.get_absolute_url())
        yield CalendarEvent(
            uid=f"retro-{retro.pk}@{host}",
            summary=f"Retro: {retro.title}",
            start=retro.meeting_at,
            end=retro.meeting_at + dt.timedelta(minutes=retro.meeting_duration_minutes),
            description=url,
            url=url,
            categories=("Learnloop retro",),
        )
