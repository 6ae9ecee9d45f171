"""The weekly digest's experiment sections: the week's "stopped on data" wins in the person's
teams, and showcases coming up in the next two weeks (at the person's local time)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q

from learnloop.core.models import Visibility
from learnloop.core.urls_util import absolute_url
from learnloop.experiments.models import Decision, Experiment, Showcase, ShowcaseScope, State
from learnloop.notifications.digest import DigestItem, DigestScope, DigestSection, section

AHEAD = dt.timedelta(days=14)
LIMIT = 10


@section("experiments.stopped_on_data", order=25)
def stopped_on_data(scope: DigestScope) -> DigestSection | None:
    wins = Experiment.objects.filter(
        team_id__in=scope.team_ids,
        state=State.DECIDED,
        decision__in=[Decision.STOP, Decision.PIVOT],
        decided_at__gte=scope.since,
        decided_at__lt=scope.now,
    ).order_by("decided_at", "id")[:LIMIT]
    items = tuple(
        DigestItem(
            e.title,
            absolute_url(e.get_absolute_url()),
            "pivoted on data" if e.decision == Decision.PIVOT else "stopped on data",
        )
        for e in wins
    )
    if not items:
        return None
    return DigestSection("Stopped on data this week — wins worth applause", items)


@section("experiments.showcase", order=35)
def showcases_ahead(scope: DigestScope) -> DigestSection | None:
    organisation = scope.user.organisation_id
    showcases = Showcase.objects.filter(
        Q(team_id__in=scope.team_ids)
        | Q(
            scope=ShowcaseScope.ORGANISATION,
            visibility=Visibility.ORGANISATION,
            team__organisation_id=organisation,
        ),
        meeting_at__gte=scope.now,
        meeting_at__lte=scope.now + AHEAD,
    ).order_by("meeting_at", "id")[:LIMIT]
    items = []
    for showcase in showcases:
        assert showcase.meeting_at is not None
        local = showcase.meeting_at.astimezone(scope.tz)
        where = f", {showcase.location}" if showcase.location else ""
        items.append(
            DigestItem(
                showcase.title,
                absolute_url(showcase.get_absolute_url()),
                f"{local:%a %d %b, %H:%M} {local.tzname()}{where}",
            )
        )
    return DigestSection("Experiment showcases coming up", tuple(items)) if items else None
