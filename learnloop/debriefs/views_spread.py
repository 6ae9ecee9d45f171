"""Team-level debrief pages: the recognition spread (decisions/0143: my numbers, the team's
spread for its admins and facilitators, the Gini per team over time for organisation admins)
and the nudge setting (decisions/0145)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render

from learnloop.accounts.http import AuthedHttpRequest
from learnloop.accounts.models import Team
from learnloop.accounts.visibility import can_manage_team, team_ids_of
from learnloop.core.errors import ApplicationError
from learnloop.core.validation import id_or_none
from learnloop.debriefs import nudges, spread


@login_required
def spread_page(request: AuthedHttpRequest) -> HttpResponse:
    user = request.user
    teams = list(Team.objects.filter(pk__in=team_ids_of(user)).order_by("name"))
    slug = request.GET.get("team")
    team = next((t for t in teams if t.slug == slug), None) if slug else None
    if slug and team is None:
        raise Http404
    team = team or (teams[0] if teams else None)
    days = id_or_none(request.GET.get("days")) or spread.DEFAULT_DAYS
    days = days if days in spread.PERIODS else spread.DEFAULT_DAYS
    start, end = spread.period(days)
    context: dict[str, object] = {
        "teams": teams,
        "team": team,
        "days": days,
        "periods": spread.PERIODS.items(),
        "min_people": spread.MIN_PEOPLE,
    }
    if team is not None:
        context["mine"] = spread.my_numbers(user=user, team=team, start=start, end=end)
        if spread.can_see_spread(user, team):
            context["spread"] = spread.team_spread(team=team, start=start, end=end)
    if user.is_org_admin and user.organisation_id:
        labels, trends = spread.organisation_trend(organisation_id=user.organisation_id)
        context["trend_labels"] = labels
        context["trends"] = trends
    return render(request, "debriefs/spread.html", context)


@login_required
def nudge_settings(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    """Team admins set how many quiet days before the people on a deliverable are nudged."""
    team = Team.objects.filter(organisation_id=request.user.organisation_id or 0, slug=slug).first()
    if team is None or not can_manage_team(request.user, team):
        raise Http404
    error = ""
    days: object = nudges.nudge_days(team)
    if request.method == "POST":
        days = request.POST.get("days", "")
        try:
            team = nudges.nudge_days_set(
                actor=request.user, team=team, days=days, version=request.POST.get("version")
            )
        except ApplicationError as exc:
            error = " ".join(m for ms in exc.fields.values() for m in ms) or exc.message
        else:
            messages.success(request, "Saved.")
            return redirect("debriefs:nudge-settings", slug=team.slug)
    return render(
        request,
        "debriefs/nudge_settings.html",
        {"team": team, "days": days, "error": error, "max_days": nudges.MAX_DAYS},
        status=409 if "changed" in error else 400 if error else 200,
    )
