"""Portfolio figures for a team or an organisation (reads only, through the visibility rule):
time and budget per phase against the team's targets, experiments by phase and state,
approval lead times (median, p90) per phase and for efficiency changes, learning cycles per
quarter, the share of stopped or failed experiments with a learning card, and the ideas that
died in approval. Counts are about the portfolio, never about people."""

from __future__ import annotations

import datetime as dt
import math
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.utils import timezone

from learnloop.accounts.models import Team
from learnloop.experiments.models import (
    PHASE_ORDER,
    ApprovalRequest,
    Decision,
    Experiment,
    Kind,
    LearningCard,
    Phase,
    State,
)

#: States that count as committed time and money (drafts and rejected ideas are not).
COMMITTED = (State.SUBMITTED, State.APPROVED, State.RUNNING, State.DECIDED)
WINDOW_DAYS = 365


def percentile(values: Sequence[float], pct: float) -> float | None:
    """Nearest-rank percentile (p90 of 10 values is the 9th smallest); None when empty."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(pct / 100 * len(ordered)))
    return ordered[rank - 1]


@dataclass
class LeadTime:
    label: str
    count: int
    median_seconds: float | None
    p90_seconds: float | None


@dataclass
class PhaseShare:
    phase: str
    label: str
    person_days: Decimal
    budget: Decimal
    time_share: float | None
    budget_share: float | None
    time_target: int | None = None
    budget_target: int | None = None


@dataclass
class Portfolio:
    currency: str
    phases: list[PhaseShare]
    by_phase_state: dict[str, dict[str, int]]
    lead_times: list[LeadTime]
    cycles_per_quarter: list[tuple[str, int]]
    stopped_or_failed: int
    stopped_or_failed_with_card: int
    died_in_approval: list[Experiment] = field(default_factory=list)
    died_in_approval_count: int = 0

    @property
    def learning_share(self) -> float | None:
        if not self.stopped_or_failed:
            return None
        return self.stopped_or_failed_with_card / self.stopped_or_failed


def _share(part: Decimal, total: Decimal) -> float | None:
    return float(part / total) if total else None


def phase_shares(qs: QuerySet[Experiment]) -> list[PhaseShare]:
    rows: dict[str, dict[str, Any]] = {
        r["phase"]: dict(r)
        for r in qs.filter(state__in=COMMITTED)
        .values("phase")
        .annotate(days=Sum("person_days"), money=Sum("budget"))
    }
    total_days = sum((r["days"] or Decimal(0) for r in rows.values()), Decimal(0))
    total_money = sum((r["money"] or Decimal(0) for r in rows.values()), Decimal(0))
    shares = []
    for phase in PHASE_ORDER:
        row: dict[str, Any] = rows.get(phase, {})
        days = row.get("days") or Decimal(0)
        money = row.get("money") or Decimal(0)
        shares.append(
            PhaseShare(
                phase=phase,
                label=phase.label,
                person_days=days,
                budget=money,
                time_share=_share(days, total_days),
                budget_share=_share(money, total_money),
            )
        )
    return shares


def by_phase_state(qs: QuerySet[Experiment]) -> dict[str, dict[str, int]]:
    table: dict[str, dict[str, int]] = {
        p.label: dict.fromkeys(State.labels, 0) for p in PHASE_ORDER
    }
    labels = dict(State.choices)
    for row in qs.values("phase", "state").annotate(n=Count("id")):
        table[Phase(row["phase"]).label][str(labels[row["state"]])] = row["n"]
    return table


def lead_times(requests: QuerySet[ApprovalRequest]) -> list[LeadTime]:
    """Median and p90 of decided approvals per phase (experiments) and for efficiency
    changes, over the last year."""
    since = timezone.now() - dt.timedelta(days=WINDOW_DAYS)
    rows = (
        requests.filter(
            decided_at__isnull=False, decided_at__gte=since, lead_time_seconds__isnull=False
        )
        .order_by()  # grouped and sorted here: the model's ordering was a sort for nothing
        .values_list("kind", "phase", "lead_time_seconds")
    )
    groups: dict[str, list[float]] = {}
    for kind, phase, seconds in rows:
        if seconds is None:
            continue
        key = "Efficiency changes" if kind == Kind.EFFICIENCY else f"{Phase(phase).label} phase"
        groups.setdefault(key, []).append(float(seconds))
    order = [f"{p.label} phase" for p in PHASE_ORDER] + ["Efficiency changes"]
    return [
        LeadTime(
            label=key,
            count=len(groups.get(key, [])),
            median_seconds=statistics.median(groups[key]) if groups.get(key) else None,
            p90_seconds=percentile(groups.get(key, []), 90),
        )
        for key in order
    ]


def cycles_per_quarter(cards: QuerySet[LearningCard], *, today: dt.date) -> list[tuple[str, int]]:
    """Learning cards written per quarter, the last four quarters (oldest first), local time.

    Counted in the database, one conditional count per quarter between its first local
    midnight and the next quarter's: reading every card's date into Python cost 60% of the
    portfolio's time at a million rows (decision 0177)."""
    starts: list[tuple[int, int]] = []  # (year, quarter 0-3), oldest first, plus the next one
    year, q = today.year, (today.month - 1) // 3
    for _ in range(4):
        starts.insert(0, (year, q))
        q -= 1
        if q < 0:
            year, q = year - 1, 3
    last_year, last_q = starts[-1]
    starts.append((last_year + 1, 0) if last_q == 3 else (last_year, last_q + 1))
    bounds = [timezone.make_aware(dt.datetime(y, q * 3 + 1, 1)) for y, q in starts]
    counts = cards.filter(created_at__gte=bounds[0], created_at__lt=bounds[4]).aggregate(
        **{
            f"q{i}": Count("pk", filter=Q(created_at__gte=bounds[i], created_at__lt=bounds[i + 1]))
            for i in range(4)
        }
    )
    return [(f"{y} Q{q + 1}", counts[f"q{i}"] or 0) for i, (y, q) in enumerate(starts[:4])]


