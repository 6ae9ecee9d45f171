"""The recognition spread: how applause is spread across a team, so that leaders notice who is
never recognised (decisions/0143).

Per team and period: each person sees their own numbers (applause received on the team's items,
applause given there, debrief entries written). Team admins and facilitators see the Gini
coefficient of applause received across the team's members (at least ``MIN_PEOPLE`` of them,
as every result about people) and, alphabetically, the members who received none. Nobody sees
another person's numbers, and nothing is ever ranked. Organisation admins see the Gini per team
per month.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Case, Count, IntegerField, Value, When
from django.utils import timezone

from learnloop.accounts.models import Membership, Role, Team, User
from learnloop.applause.models import Reaction
from learnloop.core.stats import gini
from learnloop.debriefs.models import DebriefEntry

MIN_PEOPLE = 5
PERIODS = {30: "Last 30 days", 90: "Last 90 days", 365: "Last 12 months"}
DEFAULT_DAYS = 90
TREND_MONTHS = 6


def period(days: int | None, *, now: dt.datetime | None = None) -> tuple[dt.datetime, dt.datetime]:
    days = days if days in PERIODS else DEFAULT_DAYS
    end = now or timezone.now()
    return end - dt.timedelta(days=days), end


@dataclass(frozen=True)
class Numbers:
    received: int
    given: int
    entries: int


@dataclass(frozen=True)
class TeamSpread:
    members: int
    gini: float | None
    enough_people: bool
    unrecognised: list[str]  # names, alphabetical


def can_see_spread(user: User, team: Team) -> bool:
    """Team admins and facilitators of ``team`` see its spread."""
    return Membership.objects.filter(
        user=user, team=team, role__in=[Role.ADMIN, Role.FACILITATOR]
    ).exists()


def my_numbers(*, user: User, team: Team, start: dt.datetime, end: dt.datetime) -> Numbers:
    reactions = Reaction.objects.filter(team=team, created_at__gte=start, created_at__lt=end)
    return Numbers(
        received=reactions.filter(recipient=user).count(),
        given=reactions.filter(user=user).count(),
        entries=DebriefEntry.objects.filter(
            team=team, author=user, created_at__gte=start, created_at__lt=end
        ).count(),
    )


def _received_by_member(team: Team, start: dt.datetime, end: dt.datetime) -> dict[int, int]:
    rows = (
        Reaction.objects.filter(
            team=team,
            created_at__gte=start,
            created_at__lt=end,
            recipient__memberships__team=team,
        )
        .order_by()
        .values("recipient_id")
        .annotate(n=Count("id"))
    )
    return {r["recipient_id"]: r["n"] for r in rows}


def _members(team: Team) -> list[User]:
    return list(
        User.objects.filter(memberships__team=team, is_active=True).order_by(
            "display_name", "email"
        )
    )


def team_spread(*, team: Team, start: dt.datetime, end: dt.datetime) -> TeamSpread:
    members = _members(team)
    received = _received_by_member(team, start, end)
    enough = len(members) >= MIN_PEOPLE
    none = sorted((m.name for m in members if not received.get(m.pk)), key=str.lower)
    return TeamSpread(
        members=len(members),
        gini=gini([received.get(m.pk, 0) for m in members]) if enough else None,
        enough_people=enough,
        unrecognised=none,
    )


@dataclass(frozen=True)
class TeamTrend:
    team: Team
    enough_people: bool
    points: list[tuple[str, float | None]]  # (month label, Gini)


def _month_starts(months: int, now: dt.datetime) -> list[dt.datetime]:
    first = timezone.localtime(now).replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    starts = [first]
    for _ in range(months - 1):
        prev = (starts[-1] - dt.timedelta(days=1)).replace(day=1)
        starts.append(prev)
    return list(reversed(starts))


def organisation_trend(
    *,
    organisation_id: int,
    months: int = TREND_MONTHS,
    now: dt.datetime | None = None,
    team_ids: list[int] | None = None,
) -> tuple[list[str], list[TeamTrend]]:
    """The Gini of applause received per team per month, for organisation admins. Two queries
    for the whole organisation (members; reactions counted by team, recipient and month), or
    only for ``team_ids`` when given (one team's loop metrics need one team's trend)."""
    now = now or timezone.now()
    starts = _month_starts(months, now)
    labels = [f"{s:%b %Y}" for s in starts]
    teams_qs = Team.objects.filter(organisation_id=organisation_id)
    memberships = Membership.objects.filter(
        team__organisation_id=organisation_id, user__is_active=True
    )
    reactions = Reaction.objects.filter(team__organisation_id=organisation_id)
    if team_ids is not None:
        teams_qs = teams_qs.filter(pk__in=team_ids)
        memberships = memberships.filter(team_id__in=team_ids)
        reactions = reactions.filter(team_id__in=team_ids)
    teams = list(teams_qs.order_by("name"))
    members: dict[int, set[int]] = {t.pk: set() for t in teams}
    for team_id, user_id in memberships.values_list("team_id", "user_id"):
        members[team_id].add(user_id)
    counts: dict[tuple[int, int, int], int] = {}
    # The month's index by comparing with the months' first instants, in SQL: the same local
    # months as ``TruncMonth`` without a Python call per row on SQLite (decision 0174).
    end = (starts[-1] + dt.timedelta(days=32)).replace(day=1)
    month = Case(
        *(When(created_at__gte=s, then=Value(i)) for i, s in reversed(list(enumerate(starts)))),
        output_field=IntegerField(),
    )
    rows = (
        reactions.filter(created_at__gte=starts[0], created_at__lt=end)
        .annotate(month=month)
        .order_by()
        .values_list("team_id", "recipient_id", "month")
        .annotate(n=Count("id"))
    )
    for team_id, recipient_id, i, n in rows:
        if recipient_id is not None:
            counts[(team_id, recipient_id, i)] = n
    trends = []
    for team in teams:
        people = members[team.pk]
        enough = len(people) >= MIN_PEOPLE
        points = [
            (
                labels[i],
                gini([counts.get((team.pk, uid, i), 0) for uid in people]) if enough else None,
            )
            for i in range(len(starts))
        ]
        trends.append(TeamTrend(team=team, enough_people=enough, points=points))
    return labels, trends
