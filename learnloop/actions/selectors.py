"""Reads for actions. Every query starts from ``Action.objects.visible_to(user)``, or checks
each row it reads with the same rule (``sees``: the incident page's panel, decision 0179)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import (
    BigIntegerField,
    Case,
    Count,
    F,
    IntegerField,
    Q,
    QuerySet,
    Value,
    When,
)
from django.urls import reverse
from django.utils import timezone

from learnloop.accounts.models import Team, User
from learnloop.accounts.visibility import sees
from learnloop.actions.models import Action
from learnloop.core.compiled import Compiled, Param
from learnloop.incidents.models import Incident

OPEN_STATUSES = (Action.Status.OPEN, Action.Status.IN_PROGRESS)
DUE_SOON_DAYS = 7
STATS_WINDOW_DAYS = 90


def today() -> dt.date:
    return timezone.localdate()


def actions_visible(*, user: User) -> QuerySet[Action]:
    # team prefetched, not joined: with the JOIN SQLite sorts every visible row before LIMIT
    # (1M rows: 250 ms) instead of walking the due_date index (1 ms); docs/benchmarks.md.
    return Action.objects.visible_to(user).select_related("owner").prefetch_related("team")


def action_list(
    *,
    user: User,
    team: Team | int | None = None,
    status: str | None = None,
    kind: str | None = None,
    owner: User | int | str | None = None,
    overdue: bool | None = None,
    due_before: dt.date | None = None,
    due_after: dt.date | None = None,
    review: int | None = None,
    incident: int | None = None,
) -> QuerySet[Action]:
    """Visible actions with optional filters. ``status="open"`` means open or in progress;
    ``owner="me"`` means ``user``; ``overdue=True`` means still open with a due date in the past."""
    qs = actions_visible(user=user)
    if team is not None:
        qs = qs.filter(team=team)
    if status == "open":
        qs = qs.filter(status__in=OPEN_STATUSES)
    elif status:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind=kind)
    if owner == "me":
        qs = qs.filter(owner=user)
    elif owner == "none":
        qs = qs.filter(owner__isnull=True)
    elif owner not in (None, ""):
        qs = qs.filter(owner=owner)
    if overdue is True:
        qs = qs.filter(status__in=OPEN_STATUSES, due_date__lt=today())
    elif overdue is False:
        qs = qs.exclude(status__in=OPEN_STATUSES, due_date__lt=today())
    if due_before:
        qs = qs.filter(due_date__lte=due_before)
    if due_after:
        qs = qs.filter(due_date__gte=due_after)
    if review:
        qs = qs.filter(review_id=review)
    if incident:
        qs = qs.filter(incident_id=incident)
    return qs


def actions_for_person(*, user: User) -> QuerySet[Action]:
    """My open actions: overdue first, then by due date; undated ones last."""
    now = today()
    return (
        actions_visible(user=user)
        .filter(owner=user, status__in=OPEN_STATUSES)
        .annotate(
            _rank=Case(
                When(due_date__lt=now, then=Value(0)),
                When(due_date__isnull=False, then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            )
        )
        .order_by("_rank", "due_date", "id")
    )


def actions_for_incident(*, user: User, incident: Incident) -> QuerySet[Action]:
    return actions_visible(user=user).filter(incident=incident).order_by("due_date", "id")


#: The incident page's actions panel: what it shows and what the visibility rule reads, by the
#: incident's index, in the panel's order (due date, then id); compiled once per connection
#: (``core.compiled``, decision 0236).
_PANEL_ROWS = Compiled(
    lambda: (
        Action.objects.filter(incident_id=Param("incident", BigIntegerField()))
        .order_by("due_date", "id")
        .values(
            "id",
            "title",
            "status",
            "due_date",
            "owner_id",
            "owner__display_name",
            "owner__first_name",
            "owner__last_name",
            "owner__email",
            "team__organisation_id",
            "team_id",
            "visibility",
        )
    )
)


def owner_name(row: dict[str, Any]) -> str | None:
    """``User.name`` of a row's owner from its ``owner_id`` and the four ``owner__`` name
    columns (``display_name``, ``first_name``, ``last_name``, ``email``); None without one."""
    if row["owner_id"] is None:
        return None
    return User(
        display_name=row["owner__display_name"],
        first_name=row["owner__first_name"],
        last_name=row["owner__last_name"],
        email=row["owner__email"],
    ).name


def incident_panel(*, user: User, incident_id: int) -> list[dict[str, Any]]:
    """The actions of an incident that ``user`` may see, as the incident page's panel shows
    them: link, title, status, owner's name (``None`` without an owner), due date, overdue.

    The same rows as :func:`actions_for_incident`, read by one compiled query and checked with
    the visibility rule per row (``sees``): an anonymous report's page is never kept, so every
    view pays for this, and the ORM's query building was most of it (decisions 0179, 0236). An
    incident has a handful of actions."""
    labels = dict(Action.Status.choices)
    actions = []
    for row in _PANEL_ROWS.rows(incident=incident_id):
        if not sees(user, row["team__organisation_id"], row["team_id"], row["visibility"]):
            continue
        status, due = row["status"], row["due_date"]
        actions.append(
            {
                "url": reverse("actions:detail", args=[row["id"]]),
                "title": row["title"],
                "status_label": labels.get(status, status),
                "owner": owner_name(row),
                "due_date": due,
                "is_overdue": Action(status=status, due_date=due).is_overdue,
            }
        )
    return actions


@dataclass(frozen=True)
class FollowThrough:
    open: int
    overdue: int
    due_soon: int
    done_on_time: int
    done_late: int
    median_open_age_days: float | None

    @property
    def done_total(self) -> int:
        return self.done_on_time + self.done_late


def follow_through(*, user: User, team: Team) -> FollowThrough:
    """Counts for one team, never per person: follow-through is a team habit, not a score.

    Done on time means done on or before the due date (an action without a due date is on
    time); the window is the last 90 days of completions.
    """
    now = today()
    qs = actions_visible(user=user).filter(team=team)
    since = timezone.now() - dt.timedelta(days=STATS_WINDOW_DAYS)
    # Two conditional aggregates, each limited by status in its WHERE so SQLite and
    # PostgreSQL walk the (team, status, due_date) index instead of every row of the team:
    # the open ones (counted from the index alone) and the recent completions.
    counts = qs.filter(status__in=OPEN_STATUSES).aggregate(
        open=Count("id"),
        overdue=Count("id", filter=Q(due_date__lt=now)),
        due_soon=Count(
            "id",
            filter=Q(due_date__gte=now, due_date__lte=now + dt.timedelta(days=DUE_SOON_DAYS)),
        ),
    )
    counts |= qs.filter(status=Action.Status.DONE, done_at__gte=since).aggregate(
        done_late=Count("id", filter=Q(due_date__lt=F("done_at__date"))),
        done_total=Count("id"),
    )
    median_age = _median_open_age_days(qs, open_count=counts["open"], now=now)
    return FollowThrough(
        open=counts["open"],
        overdue=counts["overdue"],
        due_soon=counts["due_soon"],
        done_on_time=counts["done_total"] - counts["done_late"],
        done_late=counts["done_late"],
        median_open_age_days=median_age,
    )


def _median_open_age_days(qs: QuerySet[Action], *, open_count: int, now: dt.date) -> float | None:
    """Median age in days of the open actions, reading one or two rows instead of all of them.

    Age falls as ``created_at`` rises, so the median age is the age of the middle row(s) by
    ``created_at``: ``ORDER BY created_at LIMIT 1 (odd) or 2 (even) OFFSET (n - 1) // 2``.
    Same result as ``statistics.median`` over every age (tested against it)."""
    if open_count == 0:
        return None
    lo = (open_count - 1) // 2
    hi = open_count // 2 + 1
    middle = list(
        qs.filter(status__in=OPEN_STATUSES)
        .order_by("created_at", "id")
        .values_list("created_at", flat=True)[lo:hi]
    )
    if not middle:  # rows changed between the count and this read
        return None
    ages = [(now - timezone.localtime(c).date()).days for c in middle]
    return sum(ages) / len(ages) if len(ages) > 1 else ages[0]