def stopped_or_failed(qs: QuerySet[Experiment], *, now: dt.datetime) -> tuple[int, int]:
    """(stopped or failed, of which with a learning card). Stopped: decided to stop or pivot.
    Failed: still running past its time box. Only a learning card turns either into learning.

    The stopped ones are counted in the database; only running rows, whose time box needs
    date arithmetic per row, come to Python (decision 0177: reading both cost 25 ms of CPU at
    a million rows)."""
    has_card = Exists(LearningCard.objects.filter(experiment=OuterRef("pk")))
    stopped = qs.filter(state=State.DECIDED, decision__in=[Decision.STOP, Decision.PIVOT])
    counts = stopped.order_by().aggregate(n=Count("pk"), taught=Count("pk", filter=Q(has_card)))
    total, with_card = counts["n"] or 0, counts["taught"] or 0
    running = (
        qs.filter(state=State.RUNNING, started_at__isnull=False)
        .order_by()
        .values_list("started_at", "time_box_days")
        .annotate(card=has_card)
    )
    for started_at, box, card in running:
        if started_at + dt.timedelta(days=box) >= now:
            continue  # still inside its time box
        total += 1
        with_card += int(bool(card))
    return total, with_card


def died_in_approval(qs: QuerySet[Experiment]) -> QuerySet[Experiment]:
    """Ideas rejected before any test ran."""
    return qs.filter(state=State.REJECTED, started_at__isnull=True).order_by("-updated_at", "-id")


def portfolio(
    *, experiments: QuerySet[Experiment], teams: Iterable[Team], currency: str
) -> Portfolio:
    team_ids = [t.pk for t in teams]
    qs = experiments.filter(team_id__in=team_ids)
    now = timezone.now()
    total, with_card = stopped_or_failed(qs, now=now)
    dead = died_in_approval(qs)
    return Portfolio(
        currency=currency,
        phases=phase_shares(qs),
        by_phase_state=by_phase_state(qs),
        lead_times=lead_times(ApprovalRequest.objects.filter(experiment__in=qs)),
        cycles_per_quarter=cycles_per_quarter(
            LearningCard.objects.filter(experiment__in=qs), today=timezone.localdate()
        ),
        stopped_or_failed=total,
        stopped_or_failed_with_card=with_card,
        died_in_approval=list(dead.select_related("team")[:10]),
        died_in_approval_count=dead.count(),
    )
