"""Showcase meetings in the calendar feeds (found by the calendars app; decisions/0190)."""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import Q

from learnloop.accounts.models import Team
from learnloop.core.calendar import CalendarEvent, FeedScope, source
from learnloop.core.models import Visibility
from learnloop.experiments.models import Showcase, ShowcaseScope
from learnloop.experiments.showcase_export import showcase_event


@source("experiments.showcases")
def showcase_meetings(scope: FeedScope) -> Iterator[CalendarEvent]:
    """The showcases of the feed's teams, and the organisation's showcases (organisation-visible
    by construction) of the organisations those teams belong to."""
    organisations = Team.objects.filter(pk__in=scope.team_ids).values("organisation_id")
    showcases = Showcase.objects.filter(
        Q(team_id__in=scope.team_ids)
        | Q(
            scope=ShowcaseScope.ORGANISATION,
            visibility=Visibility.ORGANISATION,
            team__organisation_id__in=organisations,
        ),
        meeting_at__gte=scope.start,
        meeting_at__lte=scope.end,
    ).select_related("facilitator")
    for showcase in showcases.order_by("meeting_at", "id"):
        yield showcase_event(showcase)
