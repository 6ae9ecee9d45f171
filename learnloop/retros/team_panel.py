"""The learning-share rotation on the team page (members only)."""

from __future__ import annotations

from django.http import HttpRequest
from django.template.loader import render_to_string

from learnloop.accounts.models import Team, User
from learnloop.accounts.team_panels import register
from learnloop.accounts.visibility import team_ids_of
from learnloop.retros.rotation import share_panel


@register(60)
def learning_share(request: HttpRequest, team: Team) -> str:
    user = request.user
    if not isinstance(user, User) or team.pk not in team_ids_of(user):
        return ""
    panel = share_panel(team=team, viewer=user)
    return render_to_string(
        "retros/_share_panel.html", {"panel": panel, "team": team}, request=request
    )
