"""Reads for incidents. Every query starts from ``Incident.objects.visible_to(user)``."""

from __future__ import annotations

import datetime as dt

from django.db.models import BigIntegerField, QuerySet

from learnloop.accounts.visibility import (
    Viewer,
    compiled_visible_or_404,
    get_by_pk_visible_or_404,
)
from learnloop.core.compiled import Compiled, CompiledObjects, Param
from learnloop.incidents.models import Incident

STATUSES = ("open", "resolved")


def incident_list(
    *,
    user: Viewer,
    team: str | None = None,
    kind: str | None = None,
    severity: str | None = None,
    tag: str | None = None,
    status: str | None = None,
    created_after: dt.date | None = None,
    created_before: dt.date | None = None,
) -> QuerySet[Incident]:
    """Visible incidents, newest first, with team, reporter and tags loaded (no N+1).

    Anonymous reports carry only a date and a random id, so in this order they sit after the
    day's named reports in random order: their neighbours say nothing about their time.
    """
    qs = (
        Incident.objects.visible_to(user)
        # team prefetched, not joined: with the JOIN SQLite sorts every visible row (1M rows:
        # 500 ms) instead of walking the created_at index (1 ms); docs/benchmarks.md.
        .select_related("reporter")
        .prefetch_related("team", "tags")
        .order_by("-created_at", "-id")
    )
    if team:
        qs = qs.filter(team__slug=team)
    if kind:
        qs = qs.filter(kind=kind)
    if severity:
        qs = qs.filter(severity=severity)
    if tag:
        qs = qs.filter(tags__name__iexact=" ".join(tag.split()))
    if status == "open":
        qs = qs.filter(resolved_at__isnull=True)
    elif status == "resolved":
        qs = qs.filter(resolved_at__isnull=False)
    if created_after:
        qs = qs.filter(created_at__date__gte=created_after)
    if created_before:
        qs = qs.filter(created_at__date__lte=created_before)
    return qs


def incident_get(*, user: Viewer, pk: int, with_tags: bool = True) -> Incident:
    """One visible incident, or 404 (also for other teams' private ones: never 403).

    Read by primary key and checked with the visibility rule on the loaded row (decision
    0179): the same answer as filtering by the rule, without its subquery to build.
    ``with_tags=False`` leaves the tags unloaded (the page reads their names: :func:`tag_names`).
    """
    qs = Incident.objects.select_related("team__organisation", "reporter")
    if with_tags:
        return get_by_pk_visible_or_404(qs.prefetch_related("tags"), user, pk)
    return compiled_visible_or_404(_BY_PK, user, pk)


#: :func:`incident_get`'s read without tags, compiled once per connection (decision 0234): the
#: incident page reads it on every view (an anonymous report's page is never kept).
_BY_PK = CompiledObjects(
    lambda: Incident.objects.select_related("team__organisation", "reporter").filter(
        pk=Param("pk", BigIntegerField())
    )[:1]
)


#: The incident's tag names, by name, compiled once per connection (decision 0236).
_TAG_ROWS = Compiled(
    lambda: (
        Incident.tags.through.objects.filter(incident_id=Param("incident", BigIntegerField()))
        .order_by("tag__name")
        .values("tag__name")
    )
)


def tag_names(incident: Incident) -> list[str]:
    """The incident's tag names, by name: one compiled query (decisions 0179, 0236)."""
    return [row["tag__name"] for row in _TAG_ROWS.rows(incident=incident.pk)]
