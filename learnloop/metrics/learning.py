"""What the loop yields: lessons per review, retro and closed deliverable; learning cards from
stopped or failed experiments; lessons reused ("applied here"); near misses reported; and the
blame coach's flags per review."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Exists, OuterRef, Q

from learnloop.debriefs.models import Deliverable
from learnloop.experiments.models import Decision, Experiment, LearningCard, State
from learnloop.incidents.metrics import month_of
from learnloop.incidents.models import Incident, Kind
from learnloop.lessons.models import Lesson, LessonApplication
from learnloop.metrics.common import monthly_counts, no_data, ratio, series, trend_words
from learnloop.metrics.flow import review_counts
from learnloop.metrics.results import Metric, fmt
from learnloop.metrics.scope import Scope
from learnloop.retros.models import Phase as RetroPhase
from learnloop.retros.models import Retro
from learnloop.reviews.models import Review, Status


def _per(lessons: dict[str, int], sources: dict[str, int], scope: Scope) -> list[float | None]:
    return [ratio(lessons.get(m, 0), sources[m]) if sources.get(m) else None for m in scope.months]


#: Each source of lessons: its model, the path from a lesson to it, the filter that makes it
#: count (published, closed) and the time that dates it.
YIELD_SOURCES: tuple[tuple[Any, str, dict[str, Any], str], ...] = (
    (Review, "source_review", {"status": Status.PUBLISHED}, "published_at"),
    (Retro, "source_retro", {"phase": RetroPhase.CLOSED}, "created_at"),
    (
        Deliverable,
        "source_debrief_entry__deliverable",
        {"status": Deliverable.Status.CLOSED},
        "closed_at",
    ),
)


def _yield_counts(scope: Scope) -> list[tuple[dict[str, int], dict[str, int]]]:
    """(sources per month, their lessons per month) for each of ``YIELD_SOURCES``."""
    lessons = Lesson.objects.visible_to(scope.user)
    out = []
    for model, path, condition, dated in YIELD_SOURCES:
        where = {"team_id__in": scope.team_ids, f"{dated}__gte": scope.since, **condition}
        sources = monthly_counts(model.objects.visible_to(scope.user).filter(**where), dated)
        found = monthly_counts(
            lessons.filter(**{f"{path}__{k}": v for k, v in where.items()}),
            f"{path}__{dated}",
        )
        out.append((sources, found))
    return out


def learning_yield(scope: Scope) -> Metric:
    (reviews, review_lessons), (retros, retro_lessons), (closed, closed_lessons) = _yield_counts(
        scope
    )
    metric = Metric(
        key="learning-yield",
        title="Lessons per review, retro and closed deliverable",
        group="Learning yield",
        reading="",
        definition=(
            "Lessons in the library that came from a published review, a closed retro or a "
            "closed deliverable, divided by how many there were, by month of publishing "
            "(reviews), of the retro, or of closing (deliverables)."
        ),
        months=scope.months,
        series=[
            series("Per review", _per(review_lessons, reviews, scope), "ratio"),
            series("Per retro", _per(retro_lessons, retros, scope), "ratio"),
            series("Per closed deliverable", _per(closed_lessons, closed, scope), "ratio"),
        ],
    )
    parts = []
    for name, got, of in (
        ("review", review_lessons, reviews),
        ("retro", retro_lessons, retros),
        ("closed deliverable", closed_lessons, closed),
    ):
        n = sum(of.values())
        if n:
            parts.append(f"{fmt(ratio(sum(got.values()), n), 'ratio')} per {name} ({n})")
    if not parts:
        return no_data(metric, "no review was published, retro closed or deliverable closed.")
    metric.reading = "Lessons: " + ", ".join(parts) + "."
    return metric


def _ended(
    state: str, started: dt.datetime | None, decided: dt.datetime | None, box: int
) -> dt.datetime | None:
    if state == State.DECIDED:
        return decided
    return started + dt.timedelta(days=box) if started else None


def experiment_learning(scope: Scope) -> Metric:
    """The portfolio's definition (``experiments.portfolio.stopped_or_failed``): stopped means
    decided to stop or pivot, failed means still running past its time box; per month of the
    decision or of the end of the time box."""
    now = dt.datetime.combine(scope.today, dt.time.min, tzinfo=dt.UTC)
    has_card = Exists(LearningCard.objects.filter(experiment=OuterRef("pk")))
    rows = (
        Experiment.objects.visible_to(scope.user)
        .filter(team_id__in=scope.team_ids)
        .filter(
            Q(state=State.DECIDED, decision__in=[Decision.STOP, Decision.PIVOT])
            | Q(state=State.RUNNING, started_at__isnull=False)
        )
        .order_by()
        .values_list("state", "started_at", "decided_at", "time_box_days")
        .annotate(card=has_card)
    )
    total: dict[str, int] = {}
    with_card: dict[str, int] = {}
    for state, started, decided, box, card in rows:
        ended = _ended(state, started, decided, box)
        if ended is None or ended < scope.since or (state == State.RUNNING and ended >= now):
            continue
        month = month_of(ended)
        total[month] = total.get(month, 0) + 1
        with_card[month] = with_card.get(month, 0) + int(bool(card))
    metric = Metric(
        key="experiment-learning-cards",
        title="Stopped or failed experiments with a learning card",
        group="Learning yield",
        reading="",
        definition=(
            "Of the experiments stopped (decided to stop or pivot) or failed (running past their "
            "time box), the share with a learning card, by month of the decision or of the end "
            "of the time box."
        ),
        months=scope.months,
        series=[
            series("With a learning card", _per(with_card, total, scope), "share"),
            series("Stopped or failed", [total.get(m) for m in scope.months], "count"),
        ],
    )
    n = sum(total.values())
    if not n:
        return no_data(metric, "no experiment was stopped or ran past its time box.")
    metric.reading = (
        f"{fmt(ratio(sum(with_card.values()), n), 'share')} of {n} stopped or failed "
        "experiments left a learning card: stopping on data is learning, too."
    )
    return metric


def lesson_reuse(scope: Scope) -> Metric:
    applied = monthly_counts(
        LessonApplication.objects.filter(
            team_id__in=scope.team_ids,
            created_at__gte=scope.since,
            lesson__in=Lesson.objects.visible_to(scope.user).order_by().values("pk"),
        ),
        "created_at",
    )
    metric = Metric(
        key="lesson-reuse",
        title="Lessons applied here",
        group="Learning yield",
        reading="",
        definition=(
            "How many times a lesson from the library was marked 'applied here' on this team's "
            "work (each target counts once per lesson), by month."
        ),
        months=scope.months,
        series=[series("Applied", [applied.get(m) for m in scope.months], "count")],
    )
    n = sum(applied.values())
    if not n:
        return no_data(metric, "no lesson has been marked 'applied here' in this period.")
    metric.reading = f"Lessons were applied {n} time{'s' if n != 1 else ''} in this period."
    return metric


def near_miss_share(scope: Scope) -> Metric:
    counts = monthly_counts(
        Incident.objects.visible_to(scope.user).filter(
            team_id__in=scope.team_ids, created_at__gte=scope.since
        ),
        "created_at",
        by="kind",
    )
    totals: dict[str, int] = {}
    near: dict[str, int] = {}
    for (month, kind), n in counts.items():
        totals[month] = totals.get(month, 0) + n
        if kind == Kind.NEAR_MISS:
            near[month] = near.get(month, 0) + n
    metric = Metric(
        key="near-miss-share",
        title="Near misses among reports",
        group="Reporting",
        reading="",
        definition=(
            "Of all reports filed in a month (by report date), the share that are near misses. "
            "More near misses reported is a healthy sign: people speak up before harm."
        ),
        months=scope.months,
        series=[
            series("Near-miss share", _per(near, totals, scope), "share"),
            series("Reports", [totals.get(m) for m in scope.months], "count"),
        ],
    )
    n = sum(totals.values())
    if not n:
        return no_data(metric, "nothing was reported in this period.")
    trend = trend_words(metric.series[0].values, higher_is_better=True, unit="share")
    metric.reading = (
        f"{fmt(ratio(sum(near.values()), n), 'share')} of {n} reports are near misses; more "
        "near misses reported is a healthy sign" + (f"; {trend}." if trend else ".")
    )
    return metric


def coach_flags(scope: Scope) -> Metric:
    written: dict[str, int] = {}
    flags: dict[str, int] = {}
    for (month, _), (n, f) in review_counts(scope).items():
        written[month] = written.get(month, 0) + n
        flags[month] = flags.get(month, 0) + f
    metric = Metric(
        key="coach-flags",
        title="Blame-coach flags per review",
        group="Blameless wording",
        reading="",
        definition=(
            "Sentences the blame coach flagged (open, resolved or dismissed) in the reviews "
            "started in a month, divided by those reviews."
        ),
        months=scope.months,
        series=[
            series("Flags per review", _per(flags, written, scope), "ratio"),
            series("Reviews started", [written.get(m) for m in scope.months], "count"),
        ],
    )
    n = sum(written.values())
    if not n:
        return no_data(metric, "no review was started in this period.")
    trend = trend_words(metric.series[0].values, higher_is_better=False, unit="ratio")
    metric.reading = (
        f"{fmt(ratio(sum(flags.values()), n), 'ratio')} flags per review over {n} reviews"
        + (f"; {trend}." if trend else ".")
    )
    return metric
