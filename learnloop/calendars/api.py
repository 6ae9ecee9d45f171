"""Calendar feeds API: the signed-in person's own subscribe URLs."""

from __future__ import annotations

from typing import Any

from ninja import Router, Schema

from learnloop.accounts.http import AuthedHttpRequest
from learnloop.api.errors import errors
from learnloop.api.types import BodyIn, JsonInt
from learnloop.calendars import selectors, services

router = Router(tags=["calendars"])


class FeedOut(Schema):
    team_id: int | None
    team_name: str | None
    url: str | None


class FeedIn(BodyIn):
    team_id: JsonInt | None = None


class RevokedOut(Schema):
    revoked: bool


@router.get("/feeds", response={200: list[FeedOut], **errors()})
def feed_list(request: AuthedHttpRequest) -> list[dict[str, Any]]:
    """Your personal feed and one per team of yours; ``url`` is null when there is none."""
    return [
        {
            "team_id": row.team.pk if row.team else None,
            "team_name": row.team.name if row.team else None,
            "url": row.url or None,
        }
        for row in selectors.feed_rows(request.user)
    ]


@router.post("/feeds", response={200: FeedOut, **errors(404, 422)})
def feed_regenerate(request: AuthedHttpRequest, payload: FeedIn) -> dict[str, Any]:
    """Create the feed, or replace its secret (the old URL answers 404 from now on)."""
    feed = services.feed_regenerate(actor=request.user, team_id=payload.team_id)
    return {
        "team_id": feed.team_id,
        "team_name": feed.team.name if feed.team else None,
        "url": selectors.feed_url(feed),
    }


@router.post("/feeds/revoke", response={200: RevokedOut, **errors(404, 422)})
def feed_revoke(request: AuthedHttpRequest, payload: FeedIn) -> dict[str, Any]:
    return {"revoked": services.feed_revoke(actor=request.user, team_id=payload.team_id)}
