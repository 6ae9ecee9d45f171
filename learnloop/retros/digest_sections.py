"""The weekly digest's retro section: retros of the person's teams meeting in the next week
(at the person's local time). Never a card, a vote or who wrote what."""

from __future__ import annotations

import datetime as dt

from learnloop.core.urls_util import absolute_url
from learnloop.notifications.digest import DigestItem, DigestScope, DigestSection, section
from learnloop.retros.models import Retro


def _when(retro: Retro, scope: DigestScope) -> str:
    assert retro.meeting_at is not None
    local = retro.meeting_at.astimezone(scope.tz)
    return f"{local:%a %d %b, %H:%M} {local.tzname()} (cards can be written now)"


@section("retros.upcoming", order=37)
def retros_ahead(scope: DigestScope) -> DigestSection | None:
    week = (scope.now, scope.now + dt.timedelta(days=7))
    upcoming = Retro.objects.filter(team_id__in=scope.team_ids, meeting_at__range=week)
    items = tuple(
        DigestItem(r.title, absolute_url(r.get_absolute_url()), _when(r, scope))
        for r in upcoming.order_by("meeting_at", "id")[:10]
    )
    return DigestSection("Retros this week", items) if items else None
