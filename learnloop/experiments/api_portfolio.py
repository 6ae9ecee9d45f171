"""Experiments API: the portfolio and the innovation immune-system check of a team, or of
every team the caller can see."""

import datetime as dt
from decimal import Decimal
from typing import Any

from ninja import Field, Query, Router, Schema

from learnloop.accounts.http import AuthedHttpRequest
from learnloop.accounts.models import Team
from learnloop.accounts.visibility import teams_visible_to
from learnloop.api.errors import errors
from learnloop.core.errors import NotFound
from learnloop.core.validation import id_or_none, looks_like_id
from learnloop.experiments.views_diagnostic import diagnostic_for
from learnloop.experiments.views_portfolio import portfolio_for

router = Router(tags=["experiments"])


class PhaseShareOut(Schema):
    phase: str
    person_days: Decimal
    budget: Decimal
    time_share: float | None
    budget_share: float | None
    time_target: int | None
    budget_target: int | None


class LeadTimeOut(Schema):
    label: str
    count: int
    median_seconds: float | None
    p90_seconds: float | None


class QuarterOut(Schema):
    quarter: str
    learning_cards: int


class PortfolioOut(Schema):
    scope: str
    currency: str
    phases: list[PhaseShareOut]
    by_phase_state: dict[str, dict[str, int]]
    lead_times: list[LeadTimeOut]
    cycles_per_quarter: list[QuarterOut]
    stopped_or_failed: int
    stopped_or_failed_with_card: int
    died_in_approval: int
    died_in_approval_ids: list[int]


class PortfolioQuery(Schema):
    team: str | None = Field(None, description="Team id or slug; empty: every team you can see")


def _visible_team(request: AuthedHttpRequest, ref: str) -> Team:
    qs = teams_visible_to(request.user)
    team = (
        qs.filter(pk=id_or_none(ref) or 0) if looks_like_id(ref) else qs.filter(slug=ref)
    ).first()
    if team is None:
        raise NotFound()
    return team


@router.get("/portfolio", response={200: PortfolioOut, **errors(404, 422)})
def portfolio_get(request: AuthedHttpRequest, query: Query[PortfolioQuery]) -> dict[str, Any]:
    team = _visible_team(request, query.team) if query.team else None
    result, _ = portfolio_for(request.user, team=team)
    return {
        "scope": team.slug if team is not None else "organisation",
        "currency": result.currency,
        "phases": result.phases,
        "by_phase_state": result.by_phase_state,
        "lead_times": result.lead_times,
        "cycles_per_quarter": [
            {"quarter": q, "learning_cards": n} for q, n in result.cycles_per_quarter
        ],
        "stopped_or_failed": result.stopped_or_failed,
        "stopped_or_failed_with_card": result.stopped_or_failed_with_card,
        "died_in_approval": result.died_in_approval_count,
        "died_in_approval_ids": [e.pk for e in result.died_in_approval],
    }


class SignalOut(Schema):
    key: str
    question: str
    figure: str
    reading: str
    trend: str
    enough: bool
    details: dict[str, Any]


class DiagnosticOut(Schema):
    scope: str
    since: dt.datetime
    until: dt.datetime
    amount: Decimal
    currency: str
    signals: list[SignalOut]


class DiagnosticQuery(Schema):
    team: str | None = Field(None, description="Team id or slug; empty: every team you can see")
    amount: str | None = Field(None, description="Reference amount (default 10000)")


@router.get("/diagnostic", response={200: DiagnosticOut, **errors(404, 422)})
def diagnostic_get(request: AuthedHttpRequest, query: Query[DiagnosticQuery]) -> Any:
    """The innovation immune-system check: each signal with its figure, reading and trend."""
    team = _visible_team(request, query.team) if query.team else None
    return diagnostic_for(request.user, team=team, amount=query.amount)
