"""Dashboard numbers as plain functions, so they are tested on hand-computed data.

Durations are in minutes. Statistics: arithmetic mean; median (mean of the two middle values
for an even count); p90 by the *nearest-rank* method (the smallest value with at least 90% of
values at or below it: ``sorted[ceil(0.9 n) - 1]``), which is always an observed value.

Grouping by month uses the month (UTC) of the measure's start: ``started_at`` for time to
detect and resolve, ``detected_at`` for time to acknowledge, ``resolved_at`` for time to a
published review, ``due_date`` for actions. Negative durations (only possible in imported
data) are ignored.

Counting incidents (how many, and per month) uses the start time when one is given and the
report date otherwise: a quick report often has no start time, and it still happened.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from django.db.models import Func, IntegerField

from learnloop.accounts.models import Team
from learnloop.accounts.visibility import Viewer, team_ids_of
from learnloop.actions.models import Action
from learnloop.core.sql import MinutesBetween, MonthKey
from learnloop.incidents.models import Incident
from learnloop.reviews.models import Review

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
    # Called for every duration: skip the conversion when the value is already in UTC (as
    # the database returns it) and format the two numbers directly (4x faster than strftime).
    if isinstance(value, dt.datetime) and value.tzinfo is not dt.UTC:
        value = value.astimezone(dt.UTC)
    return f"{value.year:04d}-{value.month:02d}"


def incident_durations(incidents: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """Time to detect, acknowledge and resolve: overall, by severity and by month.

    ``incidents``: mappings with ``severity`` and the four ``*_at`` times (e.g. ``.values()``).
    """
    return _durations(
        (row.get("severity"), *(row.get(f) for f in TIME_FIELDS)) for row in incidents
    )


#: The incident times, in the order :func:`_durations` reads them from each row.
TIME_FIELDS = ("started_at", "detected_at", "acknowledged_at", "resolved_at")
_MEASURE_INDEXES = {
    m: (1 + TIME_FIELDS.index(start), 1 + TIME_FIELDS.index(end))
    for m, (start, end) in MEASURES.items()
}


def _durations(rows: Iterable[tuple[Any, ...]]) -> dict[str, Any]:
    """:func:`incident_durations` over ``(severity, *TIME_FIELDS)`` tuples (``values_list``):
    no model instances, no dict per row."""
    raw: dict[str, dict[str, Any]] = {
        m: {"all": [], "sev": defaultdict(list), "month": defaultdict(list)} for m in MEASURES
    }
    for row in rows:
        for measure, (i, j) in _MEASURE_INDEXES.items():
            minutes = _minutes(row[i], row[j])
            if minutes is None:
                continue
            bucket = raw[measure]
            bucket["all"].append(minutes)
            bucket["sev"][row[0] or NO_SEVERITY].append(minutes)
            bucket["month"][month_of(row[i])].append(minutes)
    return _summaries(raw)


def _summaries(raw: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Per measure: the summary of every value, by severity and by month."""
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


def incident_counts(rows: Iterable[tuple[Any, Any]]) -> dict[str, dict[str, int]]:
    """Incidents per month: ``started`` (month of the start time) and ``reported`` (no start
    time given: month of the report date). ``rows``: ``(started_at, created_at)``."""
    out: dict[str, dict[str, int]] = defaultdict(lambda: {"started": 0, "reported": 0})
    for started_at, created_at in rows:
        if started_at is not None:
            out[month_of(started_at)]["started"] += 1
        elif created_at is not None:
            out[month_of(created_at)]["reported"] += 1
    return dict(sorted(out.items()))


def _durations_of_minutes(rows: Iterable[tuple[Any, ...]]) -> dict[str, Any]:
    """:func:`_durations` over rows the database has already reduced (decision 0078):
    ``(severity, month of started_at, month of detected_at, minutes to detect, to acknowledge,
    to resolve, …)`` (later columns are not read), months as ``"YYYY-MM"`` and minutes as floats
    (None when a time is missing).
    Each measure is grouped by the month of its start, as :func:`_durations` does."""
    raw: dict[str, dict[str, Any]] = {
        m: {"all": [], "sev": defaultdict(list), "month": defaultdict(list)} for m in MEASURES
    }
    buckets = [(raw["detect"], 1, 3), (raw["acknowledge"], 2, 4), (raw["resolve"], 1, 5)]
    for row in rows:
        for bucket, month_at, minutes_at in buckets:
            minutes = row[minutes_at]
            if minutes is None or minutes < 0:
                continue
            bucket["all"].append(minutes)
            bucket["sev"][row[0] or NO_SEVERITY].append(minutes)
            bucket["month"][row[month_at]].append(minutes)
    return _summaries(raw)


