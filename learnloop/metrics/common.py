"""Helpers the metric modules share: monthly buckets, medians and nearest-rank p90 (the same
``summarize`` the incident dashboard uses), and readings that compare recent months."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db.models import Count, QuerySet

from learnloop.core.sql import MonthKey
from learnloop.incidents.metrics import summarize
from learnloop.metrics.results import Metric, Series, fmt
from learnloop.metrics.scope import Scope


def monthly_counts(qs: QuerySet[Any], field: str, *, by: str | None = None) -> dict[Any, int]:
    """Rows of ``qs`` per month (UTC) of ``field`` — and per value of ``by`` when given —
    counted in the database: ``{"2026-03": n}`` or ``{("2026-03", value): n}``. The month key
    is made in SQL (``core.sql.MonthKey``), not per row in Python (decision 0078)."""
    names = ["month", by] if by else ["month"]
    rows = (
        qs.order_by()
        .annotate(month=MonthKey(field))
        .values(*names)
        .annotate(n=Count("pk"))
        .values_list(*names, "n")
    )
    out: dict[Any, int] = defaultdict(int)
    for row in rows:
        if row[0] is None:
            continue
        out[(row[0], row[1]) if by else row[0]] += row[-1]
    return out


def per_month(scope: Scope, values: dict[str, float | None]) -> list[float | None]:
    return [values.get(m) for m in scope.months]


def stats_per_month(scope: Scope, values: Iterable[tuple[str, float]]) -> dict[str, Any]:
    grouped: dict[str, list[float]] = defaultdict(list)
    everything: list[float] = []
    for month, value in values:
        grouped[month].append(value)
        everything.append(value)
    by_month = {m: summarize(v) for m, v in grouped.items()}
    return {
        "overall": summarize(everything),
        "median": [by_month[m]["median"] if m in by_month else None for m in scope.months],
        "p90": [by_month[m]["p90"] if m in by_month else None for m in scope.months],
        "count": [by_month[m]["count"] if m in by_month else None for m in scope.months],
    }


def ratio(part: float, whole: float) -> float | None:
    return round(part / whole, 4) if whole else None


def no_data(metric: Metric, why: str) -> Metric:
    metric.state = "no_data"
    metric.reading = f"No data yet: {why}"
    return metric


def trend_words(values: list[float | None], *, higher_is_better: bool, unit: str) -> str:
    """Compares the mean of the last three months that have a value with the three before:
    "up from 40% to 55%", or "" when there is not enough to compare."""
    present = [v for v in values if v is not None]
    if len(present) < 4:
        return ""
    recent = present[-3:]
    before = present[-6:-3]
    a, b = sum(before) / len(before), sum(recent) / len(recent)
    if fmt(a, unit) == fmt(b, unit):
        return f"steady at {fmt(b, unit)} over recent months"
    direction = "up" if b > a else "down"
    good = (b > a) == higher_is_better
    return (
        f"{direction} from {fmt(a, unit)} to {fmt(b, unit)} in recent months"
        f" ({'a good sign' if good else 'worth a look together'})"
    )


def series(label: str, values: list[float | None], unit: str, **kw: Any) -> Series:
    return Series(label, values, unit, **kw)
