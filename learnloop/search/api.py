"""GET /api/search and GET|POST /api/related... mounted at /api/search: ``/api/search`` and
``/api/search/related``. Same selectors, same visibility rule as the web pages."""

from __future__ import annotations

from typing import Any

from ninja import Field, Query, Router, Schema

from learnloop.accounts.http import AuthedHttpRequest
from learnloop.api.errors import errors
from learnloop.api.types import BodyIn, JsonInt
from learnloop.core.accesslog import leave_out_of_access_log
from learnloop.search import selectors
from learnloop.search.sync import KINDS

router = Router(tags=["search"])


class SearchHitOut(Schema):
    kind: str
    id: int
    title: str
    team: str
    url: str | None
    external_id: str | None
    title_html: str
    snippet_html: str


class SearchOut(Schema):
    items: list[SearchHitOut]
    page: int
    page_size: int
    has_next: bool


class RelatedQuery(Schema):
    title: str = ""
    description: str = ""
    exclude_kind: str | None = None
    exclude_id: int | None = None
    limit: int = Field(selectors.RELATED_LIMIT, ge=1, le=20)


class RelatedIn(RelatedQuery, BodyIn):
    """The same fields as a JSON body, where a number must be a JSON number and no other field
    is taken."""

    exclude_id: JsonInt | None = None
    limit: JsonInt = Field(selectors.RELATED_LIMIT, ge=1, le=20)


class RelatedOut(Schema):
    kind: str
    id: int
    title: str
    team: str
    url: str | None
    external_id: str | None
    confidence: float
    reasons: list[str]


def _hit(r: selectors.Result) -> dict[str, Any]:
    return {
        "kind": r.kind,
        "id": r.object_id,
        "title": r.title,
        "team": r.team,
        "url": r.url,
        "external_id": r.external_id,
        "title_html": r.title_html,
        "snippet_html": r.snippet_html,
        "confidence": r.confidence or 0.0,
        "reasons": r.reasons,
    }


@router.get("", response={200: SearchOut, **errors(422)}, url_name="search")
def search(
    request: AuthedHttpRequest,
    q: str = "",
    kind: list[str] = Query([]),  # noqa: B008
    team: int | None = None,
    page: int = Query(1, ge=1, le=selectors.MAX_PAGE),
) -> dict[str, Any]:
    """Full-text search over incidents, reviews and lessons you may see. ``title_html`` and
    ``snippet_html`` are HTML-escaped with hits in ``<mark>``. Never fails on odd input."""
    result = selectors.search(
        request.user, q, {"kinds": [k for k in kind if k in KINDS], "team": team}, page
    )
    return {
        "items": [_hit(r) for r in result.results],
        "page": result.page,
        "page_size": selectors.PAGE_SIZE,
        "has_next": result.has_next,
    }


def _related(request: AuthedHttpRequest, data: RelatedQuery) -> list[dict[str, Any]]:
    leave_out_of_access_log(request)  # the text may be a report being written (decision 0010)
    exclude = []
    if data.exclude_kind in KINDS and data.exclude_id is not None:
        exclude.append((data.exclude_kind, data.exclude_id))
    results = selectors.related(
        request.user, data.title, data.description, exclude, limit=data.limit
    )
    return [_hit(r) for r in results]


@router.post("/related", response={200: list[RelatedOut], **errors(400, 422)}, url_name="related")
def related_post(request: AuthedHttpRequest, payload: RelatedIn) -> list[dict[str, Any]]:
    """Past items about the same failure mechanism, best first, with why each matched.
    An empty list means nothing passed the confidence threshold."""
    return _related(request, payload)


@router.get("/related", response={200: list[RelatedOut], **errors(422)}, url_name="related-get")
def related_get(request: AuthedHttpRequest, data: Query[RelatedQuery]) -> list[dict[str, Any]]:
    """Same as POST, with query parameters."""
    return _related(request, data)
