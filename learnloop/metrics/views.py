"""The leaders' page "Is our loop working?" for a team (its members) or the organisation (its
admins), and each metric's CSV and JSON export. Thin: the numbers come from
``metrics.catalogue.board``, the same as the API's. Another team's page is a 404."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render

from learnloop.accounts.http import AuthedHttpRequest
from learnloop.accounts.visibility import member_teams
from learnloop.metrics.catalogue import CACHE_SECONDS, CATALOGUE, board
from learnloop.metrics.results import chart_data
from learnloop.metrics.scope import (
    WINDOWS,
    Scope,
    can_see_organisation,
    organisation_scope,
    parse_months,
    team_scope,
)


@login_required
def index(request: AuthedHttpRequest) -> HttpResponse:
    """Leaders go to the organisation's page; everyone else chooses one of their teams."""
    if can_see_organisation(request.user):
        return redirect("metrics:organisation")
    teams = member_teams(request.user)
    if len(teams) == 1:
        return redirect("metrics:team", slug=teams[0].slug)
    return render(request, "metrics/index.html", {"teams": teams})


def _page(request: AuthedHttpRequest, scope: Scope) -> HttpResponse:
    result = board(scope)
    metrics = [
        {
            "metric": m,
            "chart": chart_data(m),
            "script_id": f"m-{m.key}-data",
            "headers": m.headers(),
            "rows": m.rows(),
        }
        for m in result.metrics
    ]
    return render(
        request,
        "metrics/loop.html",
        {
            "scope": scope,
            "board": result,
            "items": metrics,
            "teams": member_teams(request.user),
            "is_leader": can_see_organisation(request.user),
            "windows": WINDOWS,
            "months": len(scope.months),
            "cache_minutes": CACHE_SECONDS // 60,
        },
    )


@login_required
def organisation(request: AuthedHttpRequest) -> HttpResponse:
    return _page(
        request, organisation_scope(request.user, months=parse_months(request.GET.get("months")))
    )


@login_required
def team(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    return _page(
        request, team_scope(request.user, slug, months=parse_months(request.GET.get("months")))
    )


def _export(scope: Scope, metric: str, fmt: str) -> HttpResponse:
    if metric not in CATALOGUE:
        raise Http404
    found = board(scope).get(metric)
    name = f"{scope.team.slug if scope.team else 'organisation'}-{metric}"
    if fmt == "json":
        response: HttpResponse = JsonResponse(found.as_json())
    else:
        response = HttpResponse(found.as_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


@login_required
def organisation_export(request: AuthedHttpRequest, metric: str, fmt: str) -> HttpResponse:
    scope = organisation_scope(request.user, months=parse_months(request.GET.get("months")))
    return _export(scope, metric, fmt)


@login_required
def team_export(request: AuthedHttpRequest, slug: str, metric: str, fmt: str) -> HttpResponse:
    scope = team_scope(request.user, slug, months=parse_months(request.GET.get("months")))
    return _export(scope, metric, fmt)
