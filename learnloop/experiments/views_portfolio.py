"""The portfolio page: a team's (or the organisation's) experiments as a whole."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from learnloop.accounts.http import AuthedHttpRequest
from learnloop.accounts.models import Team, User
from learnloop.accounts.visibility import teams_visible_to
from learnloop.experiments import phase_rules, portfolio, services
from learnloop.experiments.models import Experiment, duration_label
from learnloop.experiments.views import chosen_team


def portfolio_for(user: User, *, team: Team | None) -> tuple[portfolio.Portfolio, list[Team]]:
    """The portfolio of ``team``, or of every team the person may open (``team=None``)."""
    teams = [team] if team is not None else list(teams_visible_to(user).order_by("name"))
    currency = services.currency_of(teams[0]) if teams else services.DEFAULT_CURRENCY
    result = portfolio.portfolio(
        experiments=Experiment.objects.visible_to(user), teams=teams, currency=currency
    )
    if team is not None:
        targets = {r.phase: r for r in phase_rules.rules_for(team)}
        for share in result.phases:
            rule = targets[share.phase]
            share.time_target = rule.time_target_pct
            share.budget_target = rule.budget_target_pct
    return result, teams


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{value * 100:.0f}%"


@login_required
def portfolio_page(request: AuthedHttpRequest) -> HttpResponse:
    scope_org = request.GET.get("scope") == "organisation"
    teams, team = chosen_team(request)
    result, _ = portfolio_for(request.user, team=None if scope_org else team)
    context: dict[str, Any] = {
        "teams": teams,
        "team": None if scope_org else team,
        "scope_org": scope_org,
        "p": result,
        "phases": [
            {
                "share": s,
                "time": _pct(s.time_share),
                "budget": _pct(s.budget_share),
                "time_below": s.time_target is not None
                and (s.time_share or 0) * 100 < s.time_target,
                "budget_below": s.budget_target is not None
                and (s.budget_share or 0) * 100 < s.budget_target,
            }
            for s in result.phases
        ],
        "lead_times": [
            (lt.label, lt.count, duration_label(lt.median_seconds), duration_label(lt.p90_seconds))
            for lt in result.lead_times
        ],
        "learning_share": _pct(result.learning_share),
    }
    return render(request, "experiments/portfolio.html", context)
