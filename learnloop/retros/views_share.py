"""The learning-share rotation's two forms on the team page: decide the turn, set one's own
standing. Another team's people get 404."""

from __future__ import annotations

import contextlib

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from learnloop.accounts.http import AuthedHttpRequest
from learnloop.accounts.models import Team
from learnloop.accounts.visibility import team_ids_of
from learnloop.core.errors import ApplicationError
from learnloop.retros import rotation


def _team(request: AuthedHttpRequest, slug: str) -> Team:
    team = Team.objects.filter(pk__in=team_ids_of(request.user), slug=slug).first()
    if team is None:
        raise Http404
    return team


def _back(team: Team) -> HttpResponse:
    return redirect(reverse("accounts:team-detail", args=[team.slug]) + "#learning-share")


@login_required
@require_POST
def share_decide(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    team = _team(request, slug)
    with contextlib.suppress(ApplicationError):  # the panel shows the state as it is
        rotation.share_decide(
            actor=request.user, team=team, outcome=request.POST.get("outcome", "")
        )
    return _back(team)


@login_required
@require_POST
def share_draw(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    """Name who shares next when nobody is (the team page only reads; decisions/0165)."""
    team = _team(request, slug)
    rotation.share_draw(actor=request.user, team=team)
    return _back(team)


@login_required
@require_POST
def share_me(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    team = _team(request, slug)
    rotation.share_set_availability(
        actor=request.user,
        team=team,
        away=request.POST.get("away") == "on",
        opted_out=request.POST.get("opted_out") == "on",
    )
    return _back(team)
