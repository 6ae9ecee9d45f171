"""The team page's celebration panel: the team's recent learning cards, "stopped on data" ones
first among equals, each with applause (reactable kind ``learning_card``). There is no team
feed in Learnloop; the team page is where a team sees itself (decisions/0152)."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone

from learnloop.accounts.models import Team, User
from learnloop.accounts.team_panels import register
from learnloop.applause.selectors import bars_for
from learnloop.experiments.models import LearningCard

DAYS = 90
LIMIT = 6


def recent_cards(user: User, team: Team) -> list[LearningCard]:
    since = timezone.now() - dt.timedelta(days=DAYS)
    return list(
        LearningCard.objects.visible_to(user)
        .filter(team=team, created_at__gte=since)
        .select_related("experiment", "created_by")
        .order_by("-created_at", "-id")[:LIMIT]
    )


@register(30)
def celebrations(request: HttpRequest, team: Team) -> str:
    user = request.user
    if not isinstance(user, User):
        return ""
    cards = recent_cards(user, team)
    if not cards:
        return ""
    return render_to_string(
        "experiments/_team_panel.html",
        {
            "cards": cards,
            "team": team,
            "bars": bars_for(user=user, kind="learning_card", ids=[c.pk for c in cards]),
        },
        request=request,
    )
