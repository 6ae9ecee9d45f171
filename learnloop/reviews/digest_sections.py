"""The weekly digest's review section: meetings the person is invited to in the next two weeks,
at their local time."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q

from learnloop.notifications.digest import DigestItem, DigestScope, DigestSection, section
from learnloop.reviews.meeting import review_url
from learnloop.reviews.models import Review

AHEAD = dt.timedelta(days=14)


@section("reviews.meetings", order=30)
def upcoming_meetings(scope: DigestScope) -> DigestSection | None:
    invited = Q(participants=scope.user) | Q(participants__isnull=True)
    reviews = Review.objects.filter(
        team_id__in=scope.team_ids,
        meeting_at__gte=scope.now,
        meeting_at__lte=scope.now + AHEAD,
        pk__in=Review.objects.filter(invited).values("pk"),
    ).order_by("meeting_at", "id")[:10]
    items = []
    for review in reviews:
        assert review.meeting_at is not None
        local = review.meeting_at.astimezone(scope.tz)
        where = f", {review.meeting_location}" if review.meeting_location else ""
        items.append(
            DigestItem(
                review.title, review_url(review), f"{local:%a %d %b, %H:%M} {local.tzname()}{where}"
            )
        )
    return DigestSection("Review meetings coming up", tuple(items)) if items else None
