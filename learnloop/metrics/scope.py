"""Whose numbers a page shows: one team (its members) or the whole organisation (its admins,
the leaders), over whole calendar months (UTC), counting only what the viewer may see."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.http import Http404
from django.utils import timezone

from learnloop.accounts.models import Organisation, Team, User
from learnloop.accounts.visibility import role_in, team_ids_of
from learnloop.incidents.metrics import window_start

#: Periods offered, in months; the default keeps the work bounded.
WINDOWS = (12, 24)
DEFAULT_MONTHS = 12


@dataclass
class Scope:
    user: User
    organisation: Organisation
    teams: list[Team]
    #: The one team of a team page; None on the organisation page.
    team: Team | None
    months: list[str]
    since: dt.datetime
    today: dt.date
    #: Figures computed once per request and shared by several metrics.
    memo: dict[str, Any] = field(default_factory=dict)

    @property
    def kind(self) -> str:
        return "team" if self.team is not None else "organisation"

    @property
    def team_ids(self) -> list[int]:
        return [t.pk for t in self.teams]

    def index(self, month: str) -> int | None:
        try:
            return self.months.index(month)
        except ValueError:
            return None

    def cache_key(self) -> str:
        """What the figures depend on: the organisation, the teams counted, which of them the
        viewer belongs to (that decides which team-private rows count; everything else visible
        is organisation-wide), the viewer's role where it decides what is shown, and the
        window and day."""
        mine = sorted(set(team_ids_of(self.user)) & set(self.team_ids))
        return ":".join(
            [
                "metrics:v2",
                f"{self.organisation.pk}-{self.organisation.created_at.timestamp()}",
                self.kind,
                ",".join(map(str, sorted(self.team_ids))),
                ",".join(map(str, mine)),
                "admin" if self.user.is_org_admin else "-",
                (role_in(self.user, self.team) or "-") if self.team else "-",
                self.months[0],
                str(len(self.months)),
                self.today.isoformat(),
            ]
        )


def month_keys(months: int, *, now: dt.datetime | None = None) -> tuple[list[str], dt.datetime]:
    """The ``months`` whole calendar months ending with this one ("YYYY-MM", oldest first) and
    the first instant of the first one."""
    now = now or timezone.now()
    start = window_start(months, now=now)
    assert start is not None
    keys = []
    year, month = start.year, start.month
    for _ in range(months):
        keys.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return keys, start


def parse_months(value: Any) -> int:
    try:
        months = int(value)
    except (TypeError, ValueError):
        return DEFAULT_MONTHS
    return months if months in WINDOWS else DEFAULT_MONTHS


def team_scope(user: User, slug: str, *, months: int = DEFAULT_MONTHS) -> Scope:
    """A team's numbers, for its members; anyone else gets a 404 (not a 403)."""
    if user.organisation_id is None:
        raise Http404
    team = (
        Team.objects.select_related("organisation")
        .filter(slug=slug, pk__in=team_ids_of(user), organisation_id=user.organisation_id)
        .first()
    )
    if team is None:
        raise Http404
    keys, since = month_keys(months)
    return Scope(user, team.organisation, [team], team, keys, since, timezone.localdate())


def can_see_organisation(user: User) -> bool:
    """The organisation's page is for its admins (the leaders who act on it)."""
    return bool(user.is_org_admin and user.organisation_id is not None)


def organisation_scope(user: User, *, months: int = DEFAULT_MONTHS) -> Scope:
    if not can_see_organisation(user):
        raise Http404
    org = user.organisation
    assert org is not None
    teams = list(Team.objects.filter(organisation=org).order_by("name"))
    keys, since = month_keys(months)
    return Scope(user, org, teams, None, keys, since, timezone.localdate())
