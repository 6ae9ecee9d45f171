"""Repeat incidents: the share of new incidents with a close match among the past ones — the
related engine (``search.selectors.related_documents``) above its own threshold — with the
matches listed. The engine is costly, so a daily job compares each incident once and keeps
the result (``RepeatCheck``, ``RepeatMatch``); the page reads those and says when they were
computed (decision 0213)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.db import transaction
from django.db.models import Count, Exists, OuterRef
from django.urls import reverse
from django.utils import timezone

from learnloop.accounts.models import Organisation
from learnloop.accounts.visibility import visibility_sql
from learnloop.core.ids import random_negative_id
from learnloop.core.sql import MonthKey
from learnloop.incidents.metrics import month_of
from learnloop.incidents.models import Incident
from learnloop.metrics.common import no_data, ratio, series
from learnloop.metrics.models import RepeatCheck, RepeatMatch, RepeatScan
from learnloop.metrics.results import Match, Metric, fmt
from learnloop.metrics.scope import Scope
from learnloop.search.selectors import related_documents
from learnloop.search.sync import flush, vendor

#: Incidents compared per organisation per run (the rest wait for the next run).
PER_RUN = 500
#: Incidents ``learnloop seed`` compares after indexing (the most recent ones).
SEED_LIMIT = 200
#: Only incidents this recent are compared: the page shows at most 24 months.
LOOK_BACK_DAYS = 2 * 366
MATCHES_SHOWN = 20
#: A second, stricter bar shown beside the engine's own threshold: the engine's threshold is
#: tuned for suggestions ("may be related"), so its share is an upper bound (decision 0213).
STRONG = 0.5


def _midnight(now: dt.datetime) -> dt.datetime:
    return now.astimezone(dt.UTC).replace(hour=0, minute=0, second=0, microsecond=0)


def scan_organisation(
    organisation: Organisation,
    *,
    now: dt.datetime | None = None,
    limit: int = PER_RUN,
    new_id: Callable[[], int] = random_negative_id,
) -> int:
    """Compare up to ``limit`` unchecked incidents reported before today (UTC), newest first
    (after a large import the recent months fill in first), with the earlier incidents of the
    organisation (every team's, whatever their visibility: the page filters
    by the viewer); returns how many were compared. Each match gets the id ``new_id()``
    (random outside the sequence; ``learnloop seed`` draws them from its own source)."""
    now = now or timezone.now()
    cutoff = _midnight(now)
    flush()  # documents written earlier in this transaction are compared too (search is deferred)
    team_ids = list(organisation.teams.values_list("pk", flat=True))
    where, params = visibility_sql(vendor(), organisation.pk, team_ids)
    todo = list(
        Incident.objects.filter(
            team__organisation=organisation,
            created_at__lt=cutoff,
            created_at__gte=cutoff - dt.timedelta(days=LOOK_BACK_DAYS),
        )
        .exclude(pk__in=RepeatCheck.objects.values("incident_id"))
        .order_by("-created_at", "-pk")
        .values_list("pk", "title", "description", "created_at")[:limit]
    )
    for pk, title, description, created_at in todo:
        hits = related_documents(
            title, description, where=where, params=params, exclude=[("incident", pk)], limit=10
        )
        ids = {int(h["object_id"]): float(h["confidence"]) for h in hits if h["kind"] == "incident"}
        earlier = set(
            Incident.objects.filter(pk__in=list(ids), created_at__lt=created_at).values_list(
                "pk", flat=True
            )
        )
        with transaction.atomic():
            RepeatCheck.objects.get_or_create(incident_id=pk)
            RepeatMatch.objects.bulk_create(
                [
                    RepeatMatch(id=new_id(), incident_id=pk, past_id=i, confidence=ids[i])
                    for i in earlier
                ],
                ignore_conflicts=True,
            )
    RepeatScan.objects.update_or_create(organisation=organisation, defaults={"as_of": now})
    return len(todo)


def scan_all(*, now: dt.datetime | None = None) -> int:
    return sum(scan_organisation(org, now=now) for org in Organisation.objects.order_by("pk"))


def _title(text: str) -> str:
    return text if len(text) <= 80 else text[:79] + "…"


def repeat_incidents(scope: Scope) -> Metric:
    visible = Incident.objects.visible_to(scope.user)
    mine = visible.filter(team_id__in=scope.team_ids, created_at__gte=scope.since)
    checked = mine.filter(pk__in=RepeatCheck.objects.values("incident_id"))
    matched = RepeatMatch.objects.filter(past__in=visible.order_by().values("pk"))
    close = Exists(matched.filter(incident=OuterRef("pk")))
    repeats = checked.filter(close)
    # One pass over the compared incidents counts all three per month (decision 0174).
    rows = (
        checked.order_by()
        .annotate(month=MonthKey("created_at"))
        .values("month")
        .annotate(
            n=Count("pk"),
            close=Count("pk", filter=close),
            strong=Count(
                "pk",
                filter=Exists(matched.filter(incident=OuterRef("pk"), confidence__gte=STRONG)),
            ),
        )
        .values_list("month", "n", "close", "strong")
    )
    checked_by_month: dict[str, int] = {}
    repeat_by_month: dict[str, int] = {}
    strong_by_month: dict[str, int] = {}
    for month, n, k, strong_k in rows:
        if month is None:
            continue
        for counts, value in (
            (checked_by_month, n),
            (repeat_by_month, k),
            (strong_by_month, strong_k),
        ):
            if value:
                counts[month] = value
    scan = RepeatScan.objects.filter(organisation=scope.organisation).first()
    metric = Metric(
        key="repeat-incidents",
        title="Repeat incidents",
        group="Learning yield",
        reading="",
        definition=(
            "Of the incidents reported in a month and already compared, the share with a close "
            "match among earlier incidents of the organisation that you may see (the related "
            "engine above its own threshold), and with a strong match (confidence ≥ 0.5). "
            "Compared once a day, up to yesterday."
        ),
        months=scope.months,
        series=[
            series(
                "With a close earlier match",
                [
                    ratio(repeat_by_month.get(m, 0), checked_by_month[m])
                    if checked_by_month.get(m)
                    else None
                    for m in scope.months
                ],
                "share",
            ),
            series(
                f"Strong match (confidence ≥ {STRONG})",
                [
                    ratio(strong_by_month.get(m, 0), checked_by_month[m])
                    if checked_by_month.get(m)
                    else None
                    for m in scope.months
                ],
                "share",
            ),
            series("Compared", [checked_by_month.get(m) for m in scope.months], "count"),
        ],
        as_of=scan.as_of if scan else None,
    )
    match_rows = (
        matched.filter(incident__in=repeats.values("pk"))
        .select_related("incident", "past")
        .order_by("-incident__created_at", "-confidence")[:MATCHES_SHOWN]
    )
    metric.matches = [
        Match(
            incident_id=r.incident.pk,
            incident_title=_title(r.incident.title),
            incident_url=reverse("incidents:detail", args=[r.incident.pk]),
            past_id=r.past.pk,
            past_title=_title(r.past.title),
            past_url=reverse("incidents:detail", args=[r.past.pk]),
            confidence=round(r.confidence, 2),
            month=month_of(r.incident.created_at),
        )
        for r in match_rows
    ]
    n = sum(checked_by_month.values())
    if not n:
        return no_data(
            metric,
            "no incident of this period has been compared yet (once a day, up to yesterday).",
        )
    k = sum(repeat_by_month.values())
    strong_n = sum(strong_by_month.values())
    metric.reading = (
        f"{fmt(ratio(k, n), 'share')} of {n} incidents closely match an earlier one "
        f"({fmt(ratio(strong_n, n), 'share')} strongly): "
        + (
            "worth checking whether the earlier lesson reached everyone."
            if k
            else "no repeats found."
        )
    )
    return metric
