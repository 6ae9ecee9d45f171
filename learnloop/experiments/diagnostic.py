"""The innovation immune-system check (docs/experiments.md, decisions/0153): does the way we
decide let good ideas reach a real test? Four questions from the product's own data, plus the
exploration share, each with its figure, a plain one-line reading and the trend against the
half-year before:

1. How many ideas die in approval instead of in a real test (rejected before any test ran)?
2. What share of stopped or failed experiments taught something (a learning card)?
3. How long does approval take for a small experiment versus an efficiency change of similar
   cost (median lead time, amounts within half to double the reference amount)?
4. Do people feel safe pitching risky ideas? An anonymous pulse question asked through a
   survey round's extra question (surveys' counters, decision 0210): shown only for rounds
   that closed with at least the minimum answers (5 or more).

Plus the exploration share of committed person-days against the team's target. Readings
describe the system (the rules, the path, the numbers), never people.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import QuerySet, Sum
from django.utils import timezone

from learnloop.accounts.models import Team, User
from learnloop.experiments import phase_rules
from learnloop.experiments.models import (
    ApprovalRequest,
    Decision,
    Experiment,
    Kind,
    LearningCard,
    Outcome,
    Phase,
    State,
    duration_label,
)
from learnloop.experiments.portfolio import COMMITTED
from learnloop.experiments.selectors import REFERENCE_AMOUNT, similar_cost
from learnloop.surveys.selectors import extra_question_results

PULSE_QUESTION = "I feel safe pitching a risky idea here, even one that may fail."
PULSE_TITLE = "Pulse: safe to pitch risky ideas"
WINDOW = dt.timedelta(days=182)
DEFAULT_AMOUNT = REFERENCE_AMOUNT
DEFAULT_EXPLORE_TARGET = 10  # percent of time, the product's default


@dataclass
class Signal:
    key: str
    question: str
    figure: str
    reading: str
    trend: str = ""
    enough: bool = True
    details: dict[str, object] = field(default_factory=dict)


@dataclass
class Diagnostic:
    scope: str
    since: dt.datetime
    until: dt.datetime
    amount: Decimal
    currency: str
    signals: list[Signal]


@dataclass
class _Window:
    start: dt.datetime
    end: dt.datetime


def _pct(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _fmt(share: float | None) -> str:
    return "–" if share is None else f"{share * 100:.0f}%"


def _trend(now: float | None, before: float | None, *, higher_is_better: bool, unit: str) -> str:
    if now is None or before is None:
        return "No earlier half-year to compare with."
    delta = now - before
    if abs(delta) < 0.005:
        return "About the same as the half-year before."
    better = (delta > 0) == higher_is_better
    word = "up" if delta > 0 else "down"
    size = f"{abs(delta) * 100:.0f} points" if unit == "pct" else duration_label(abs(delta))
    return f"{word} {size} on the half-year before ({'better' if better else 'worse'})."


# --- 1. ideas that died in approval -------------------------------------------------------------


def _approval_deaths(requests: QuerySet[ApprovalRequest], w: _Window) -> tuple[int, int]:
    """(experiment proposals decided in the window, of which rejected before any test ran)."""
    decided = requests.filter(
        kind=Kind.EXPERIMENT, decided_at__gte=w.start, decided_at__lt=w.end
    ).exclude(outcome=Outcome.PENDING)
    total = decided.values("experiment_id").distinct().count()
    died = (
        decided.filter(outcome=Outcome.REJECTED, experiment__started_at__isnull=True)
        .values("experiment_id")
        .distinct()
        .count()
    )
    return total, died


def died_in_approval(requests: QuerySet[ApprovalRequest], now: _Window, before: _Window) -> Signal:
    total, died = _approval_deaths(requests, now)
    old_total, old_died = _approval_deaths(requests, before)
    share = _pct(died, total)
    if not total:
        reading = "No experiment proposal was decided in the last half-year: nothing to read yet."
    elif died == 0:
        reading = "No idea died in approval: every proposal decided went on to a real test."
    else:
        reading = (
            f"{died} of {total} ideas ended in approval without a test. An idea stopped "
            "before a test teaches nothing; a small, cheap test would."
        )
    return Signal(
        "died_in_approval",
        "How many good ideas die in approval instead of in real tests?",
        f"{died} of {total} ({_fmt(share)})" if total else "–",
        reading,
        _trend(share, _pct(old_died, old_total), higher_is_better=False, unit="pct"),
        enough=bool(total),
        details={"decided": total, "rejected_before_test": died},
    )


# --- 2. failed or stopped experiments that taught something -------------------------------------


def _taught(qs: QuerySet[Experiment], w: _Window) -> tuple[int, int]:
    """(stopped, pivoted or failed in the window, of which with a learning card). Failed: still
    running when its time box ended inside the window."""
    has_card = set(
        LearningCard.objects.filter(experiment__in=qs).values_list("experiment_id", flat=True)
    )
    stopped = qs.filter(
        state=State.DECIDED,
        decision__in=[Decision.STOP, Decision.PIVOT],
        decided_at__gte=w.start,
        decided_at__lt=w.end,
    ).values_list("pk", flat=True)
    running = qs.filter(state=State.RUNNING, started_at__lt=w.end).values_list(
        "pk", "started_at", "time_box_days"
    )
    end = min(w.end, timezone.now())
    failed = [
        pk
        for pk, started, box in running
        if started is not None and w.start <= started + dt.timedelta(days=box) < end
    ]
    ids = set(stopped) | set(failed)
    return len(ids), len(ids & has_card)


def taught_something(qs: QuerySet[Experiment], now: _Window, before: _Window) -> Signal:
    total, taught = _taught(qs, now)
    old_total, old_taught = _taught(qs, before)
    share = _pct(taught, total)
    if not total:
        reading = "No experiment stopped, pivoted or ran past its time box in the last half-year."
    elif taught == total:
        reading = "Every stopped or failed experiment left a learning card: each one paid for itself in learning."
    else:
        reading = (
            f"{total - taught} of {total} stopped or failed experiments left no learning card "
            "yet: a short card turns each into a win."
        )
    return Signal(
        "taught_something",
        "What share of failed or stopped experiments taught us something valuable?",
        f"{taught} of {total} ({_fmt(share)})" if total else "–",
        reading,
        _trend(share, _pct(old_taught, old_total), higher_is_better=True, unit="pct"),
        enough=bool(total),
        details={"stopped_or_failed": total, "with_learning_card": taught},
    )


# --- 3. lead time: a small experiment versus an efficiency change of similar cost ---------------


def _lead_times(
    requests: QuerySet[ApprovalRequest], w: _Window, amount: Decimal
) -> dict[str, list[float]]:
    rows = (
        similar_cost(requests, amount)
        .filter(
            decided_at__gte=w.start,
            decided_at__lt=w.end,
            lead_time_seconds__isnull=False,
        )
        .values_list("kind", "lead_time_seconds")
    )
    out: dict[str, list[float]] = {Kind.EXPERIMENT: [], Kind.EFFICIENCY: []}
    for kind, seconds in rows:
        if seconds is not None:
            out[kind].append(float(seconds))
    return out


def _median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


def lead_time_gap(
    requests: QuerySet[ApprovalRequest], now: _Window, before: _Window, amount: Decimal, cur: str
) -> Signal:
    found = _lead_times(requests, now, amount)
    old = _lead_times(requests, before, amount)
    exp, eff = _median(found[Kind.EXPERIMENT]), _median(found[Kind.EFFICIENCY])
    size = f"{amount:,.0f} {cur}"
    n_exp, n_eff = len(found[Kind.EXPERIMENT]), len(found[Kind.EFFICIENCY])
    if exp is None or eff is None:
        reading = (
            f"Not enough to compare: {n_exp} experiment(s) and {n_eff} efficiency change(s) "
            f"of about {size} were decided in the last half-year."
        )
        figure = "–"
    else:
        figure = f"experiment {duration_label(exp)} · efficiency change {duration_label(eff)}"
        if eff > 0 and exp > eff * 1.5:
            reading = (
                f"A {size} experiment waits {exp / eff:.1f}× as long as an efficiency change "
                "of the same cost: the path favours the safe bet."
            )
        elif exp > 0 and eff > exp * 1.5:
            reading = f"A {size} experiment is approved faster than an efficiency change of the same cost."
        else:
            reading = (
                f"A {size} experiment and an efficiency change of the same cost wait about as long."
            )
    gap_now = exp - eff if exp is not None and eff is not None else None
    old_exp, old_eff = _median(old[Kind.EXPERIMENT]), _median(old[Kind.EFFICIENCY])
    gap_before = old_exp - old_eff if old_exp is not None and old_eff is not None else None
    return Signal(
        "lead_time",
        f"How long does approval take for a {size} experiment versus a {size} efficiency upgrade?",
        figure,
        reading,
        _gap_trend(gap_now, gap_before),
        enough=exp is not None and eff is not None,
        details={
            "amount": str(amount),
            "experiment_median_seconds": exp,
            "efficiency_median_seconds": eff,
            "experiments": n_exp,
            "efficiency_changes": n_eff,
        },
    )


def _gap_trend(now: float | None, before: float | None) -> str:
    if now is None or before is None:
        return "No earlier half-year to compare with."
    if abs(now - before) < 60:
        return "The gap is about the same as the half-year before."
    word = "narrower" if abs(now) < abs(before) else "wider"
    return f"The gap is {word} than the half-year before ({duration_label(abs(before))} then)."


# --- exploration share ---------------------------------------------------------------------------


def _explore_share(qs: QuerySet[Experiment], w: _Window) -> float | None:
    rows = dict(
        qs.filter(state__in=COMMITTED, created_at__gte=w.start, created_at__lt=w.end)
        .values("phase")
        .annotate(days=Sum("person_days"))
        .values_list("phase", "days")
    )
    total = sum((d or Decimal(0) for d in rows.values()), Decimal(0))
    return float((rows.get(Phase.EXPLORE) or Decimal(0)) / total) if total else None


def exploration(
    qs: QuerySet[Experiment], now: _Window, before: _Window, target: int | None
) -> Signal:
    share = _explore_share(qs, now)
    goal = target if target is not None else DEFAULT_EXPLORE_TARGET
    if share is None:
        reading = "No committed experiment time in the last half-year."
    elif share * 100 < goal:
        reading = f"Exploration gets {_fmt(share)} of experiment time, below the {goal}% target."
    else:
        reading = (
            f"Exploration gets {_fmt(share)} of experiment time, at or above the {goal}% target."
        )
    return Signal(
        "exploration_share",
        "Is exploration getting its share of time?",
        f"{_fmt(share)} (target {goal}%)",
        reading,
        _trend(share, _explore_share(qs, before), higher_is_better=True, unit="pct"),
        enough=share is not None,
        details={"share": share, "target_pct": goal},
    )


# --- 4. the pulse ------------------------------------------------------------------------------


def _agree(counts: dict[int, int]) -> float | None:
    total = sum(counts.values())
    return sum(n for p, n in counts.items() if p >= 5) / total if total else None


def pulse(user: User, teams: Sequence[Team], now: _Window, before: _Window) -> Signal:
    found = extra_question_results(user, teams, PULSE_QUESTION, since=now.start, until=now.end)
    old = extra_question_results(user, teams, PULSE_QUESTION, since=before.start, until=before.end)
    question = "Do our best people feel safe pitching risky ideas?"
    if found.result is None:
        if found.hidden_rounds:
            reading = (
                "The pulse closed with fewer than 5 answers, so nothing is shown: with so few, "
                "an answer could point to a person."
            )
        else:
            reading = (
                "No pulse answered yet in the last half-year. A team admin can ask it: one "
                "anonymous question in a survey round, shown once 5 or more have answered and "
                "the round has closed."
            )
        return Signal("pulse", question, "–", reading, "", enough=False)
    share = _agree(found.result.counts)
    mean = found.result.mean_score
    reading = (
        f"{_fmt(share)} agree they can pitch a risky idea safely (mean {mean:.1f} of 7, "
        f"{found.answers} anonymous answers)."
    )
    if share is not None and share < 0.5:
        reading += " Most do not feel safe yet: ideas may be dying before anyone proposes them."
    trend = _trend(
        share,
        _agree(old.result.counts) if old.result else None,
        higher_is_better=True,
        unit="pct",
    )
    return Signal(
        "pulse",
        question,
        f"{_fmt(share)} agree · {mean:.1f} / 7",
        reading,
        trend,
        details={"answers": found.answers, "rounds": found.rounds, "mean": mean, "agree": share},
    )


def diagnose(
    *,
    user: User,
    experiments: QuerySet[Experiment],
    teams: Sequence[Team],
    team: Team | None,
    currency: str,
    amount: Decimal = DEFAULT_AMOUNT,
) -> Diagnostic:
    """The check for ``team`` (or every team in ``teams``), over the last half-year."""
    end = timezone.now()
    now = _Window(end - WINDOW, end + dt.timedelta(seconds=1))
    before = _Window(end - 2 * WINDOW, end - WINDOW)
    qs = experiments.filter(team__in=list(teams))
    requests = ApprovalRequest.objects.filter(experiment__in=qs)
    target = None
    if team is not None:
        target = phase_rules.rule_for(team, Phase.EXPLORE).time_target_pct
    return Diagnostic(
        scope=team.slug if team is not None else "organisation",
        since=now.start,
        until=end,
        amount=amount,
        currency=currency,
        signals=[
            died_in_approval(requests, now, before),
            taught_something(qs, now, before),
            lead_time_gap(requests, now, before, amount, currency),
            pulse(user, teams, now, before),
            exploration(qs, now, before, target),
        ],
    )


def amount_from(value: object) -> Decimal:
    """The reference amount from a query (``?amount=``), 10,000 when absent or unreadable."""
    try:
        amount = Decimal(str(value)) if value not in (None, "") else DEFAULT_AMOUNT
    except ArithmeticError:
        return DEFAULT_AMOUNT
    if not amount.is_finite() or amount <= 0 or amount > Decimal("1000000000"):
        return DEFAULT_AMOUNT
    return amount.quantize(Decimal("1"))
