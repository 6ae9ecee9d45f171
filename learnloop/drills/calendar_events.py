"""Planned drills in the calendar feeds, as all-day events (found by the calendars app): a
person's drills (as facilitator or participant) or all of a team's. Nothing about results."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

from django.urls import reverse

from learnloop.core.calendar import CalendarEvent, FeedScope, source, taking_part
from learnloop.core.urls_util import absolute_url
from learnloop.drills.models import Drill, DrillStatus


@source("drills.planned")
def planned_drills(scope: FeedScope) -> Iterator[CalendarEvent]:
    drills = Drill.objects.filter(
        team_id__in=scope.team_ids,
        status=DrillStatus.PLANNED,
        planned_for__gte=scope.start.date(),
        planned_for__lte=scope.end.date(),
    )
    drills = taking_part(drills, scope, "facilitator_id", "participants__id")
    host = urlsplit(absolute_url("/")).hostname or "learnloop"
    for drill in drills.order_by("planned_for", "id"):
        url = absolute_url(reverse("drills:detail", args=[drill.pk]))
        yield CalendarEvent(
            uid=f"drill-{drill.pk}@{host}",
            summary=f"Drill: {drill.title}",
            start=drill.planned_for,
            description=url,
            url=url,
            categories=("Learnloop drill",),
        )
