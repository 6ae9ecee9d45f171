"""Reads for drills and campaigns, always through the one visibility rule."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from django.db.models import F, FloatField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Cast
from django.http import Http404

from learnloop.accounts.models import Team, User
from learnloop.accounts.visibility import can_see, get_visible_or_404
from learnloop.core.validation import id_or_none
from learnloop.drills.campaigns import Counts, TrendPoint, totals, trend
from learnloop.drills.models import Campaign, Drill, Finding

LIST_MAX = 200


def drill_list(*, user: User, team: str = "") -> QuerySet[Drill]:
    qs = Drill.objects.visible_to(user).select_related("team", "facilitator")
    if team:
        qs = qs.filter(team__slug=team)
    return qs.order_by("-planned_for", "-id")


def drill_get(*, user: User, pk: Any) -> Drill:
    return get_visible_or_404(
        Drill.objects.select_related("team", "facilitator").prefetch_related(
            "participants",
            Prefetch("findings", queryset=Finding.objects.select_related("action", "lesson")),
            Prefetch("campaigns", queryset=Campaign.objects.order_by("-ran_on", "-id")),
        ),
        user,
        pk=pk,
    )


def campaign_list(*, user: User) -> QuerySet[Campaign]:
    return Campaign.objects.visible_to(user).select_related("team").order_by("-ran_on", "-id")


def campaign_rows(*, user: User) -> QuerySet[Campaign]:
    """The campaigns page's list, newest first, each row annotated with ``previous_rate``: the
    report rate of the same team's campaign before it that ``user`` can see (one indexed
    subquery per row on ``campaign_team_date``), so a page of rows needs no other page."""
    earlier = (
        Campaign.objects.visible_to(user)
        .filter(team_id=OuterRef("team_id"))
        .filter(
            Q(ran_on__lt=OuterRef("ran_on")) | Q(ran_on=OuterRef("ran_on"), id__lt=OuterRef("id"))
        )
        .order_by("-ran_on", "-id")
        .annotate(
            rate=Cast("reported", FloatField())
            / Cast(F("reported") + F("clicked") + F("ignored"), FloatField())
        )
        .values("rate")[:1]
    )
    return campaign_list(user=user).annotate(previous_rate=Subquery(earlier))


def organisation_summary(user: User) -> dict[str, Any]:
    """``totals`` over the latest ``LIST_MAX * 5`` campaigns ``user`` sees, read as tuples (no
    model objects), so its cost stops growing past that many campaigns."""
    rows = campaign_list(user=user).values_list(
        "reported", "clicked", "ignored", "minutes_to_first_report"
    )[: LIST_MAX * 5]
    return totals([Counts(r + c + i, r, m) for r, c, i, m in rows])


def campaign_points(campaigns: Sequence[Campaign]) -> list[TrendPoint]:
    """A page of ``campaign_rows`` as trend points (the change beside the previous campaign)."""
    return [TrendPoint(c, c.report_rate, getattr(c, "previous_rate", None)) for c in campaigns]


def campaign_get(*, user: User, pk: Any) -> Campaign:
    return get_visible_or_404(Campaign.objects.select_related("team"), user, pk=pk)


def trends_for(user: User) -> dict[str, Any]:
    """Per team the report-rate trend, and the organisation's figures over what ``user`` sees."""
    campaigns = list(campaign_list(user=user)[: LIST_MAX * 5])
    by_team: dict[Team, list[Campaign]] = defaultdict(list)
    for campaign in campaigns:
        by_team[campaign.team].append(campaign)
    teams: list[tuple[Team, list[TrendPoint], dict[str, Any]]] = [
        (team, trend(items), totals(items))
        for team, items in sorted(by_team.items(), key=lambda kv: kv[0].name)
    ]
    return {"teams": teams, "organisation": totals(campaigns), "all": trend(campaigns)}


def finding_get(*, user: User, pk: Any) -> Finding:
    """A finding of a drill ``user`` can see, or 404."""
    finding = (
        Finding.objects.select_related("drill", "drill__team")
        .filter(pk=id_or_none(pk) or 0)
        .first()
    )
    if finding is None or not can_see(user, finding.drill):
        raise Http404("Not found")
    return finding