def dashboard_metrics(
    *,
    user: Viewer,
    teams: Iterable[Team],
    today: dt.date | None = None,
    since: dt.datetime | None = None,
) -> dict[str, Any]:
    """All dashboard numbers for ``teams``, counting only what ``user`` may see.

    ``since`` limits the data to a window: incidents that started at or after it, or were
    reported at or after it when no start time is given (and the reviews of those incidents),
    actions due on or after its date. The database reduces each row to what is counted — its
    months (``"YYYY-MM"``) and its durations in minutes — so no datetime is built per row
    (decision 0078); never model instances."""
    from django.db.models import OuterRef, Q, Subquery
    from django.utils import timezone

    team_ids = [t.pk for t in teams]
    incidents = Incident.objects.visible_to(user).filter(team_id__in=team_ids)
    actions = Action.objects.visible_to(user).filter(team_id__in=team_ids)
    if since is not None:
        incidents = incidents.filter(
            Q(started_at__gte=since) | Q(started_at__isnull=True, created_at__gte=since)
        )
        actions = actions.filter(due_date__gte=since.date())
    # Each incident's first publication among the reviews ``user`` may see, read in the same
    # pass over the incidents (a correlated lookup on the review's incident index).
    first_published = Subquery(
        Review.objects.visible_to(user)
        .filter(incident=OuterRef("pk"), published_at__isnull=False)
        .order_by("published_at")
        .values("published_at")[:1]
    )
    rows = _raw_rows(
        incidents.order_by()
        .annotate(
            m_started=MonthKey("started_at"),
            m_detected=MonthKey("detected_at"),
            m_reported=MonthKey("created_at"),
            m_resolved=MonthKey("resolved_at"),
            to_detect=MinutesBetween("started_at", "detected_at"),
            to_acknowledge=MinutesBetween("detected_at", "acknowledged_at"),
            to_resolve=MinutesBetween("started_at", "resolved_at"),
            to_review=MinutesBetween("resolved_at", first_published),
        )
        .values_list(
            "severity",
            "m_started",
            "m_detected",
            "to_detect",
            "to_acknowledge",
            "to_resolve",
            "m_resolved",
            "to_review",
            "m_reported",
        )
    )
    lags: list[float] = []
    lags_by_month: dict[str, list[float]] = defaultdict(list)
    for row in rows:
        lag = row[7]
        if lag is not None and lag >= 0:
            lags.append(lag)
            lags_by_month[row[6]].append(lag)
    by_month: dict[str, dict[str, int]] = defaultdict(lambda: {"started": 0, "reported": 0})
    for row in rows:
        if row[1] is not None:
            by_month[row[1]]["started"] += 1
        elif row[-1] is not None:
            by_month[row[-1]]["reported"] += 1
    today = today or timezone.now().date()
    return {
        "incident_count": len(rows),
        "incidents_by_month": dict(sorted(by_month.items())),
        "durations": _durations_of_minutes(rows),
        "review_lag": {
            "overall": summarize(lags),
            "by_month": {k: summarize(v) for k, v in sorted(lags_by_month.items())},
        },
        "actions": _follow_through_in_sql(actions, today=today),
    }


def _raw_rows(qs: Any) -> list[tuple[Any, ...]]:
    """The rows of a ``values_list`` queryset as the database driver returns them, without
    Django's converter call per value (decision 0174): every column here is already a string,
    a float or NULL (``MonthKey``, ``MinutesBetween``, a text column), which the converters
    would only pass through ``float()``."""
    from django.db import connections

    sql, params = qs.query.get_compiler(using=qs.db).as_sql()
    with connections[qs.db].cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


class DoneAfterDue(Func):
    """1 when the first expression, a datetime, falls on a later UTC day than the second, a
    date; 0 otherwise, and when the datetime is NULL (the rule of :func:`action_follow_through`:
    a done action without ``done_at`` is on time)."""

    arity = 2
    output_field = IntegerField()

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        # Datetimes are stored as UTC text, dates as YYYY-MM-DD (core.sql.MonthKey).
        return self._sql(compiler, "substr({done}, 1, 10) > {due}")

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self._sql(compiler, "({done} AT TIME ZONE 'UTC')::date > {due}")

    def _sql(self, compiler: Any, later: str) -> tuple[str, list[Any]]:
        done_sql, done_params = compiler.compile(self.source_expressions[0])
        due_sql, due_params = compiler.compile(self.source_expressions[1])
        condition = later.format(done=done_sql, due=due_sql)
        return (
            f"(CASE WHEN {done_sql} IS NOT NULL AND {condition} THEN 1 ELSE 0 END)",
            [*done_params, *done_params, *due_params],
        )


