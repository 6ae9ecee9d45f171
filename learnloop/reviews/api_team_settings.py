"""``GET/PUT /api/teams/{slug}/settings``: a team's settings (decision 0111). Members read;
team admins (and organisation admins) write; another team's user gets 404."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from learnloop.accounts.http import AuthedHttpRequest
from learnloop.accounts.models import Team
from learnloop.accounts.visibility import can_manage_team, team_ids_of, teams_visible_to
from learnloop.api.errors import errors
from learnloop.api.types import BodyIn, Id, JsonInt
from learnloop.reviews.team_settings import team_settings, team_settings_update

router = Router(tags=["accounts"])


class TeamSettingsOut(Schema):
    cooling_off_hours: int
    min_learnings: int
    min_next_steps: int
    reminder_days_before: int
    default_template: int | None
    version: int


class TeamSettingsIn(BodyIn):
    cooling_off_hours: JsonInt
    min_learnings: JsonInt
    min_next_steps: JsonInt
    reminder_days_before: JsonInt
    default_template: Id | None = None  # None: choose by the incident's kind
    version: JsonInt


def _team(request: AuthedHttpRequest, slug: str) -> Team:
    team = get_object_or_404(teams_visible_to(request.user), slug=slug)
    if team.pk not in team_ids_of(request.user) and not can_manage_team(request.user, team):
        raise Http404
    return team


@router.get("/teams/{slug}/settings", response={200: TeamSettingsOut, **errors(404)})
def settings_read(request: AuthedHttpRequest, slug: str) -> dict[str, Any]:
    return team_settings(_team(request, slug))


@router.put(
    "/teams/{slug}/settings", response={200: TeamSettingsOut, **errors(400, 403, 404, 409, 422)}
)
def settings_update(
    request: AuthedHttpRequest, slug: str, payload: TeamSettingsIn
) -> dict[str, Any]:
    team = team_settings_update(
        actor=request.user, team=_team(request, slug), values=payload.dict()
    )
    return team_settings(team)
