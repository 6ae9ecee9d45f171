"""The flow of the loop: how fast incidents are detected, acknowledged and resolved, how soon
a review is published, how many reviews are, and how actions are followed through.

Durations come from ``incidents.metrics.dashboard_metrics`` — the incident dashboard's own
numbers, not recomputed here — read once per request."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Sum

from learnloop.actions.models import Action
from learnloop.coach.models import CoachFlag
from learnloop.core.sql import MonthKey, count_of
from learnloop.incidents.metrics import MEASURE_LABELS, dashboard_metrics, month_of, summarize
from learnloop.metrics.common import no_data, ratio, series, trend_words
from learnloop.metrics.results import Metric, fmt
from learnloop.metrics.scope import Scope
from learnloop.reviews.models import Review, Status


def _dashboard(scope: Scope) -> dict[str, Any]:
    if "dashboard" not in scope.memo:
        scope.memo["dashboard"] = dashboard_metrics(
            user=scope.user, teams=scope.teams, today=scope.today, since=scope.since
        )
    data: dict[str, Any] = scope.memo["dashboard"]
    return data


def _stat_series(scope: Scope, by_month: dict[str, Any]) -> list[Any]:
    return [
        series("Median", [by_month.get(m, {}).get("median") for m in scope.months], "minutes"),
        series("p90", [by_month.get(m, {}).get("p90") for m in scope.months], "minutes"),
    ]


def incident_time(scope: Scope, measure: str) -> Metric:
    label = MEASURE_LABELS[measure]
    start, end = {
        "detect": ("started", "detected"),
        "acknowledge": ("detected", "acknowledged"),
        "resolve": ("started", "resolved"),
    }[measure]
    data = _dashboard(scope)["durations"][measure]
    metric = Metric(
        key=f"time-to-{measure}",
        title=label,
        group="Flow",
        reading="",
        definition=(
            f"Minutes from {start} to {end}, per incident with both times, by month of the "
            f"{start} time: median and p90 (nearest rank); the incident dashboard's numbers."
        ),
        months=scope.months,
        series=_stat_series(scope, data["by_month"]),
    )
    overall = data["overall"]
    if not overall["count"]:
        return no_data(metric, f"no incident in this period has both its {start} and {end} time.")
    trend = trend_words(metric.series[0].values, higher_is_better=False, unit="minutes")
    metric.reading = (
        f"Median {fmt(overall['median'], 'minutes')}, p90 {fmt(overall['p90'], 'minutes')} "
        f"over {overall['count']} incident{'s' if overall['count'] != 1 else ''}"
        + (f"; {trend}." if trend else ".")
    )
    return metric


def review_lag(scope: Scope) -> Metric:
    data = _dashboard(scope)["review_lag"]
    metric = Metric(
        key="resolution-to-review",
        title="Resolution to published review",
        group="Flow",
        reading="",
        definition=(
            "Minutes from an incident's resolution to its first published review, by month of "
            "resolution: median and p90."
        ),
        months=scope.months,
        series=_stat_series(scope, data["by_month"]),
    )
    overall = data["overall"]
    if not overall["count"]:
        return no_data(metric, "no resolved incident in this period has a published review.")
    trend = trend_words(metric.series[0].values, higher_is_better=False, unit="minutes")
    metric.reading = (
        f"Reviews are published a median {fmt(overall['median'], 'minutes')} after resolution "
        f"(p90 {fmt(overall['p90'], 'minutes')})" + (f"; {trend}." if trend else ".")
    )
    return metric


def review_counts(scope: Scope) -> dict[tuple[str, str], tuple[int, int]]:
    """``{(month, status): (reviews, coach flags on them)}`` for the reviews started in the
    period (imported historical ones left out) that the viewer may see, by month (UTC) of
    starting: one pass over the reviews, shared by the share published and the coach's flags
    per review (decision 0174; each flag is counted by its review, as before)."""
    if "reviews" not in scope.memo:
        rows = (
            Review.objects.visible_to(scope.user)
            .filter(team_id__in=scope.team_ids, created_at__gte=scope.since, is_historical=False)
            .order_by()
            .annotate(
                month=MonthKey("created_at"), flags=count_of(CoachFlag.objects.all(), "review")
            )
            .values("month", "status")
            .annotate(n=Count("pk"), f=Sum("flags"))
            .values_list("month", "status", "n", "f")
        )
        scope.memo["reviews"] = {
            (month, status): (n, int(f or 0)) for month, status, n, f in rows if month is not None
        }
    found: dict[tuple[str, str], tuple[int, int]] = scope.memo["reviews"]
    return found


def reviews_published(scope: Scope) -> Metric:
    totals: dict[str, int] = {}
    published: dict[str, int] = {}
    for (month, status), (n, _) in review_counts(scope).items():
        totals[month] = totals.get(month, 0) + n
        if status == Status.PUBLISHED:
            published[month] = published.get(month, 0) + n
    share = [ratio(published.get(m, 0), totals[m]) if m in totals else None for m in scope.months]
    metric = Metric(
        key="reviews-published",
        title="Share of reviews published",
        group="Flow",
        reading="",
        definition=(
            "Of the reviews started in a month (imported historical ones left out), the share "
            "that is published now."
        ),
        months=scope.months,
        series=[
            series("Published", share, "share"),
            series("Reviews started", [totals.get(m) for m in scope.months], "count"),
        ],
    )
    total = sum(totals.values())
    if not total:
        return no_data(metric, "no review was started in this period.")
    done = sum(published.values())
    metric.reading = (
        f"{fmt(ratio(done, total), 'share')} of the {total} reviews started in this period "
        "are published."
    )
    return metric


OPEN = (Action.Status.OPEN, Action.Status.IN_PROGRESS)


def follow_through(scope: Scope) -> Metric:
    by_month = _dashboard(scope)["actions"]
    names = (("on_time", "Done on time"), ("late", "Done late"), ("overdue", "Overdue"))
    metric = Metric(
        key="action-follow-through",
        title="Action follow-through",
        group="Follow-through",
        reading="",
        definition=(
            "Actions with a due date, by month of the due date: done on time, done late, and "
            "overdue (not done, past due); 'won't do' is left out. The share done on time is of "
            "the actions already due."
        ),
        months=scope.months,
        series=[
            series(label, [by_month.get(m, {}).get(k) for m in scope.months], "count")
            for k, label in names
        ],
    )
    due = {m: sum(by_month[m][k] for k, _ in names) for m in by_month}
    metric.series.insert(
        0,
        series(
            "On time (share of due)",
            [ratio(by_month[m]["on_time"], due[m]) if due.get(m) else None for m in scope.months],
            "share",
        ),
    )
    total_due = sum(due.values())
    if not total_due:
        return no_data(metric, "no action with a due date has fallen due in this period.")
    on_time = sum(v["on_time"] for v in by_month.values())
    overdue = sum(v["overdue"] for v in by_month.values())
    metric.reading = (
        f"{fmt(ratio(on_time, total_due), 'share')} of the {total_due} actions due were done on "
        f"time; {overdue} {'are' if overdue != 1 else 'is'} overdue now."
    )
    return metric


def action_age(scope: Scope) -> Metric:
    created = (
        Action.objects.visible_to(scope.user)
        .filter(team_id__in=scope.team_ids, status__in=OPEN)
        .order_by()
        .values_list("created_at", flat=True)
    )
    ages: dict[str, list[float]] = {}
    every: list[float] = []
    for at in created:
        age = float((scope.today - at.date()).days)
        every.append(age)
        if at >= scope.since:
            ages.setdefault(month_of(at), []).append(age)
    metric = Metric(
        key="action-age",
        title="Age of open actions",
        group="Follow-through",
        reading="",
        definition=(
            "Days from an action's creation to today, for actions still open or in progress: "
            "the median by month of creation, and the median over every open action."
        ),
        months=scope.months,
        series=[
            series(
                "Median age (days)",
                [summarize(ages[m])["median"] if m in ages else None for m in scope.months],
                "days",
            ),
            series(
                "Open actions",
                [len(ages[m]) if m in ages else None for m in scope.months],
                "count",
            ),
        ],
    )
    if not every:
        return no_data(metric, "no action is open.")
    overall = summarize(every)
    metric.reading = (
        f"{overall['count']} action{'s are' if overall['count'] != 1 else ' is'} open, a median "
        f"{fmt(overall['median'], 'days')} old (p90 {fmt(overall['p90'], 'days')})."
    )
    return metric