def _follow_through_in_sql(actions: Any, *, today: dt.date) -> dict[str, dict[str, int]]:
    """:func:`action_follow_through` counted by the database: one row per month of due date
    and state instead of one per action, so no date or datetime is built per row (decision
    0174). The same states by the same rules (``incidents/tests/test_metrics.py`` compares
    the two)."""
    from django.db.models import Case, Count, F, Value, When

    state = Case(
        When(status="done", late=1, then=Value("late")),
        When(status="done", then=Value("on_time")),
        When(due_date__lt=today, then=Value("overdue")),
        default=Value("open"),
    )
    rows = (
        actions.filter(due_date__isnull=False)
        .exclude(status="wont_do")
        .order_by()
        .annotate(late=DoneAfterDue(F("done_at"), F("due_date")))
        .annotate(month=MonthKey("due_date"), state=state)
        .values("month", "state")
        .annotate(n=Count("pk"))
        .values_list("month", "state", "n")
    )
    out: dict[str, dict[str, int]] = defaultdict(
        lambda: {"on_time": 0, "late": 0, "overdue": 0, "open": 0}
    )
    for month, name, n in rows:
        out[month][name] += n
    return dict(sorted(out.items()))


#: Dashboard windows offered, in months; 0 means all time. The default keeps the work bounded.
WINDOWS = (12, 24, 0)
DEFAULT_WINDOW = 12
#: Computed figures are kept this long in the process's memory; the page shows their time.
CACHE_SECONDS = 300


def window_start(months: int, *, now: dt.datetime | None = None) -> dt.datetime | None:
    """First instant (UTC) of the calendar month ``months - 1`` months before ``now``'s month,
    so "12" means this month and the 11 before it, whole months only. None for all time."""
    if not months:
        return None
    from django.utils import timezone

    now = (now or timezone.now()).astimezone(dt.UTC)
    index = now.year * 12 + now.month - 1 - (months - 1)
    return dt.datetime(index // 12, index % 12 + 1, 1, tzinfo=dt.UTC)


def cached_dashboard_metrics(*, user: Viewer, teams: Iterable[Team], months: int) -> dict[str, Any]:
    """:func:`dashboard_metrics` over a window, kept until the organisation's data changes and
    for at most ``CACHE_SECONDS``: in the per-process ``local`` cache, and shared by the
    server's worker processes through their anonymous shared memory, so one worker computes
    the figures of a data version and the others read them (``core.shared_memory``, decision
    0174). Never the shared cache: a file-cache entry with ``computed_at`` and counts that do
    or do not include a day's anonymous report would say when it was filed (decision 0010).

    The key holds everything the figures depend on: the organisation (and its creation time,
    so a recreated organisation reusing an id never meets old figures), the chosen teams, the
    chosen teams ``user`` belongs to (they decide which team-private rows count; everything
    else visible is organisation-wide), the window and today's date, and the organisation's
    data version (``web.data_version``, one indexed query; decision 0076), so any write in the
    organisation, an edit included, shows on the next view (read-your-writes). No id enters
    the key. The result has ``computed_at`` (an aware datetime)."""
    from django.core.cache import caches
    from django.utils import timezone

    from learnloop.core import shared_memory as shared
    from learnloop.web.data_version import data_version

    teams = list(teams)
    team_ids = sorted(t.pk for t in teams)
    mine = sorted(set(team_ids_of(user)) & set(team_ids))
    org = user.organisation
    today = timezone.localdate()
    key = "dashboard:v3:" + ":".join(
        [
            f"{org.pk if org else 0}-{org.created_at.timestamp() if org else 0}",
            ",".join(map(str, team_ids)),
            ",".join(map(str, mine)),
            str(months),
            today.isoformat(),
            str(data_version(org.pk if org else 0)),
        ]
    )
    cache = caches["local"]
    data = cache.get(key)
    if data is None:

        def compute() -> dict[str, Any]:
            found = dashboard_metrics(
                user=user, teams=teams, today=today, since=window_start(months)
            )
            found["computed_at"] = timezone.now()
            return found

        # Aged by the clock only (same data version and day): served while one thread of the
        # server computes them again (decision 0246).
        data = shared.get_or_compute(
            key, compute, max_age=CACHE_SECONDS, stale_for=shared.STALE_SECONDS
        )
        age = (timezone.now() - data["computed_at"]).total_seconds()
        cache.set(key, data, max(1, round(CACHE_SECONDS - age)))
    return data
