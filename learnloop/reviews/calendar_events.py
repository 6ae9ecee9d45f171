"""Review meetings in the calendar feeds (found by the calendars app; decisions/0190)."""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import Q

from learnloop.core.calendar import CalendarEvent, FeedScope, source
from learnloop.reviews.meeting import meeting_event
from learnloop.reviews.models import Review


@source("reviews.meetings")
def review_meetings(scope: FeedScope) -> Iterator[CalendarEvent]:
    """A person's feed: meetings they are invited to (participants, or the whole team when a
    review has none, as the invitation goes). A team's feed: every meeting of the team."""
    reviews = Review.objects.filter(
        team_id__in=scope.team_ids, meeting_at__gte=scope.start, meeting_at__lte=scope.end
    )
    if scope.user_id is not None:
        invited = Q(participants__id=scope.user_id) | Q(participants__isnull=True)
        reviews = reviews.filter(pk__in=Review.objects.filter(invited).values("pk"))
    for review in reviews.order_by("meeting_at", "id"):
        yield meeting_event(review, attendees=[])
