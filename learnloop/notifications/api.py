"""Notifications API: the signed-in person's own notifications only."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.pagination import paginate

from learnloop.api.errors import errors
from learnloop.api.pagination import Pagination
from learnloop.core.errors import NotFound
from learnloop.notifications import selectors, services
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
def notification_list(request: HttpRequest, unread: bool = False):  # noqa: ANN201
    return selectors.notification_list(user=request.user, unread_only=unread)


@router.get("/unread-count", response={200: CountOut, **errors()})
def notification_unread_count(request: HttpRequest) -> dict:
    return {"unread": selectors.unread_count(user=request.user)}


@router.post("/{int:notification_id}/read", response={200: NotificationOut, **errors(404)})
def notification_mark_read(request: HttpRequest, notification_id: int) -> Notification:
    notification = services.notification_mark_read(
        user=request.user, notification_id=notification_id
    )
    if notification is None:
        raise NotFound()
    return notification


@router.post("/read-all", response={200: MarkedOut, **errors()})
def notification_mark_all_read(request: HttpRequest) -> dict:
    return {"marked": services.notification_mark_all_read(user=request.user)}
