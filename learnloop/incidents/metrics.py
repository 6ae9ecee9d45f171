"""Dashboard numbers as plain functions, so they are tested on hand-computed data.

Durations are in minutes. Statistics: arithmetic mean; median (mean of the two middle values
for an even count); p90 by the *nearest-rank* method (the smallest value with at least 90% of
values at or below it: ``sorted[ceil(0.9 n) - 1]``), which is always an observed value.

Grouping by month uses the month (UTC) of the measure's start: ``started_at`` for time to
detect and resolve, ``detected_at`` for time to acknowledge, ``resolved_at`` for time to a
published review, ``due_date`` for actions. Negative durations (only possible in imported
data) are ignored.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

MEASURES: dict[str, tuple[str, str]] = {
    "detect": ("started_at", "detected_at"),
    "acknowledge": ("detected_at", "acknowledged_at"),
    "resolve": ("started_at", "resolved_at"),
}
MEASURE_LABELS = {
    "detect": "Time to detect",
    "acknowledge": "Time to acknowledge",
    "resolve": "Time to resolve",
}
NO_SEVERITY = ""


def summarize(values: Iterable[float]) -> dict[str, float | int | None]:
    """count, mean, median and p90 (nearest rank) of ``values``; None when there are none."""
    data = sorted(values)
    n = len(data)
    if n == 0:
        return {"count": 0, "mean": None, "median": None, "p90": None}
    mid = n // 2
    median = data[mid] if n % 2 else (data[mid - 1] + data[mid]) / 2
    p90 = data[max(math.ceil(0.9 * n) - 1, 0)]
    return {
        "count": n,
        "mean": round(sum(data) / n, 2),
        "median": round(median, 2),
        "p90": round(p90, 2),
    }


def _minutes(start: dt.datetime | None, end: dt.datetime | None) -> float | None:
    if start is None or end is None:
        return None
    minutes = (end - start).total_seconds() / 60
    return minutes if minutes >= 0 else None


def month_of(value: dt.datetime | dt.date) -> str:
    if isinstance(value, dt.datetime):
        value = value.astimezone(dt.UTC)
    return f"{value:%Y-%m}"


def incident_durations(incidents: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """Time to detect, acknowledge and resolve: overall, by severity and by month.

    ``incidents``: mappings with ``severity`` and the four ``*_at`` times (e.g. ``.values()``).
    """
    raw: dict[str, dict[str, Any]] = {
        m: {"all": [], "sev": defaultdict(list), "month": defaultdict(list)} for m in MEASURES
    }
    for row in incidents:
        for measure, (start, end) in MEASURES.items():
            minutes = _minutes(row.get(start), row.get(end))
            if minutes is None:
                continue
            bucket = raw[measure]
            bucket["all"].append(minutes)
            bucket["sev"][row.get("severity") or NO_SEVERITY].append(minutes)
            bucket["month"][month_of(row[start])].append(minutes)
    return {
        measure: {
            "overall": summarize(bucket["all"]),
            "by_severity": {k: summarize(v) for k, v in sorted(bucket["sev"].items())},
            "by_month": {k: summarize(v) for k, v in sorted(bucket["month"].items())},
        }
        for measure, bucket in raw.items()
    }


def review_lag(
    pairs: Iterable[tuple[dt.datetime | None, dt.datetime | None]],
) -> dict[str, Any]:
    """Time from resolution to the first published review, per incident: overall and by month
    of resolution. ``pairs``: ``(resolved_at, first_published_at)``."""
    values: list[float] = []
    by_month: dict[str, list[float]] = defaultdict(list)
    for resolved_at, published_at in pairs:
        minutes = _minutes(resolved_at, published_at)
        if minutes is None:
            continue
        values.append(minutes)
        by_month[month_of(resolved_at)].append(minutes)
    return {
        "overall": summarize(values),
        "by_month": {k: summarize(v) for k, v in sorted(by_month.items())},
    }


def action_follow_through(
    actions: Iterable[Mapping[str, Any]], *, today: dt.date
) -> dict[str, dict[str, int]]:
    """Per month of due date: actions done on time, done late, overdue (not done, past due)
    and open (not done, not yet due). Actions without a due date or marked "won't do" are left
    out. A done action without ``done_at`` counts as on time (nothing says it was late)."""
    out: dict[str, dict[str, int]] = defaultdict(
        lambda: {"on_time": 0, "late": 0, "overdue": 0, "open": 0}
    )
    for row in actions:
        due = row.get("due_date")
        status = row.get("status")
        if due is None or status == "wont_do":
            continue
        counts = out[month_of(due)]
        if status == "done":
            done_at = row.get("done_at")
            late = done_at is not None and done_at.astimezone(dt.UTC).date() > due
            counts["late" if late else "on_time"] += 1
        elif due < today:
            counts["overdue"] += 1
        else:
            counts["open"] += 1
    return dict(sorted(out.items()))


def dashboard_metrics(*, user: Any, teams: Iterable[Any], today: dt.date | None = None) -> dict:
    """All dashboard numbers for ``teams``, counting only what ``user`` may see."""
    from django.db.models import Min
    from django.utils import timezone

    from learnloop.actions.models import Action
    from learnloop.incidents.models import Incident
    from learnloop.reviews.models import Review

    team_ids = [t.pk for t in teams]
    incidents = Incident.objects.visible_to(user).filter(team_id__in=team_ids)
    rows = incidents.values("severity", *{f for pair in MEASURES.values() for f in pair})
    first_published = (
        Review.objects.visible_to(user)
        .filter(
            incident__in=incidents,
            published_at__isnull=False,
            incident__resolved_at__isnull=False,
        )
        .values("incident_id", "incident__resolved_at")
        .annotate(first=Min("published_at"))
    )
    actions = (
        Action.objects.visible_to(user)
        .filter(team_id__in=team_ids)
        .values("due_date", "done_at", "status")
    )
    today = today or timezone.now().date()
    return {
        "incident_count": incidents.count(),
        "durations": incident_durations(rows),
        "review_lag": review_lag((r["incident__resolved_at"], r["first"]) for r in first_published),
        "actions": action_follow_through(actions, today=today),
    }
