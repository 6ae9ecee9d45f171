"""Notifications API: the signed-in person's own notifications only."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from ninja import Router, Schema
from ninja.pagination import paginate

from learnloop.accounts.http import AuthedHttpRequest
from learnloop.api.errors import errors
from learnloop.api.pagination import Pagination
from learnloop.api.types import BodyIn
from learnloop.core.errors import NotFound
from learnloop.notifications import selectors, services
from learnloop.notifications.delivery import preferences_for, preferences_update
from learnloop.notifications.models import Notification

router = Router(tags=["notifications"])


class NotificationOut(Schema):
    id: int
    text: str
    url: str
    created_at: dt.datetime
    read_at: dt.datetime | None


class CountOut(Schema):
    unread: int


class MarkedOut(Schema):
    marked: int


@router.get("", response={200: list[NotificationOut], **errors(422)})
@paginate(Pagination)
def notification_list(request: AuthedHttpRequest, unread: bool = False) -> QuerySet[Notification]:
    return selectors.notification_list(user=request.user, unread_only=unread)


@router.get("/unread-count", response={200: CountOut, **errors()})
def notification_unread_count(request: AuthedHttpRequest) -> dict[str, Any]:
    return {"unread": selectors.unread_count(user=request.user)}


class PreferencesIn(BodyIn):
    assigned: str | None = None
    participant: str | None = None
    published: str | None = None
    comment: str | None = None
    reminder: str | None = None
    digest: str | None = None


class PreferencesOut(Schema):
    assigned: str
    participant: str
    published: str
    comment: str
    reminder: str
    digest: str


@router.get("/preferences", response={200: PreferencesOut, **errors()})
def preferences_read(request: AuthedHttpRequest) -> dict[str, Any]:
    """Per kind: "email" (in the app and by email), "in_app" or "off"; the weekly ``digest``
    is "email" or "off"."""
    return preferences_for(request.user)


@router.put("/preferences", response={200: PreferencesOut, **errors(400, 422)})
def preferences_write(request: AuthedHttpRequest, payload: PreferencesIn) -> dict[str, Any]:
    values = {k: v for k, v in payload.dict().items() if v is not None}
    return preferences_update(user=request.user, values=values)


@router.post("/{int:notification_id}/read", response={200: NotificationOut, **errors(404)})
def notification_mark_read(request: AuthedHttpRequest, notification_id: int) -> Notification:
    notification = services.notification_mark_read(
        user=request.user, notification_id=notification_id
    )
    if notification is None:
        raise NotFound()
    return notification


@router.post("/read-all", response={200: MarkedOut, **errors()})
def notification_mark_all_read(request: AuthedHttpRequest) -> dict[str, Any]:
    return {"marked": services.notification_mark_all_read(user=request.user)}
