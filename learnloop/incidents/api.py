"""Incidents API: create, read, update (PATCH), list with filters, and dashboard metrics.

Thin: every endpoint calls the same services and selectors as the web views. Another team's
private incident answers 404 like one that does not exist. Anonymous reports made here are as
unlinkable as from the web form (no reporter, a day-rounded time, random id, nothing logged).
"""

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from learnloop.accounts.http import AuthedHttpRequest
from learnloop.accounts.visibility import teams_visible_to
from learnloop.api.errors import errors
from learnloop.api.pagination import Pagination
from learnloop.api.types import BodyIn, IsoDate, IsoDateTime, JsonBool, JsonInt
from learnloop.core.accesslog import leave_out_of_access_log
from learnloop.core.errors import ApplicationError
from learnloop.incidents import metrics, selectors, services
from learnloop.incidents.models import Incident

router = Router(tags=["incidents"])


class IncidentIn(BodyIn):
    title: str
    description: str
    team: str | None = None
    kind: str = "service_incident"
    severity: str = ""
    tags: list[str] = []
    started_at: IsoDateTime | None = None
    detected_at: IsoDateTime | None = None
    acknowledged_at: IsoDateTime | None = None
    resolved_at: IsoDateTime | None = None
    visibility: str = "team"
    anonymous: JsonBool = False


class IncidentPatch(BodyIn):
    version: JsonInt = Field(..., description="The version you read; a stale one answers 409.")
    title: str | None = None
    description: str | None = None
    kind: str | None = None
    severity: str | None = None
    tags: list[str] | None = None
    started_at: IsoDateTime | None = None
    detected_at: IsoDateTime | None = None
    acknowledged_at: IsoDateTime | None = None
    resolved_at: IsoDateTime | None = None
    visibility: str | None = None


class IncidentOut(Schema):
    id: int
    title: str
    description: str
    kind: str
    severity: str
    team: str
    team_name: str
    tags: list[str]
    started_at: dt.datetime | None
    detected_at: dt.datetime | None
    acknowledged_at: dt.datetime | None
    resolved_at: dt.datetime | None
    visibility: str
    status: str
    is_anonymous: bool
    reporter: str | None
    version: int
    created_at: dt.datetime
    updated_at: dt.datetime

    @staticmethod
    def resolve_id(obj: Incident) -> int:
        return obj.pk

    @staticmethod
    def resolve_team(obj: Incident) -> str:
        return obj.team.slug

    @staticmethod
    def resolve_team_name(obj: Incident) -> str:
        return obj.team.name

    @staticmethod
    def resolve_tags(obj: Incident) -> list[str]:
        return [t.name for t in obj.tags.all()]

    @staticmethod
    def resolve_status(obj: Incident) -> str:
        return "resolved" if obj.resolved_at else "open"

    @staticmethod
    def resolve_reporter(obj: Incident) -> str | None:
        return obj.reporter.name if obj.reporter_id else None


class IncidentFilters(Schema):
    team: str | None = None
    kind: str | None = None
    severity: str | None = None
    tag: str | None = None
    status: str | None = None
    created_after: IsoDate | None = None
    created_before: IsoDate | None = None


@router.post("", response={201: IncidentOut, **errors(400, 422, 429)})
def incident_create(request: AuthedHttpRequest, payload: IncidentIn) -> Status[Incident]:
    leave_out_of_access_log(request)  # a logged time would date an anonymous report
    incident = services.incident_create(actor=request.user, **payload.dict())
    incident = selectors.incident_get(user=request.user, pk=incident.pk)
    return Status(201, incident)


@router.get("", response={200: list[IncidentOut], **errors(400, 422)})
@paginate(Pagination)
def incident_list(
    request: AuthedHttpRequest, filters: Query[IncidentFilters]
) -> QuerySet[Incident]:
    if filters.status and filters.status not in selectors.STATUSES:
        raise ApplicationError(
            "status: use open or resolved", fields={"status": ["Use “open” or “resolved”."]}
        )
    return selectors.incident_list(user=request.user, **filters.dict())


@router.get("/metrics", response={200: dict[str, Any], **errors(400, 422)})
def incident_metrics(
    request: AuthedHttpRequest, team: str | None = None, months: int = metrics.DEFAULT_WINDOW
) -> dict[str, Any]:
    """Dashboard numbers (minutes): time to detect, acknowledge, resolve by severity and
    month; time from resolution to published review; actions per month due. ``months``: the
    window (0 = all time); figures are cached like the dashboard's (see ``computed_at``)."""
    if months not in metrics.WINDOWS:
        choices = ", ".join(str(m) for m in metrics.WINDOWS)
        raise ApplicationError(
            f"months: choose one of {choices}", fields={"months": [f"Choose one of {choices}."]}
        )
    teams = list(teams_visible_to(request.user))
    if team:
        teams = [t for t in teams if t.slug == team]
        if not teams:
            raise ApplicationError("team: unknown team", fields={"team": ["Unknown team."]})
    data = dict(metrics.cached_dashboard_metrics(user=request.user, teams=teams, months=months))
    data["teams"] = [t.slug for t in teams]
    data["months"] = months
    return data


@router.get("/{pk}", response={200: IncidentOut, **errors(404, 422)})
def incident_detail(request: AuthedHttpRequest, pk: int) -> Incident:
    return selectors.incident_get(user=request.user, pk=pk)


@router.patch("/{pk}", response={200: IncidentOut, **errors(400, 404, 422, conflict=True)})
def incident_update(request: AuthedHttpRequest, pk: int, payload: IncidentPatch) -> Incident:
    incident = selectors.incident_get(user=request.user, pk=pk)
    services.incident_update(
        actor=request.user, incident=incident, **payload.dict(exclude_unset=True)
    )
    return selectors.incident_get(user=request.user, pk=pk)
