"""Metrics API: the same numbers as the leaders' page (``metrics.catalogue.board``), for a
team (its members) or the organisation (its admins). Another team's metrics are a 404."""

from typing import Any

from django.http import Http404
from ninja import Query, Router, Schema

from learnloop.accounts.http import AuthedHttpRequest
from learnloop.api.errors import errors
from learnloop.metrics.catalogue import CATALOGUE, KEYS, board
from learnloop.metrics.scope import WINDOWS, organisation_scope, team_scope

router = Router(tags=["metrics"])


class SeriesOut(Schema):
    label: str
    unit: str
    reference: bool
    values: list[float | None]


class MatchOut(Schema):
    incident_id: int
    incident_title: str
    incident_url: str
    past_id: int
    past_title: str
    past_url: str
    confidence: float
    month: str


class MetricOut(Schema):
    key: str
    title: str
    group: str
    state: str
    reading: str
    definition: str
    as_of: str | None
    months: list[str]
    series: list[SeriesOut]
    matches: list[MatchOut]


class BoardOut(Schema):
    computed_at: str
    metrics: list[MetricOut]


class Window(Schema):
    months: int = 12


class CatalogueOut(Schema):
    keys: list[str]
    windows: list[int]


def _months(window: Window) -> int:
    if window.months not in WINDOWS:
        raise Http404
    return window.months


def _one(result: Any, metric: str) -> dict[str, Any]:
    if metric not in CATALOGUE:
        raise Http404
    data: dict[str, Any] = result.get(metric).as_json()
    return data


@router.get("", response={200: CatalogueOut, **errors()}, url_name="catalogue")
def catalogue(request: AuthedHttpRequest) -> dict[str, Any]:
    """The metric keys, in the leaders' page order, and the periods offered (months)."""
    return {"keys": KEYS, "windows": list(WINDOWS)}


@router.get("/organisation", response={200: BoardOut, **errors(404, 422)}, url_name="organisation")
def organisation(request: AuthedHttpRequest, window: Query[Window]) -> dict[str, Any]:
    """Every metric for the organisation (organisation admins; anyone else gets 404)."""
    data: dict[str, Any] = board(organisation_scope(request.user, months=_months(window))).as_json()
    return data


@router.get(
    "/organisation/{metric}",
    response={200: MetricOut, **errors(404, 422)},
    url_name="organisation-metric",
)
def organisation_metric(
    request: AuthedHttpRequest, metric: str, window: Query[Window]
) -> dict[str, Any]:
    return _one(board(organisation_scope(request.user, months=_months(window))), metric)


@router.get("/teams/{slug}", response={200: BoardOut, **errors(404, 422)}, url_name="team")
def team(request: AuthedHttpRequest, slug: str, window: Query[Window]) -> dict[str, Any]:
    """Every metric for one of your teams (another team's is a 404)."""
    data: dict[str, Any] = board(team_scope(request.user, slug, months=_months(window))).as_json()
    return data


@router.get(
    "/teams/{slug}/{metric}", response={200: MetricOut, **errors(404, 422)}, url_name="team-metric"
)
def team_metric(
    request: AuthedHttpRequest, slug: str, metric: str, window: Query[Window]
) -> dict[str, Any]:
    return _one(board(team_scope(request.user, slug, months=_months(window))), metric)
