"""Reads for turn-taking (decision 0211).

* One meeting's analysis is seen only by its participants (the facilitator is one), through
  ``transcripts_visible_to``: anybody else, in the team or not, gets a 404.
* The team sees only aggregates across meetings: ``balance_trend``, the balance score per
  month (how many meetings, mean, median). No name, no per-person number, no ranking.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet

from learnloop.accounts.models import Organisation, Team, User
from learnloop.transcripts.models import SpeakerTotal, Transcript


def transcripts_visible_to(user: User) -> QuerySet[Transcript]:
    """The analyses ``user`` took part in, in teams they can see."""
    return (
        Transcript.objects.visible_to(user)
        .filter(participants=user)
        .select_related("team", "facilitator")
    )


def transcript_detail(user: User, pk: int) -> Transcript | None:
    """One analysis with its speakers (most speaking time first), or None when ``user`` was
    not among its participants."""
    speakers = Prefetch("speakers", queryset=SpeakerTotal.objects.order_by("position"))
    return (
        transcripts_visible_to(user)
        .select_related("review", "retro")
        .prefetch_related(speakers)
        .filter(pk=pk)
        .first()
    )


@dataclass(frozen=True)
class BalanceMonth:
    """The meetings analysed in one calendar month (by the day they were held)."""

    month: dt.date  # the first day of the month
    meetings: int
    mean_balance: float
    median_balance: float

    @property
    def label(self) -> str:
        return self.month.strftime("%b %Y")


def balance_trend(
    scope: Team | Organisation | Iterable[Team],
    *,
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> list[BalanceMonth]:
    """The balance score (1 − Gini of speaking time, 0..1, 1 = everyone spoke equally long)
    of a team's, several teams' or an organisation's analysed meetings, per month, oldest
    first; months without a meeting are left out. Aggregates only: no meeting, name or person.

    The caller decides who may see it (the team's members, its organisation's admins): this
    selector does not check a viewer. One query."""
    rows = Transcript.objects.all()
    if isinstance(scope, Organisation):
        rows = rows.filter(team__organisation=scope)
    elif isinstance(scope, Team):
        rows = rows.filter(team=scope)
    else:
        rows = rows.filter(team__in=[t.pk for t in scope])
    if since is not None:
        rows = rows.filter(held_on__gte=since)
    if until is not None:
        rows = rows.filter(held_on__lte=until)
    by_month: dict[dt.date, list[float]] = defaultdict(list)
    for held_on, balance in rows.order_by().values_list("held_on", "balance"):
        by_month[held_on.replace(day=1)].append(balance)
    return [
        BalanceMonth(
            month=month,
            meetings=len(values),
            mean_balance=round(statistics.fmean(values), 3),
            median_balance=round(statistics.median(values), 3),
        )
        for month, values in sorted(by_month.items())
    ]
