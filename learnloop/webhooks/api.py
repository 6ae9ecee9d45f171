"""Webhooks API: endpoints the person manages (list, create, read, PATCH with ``version``,
delete), rotating the secret, a test message and the delivery log. The secret is in the
answer to create and rotate only."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from ninja import Field, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from learnloop.accounts.http import AuthedHttpRequest
from learnloop.accounts.models import Team
from learnloop.api.errors import errors
from learnloop.api.pagination import Pagination
from learnloop.api.types import BodyIn, JsonInt
from learnloop.core.errors import ApplicationError
from learnloop.core.validation import id_or_none, looks_like_id
from learnloop.webhooks import selectors, services
from learnloop.webhooks.models import Delivery, Endpoint

router = Router(tags=["webhooks"])


class EndpointOut(Schema):
    id: int
    team: str | None = Field(None, description="Team slug; null for an organisation endpoint")
    url: str
    description: str
    events: list[str]
    is_active: bool
    disabled_reason: str
    failures_in_row: int
    previous_secret_until: dt.datetime | None
    version: int
    created_at: dt.datetime

    @staticmethod
    def resolve_team(obj: Endpoint) -> str | None:
        return obj.team.slug if obj.team else None


class EndpointWithSecret(EndpointOut):
    secret: str = Field(..., description="Shown only in this answer; keep it.")


class EndpointIn(BodyIn):
    team: JsonInt | str | None = Field(
        None, description="Team id or slug you administer; omit for an organisation endpoint"
    )
    url: str
    events: list[str]
    description: str = ""


class EndpointPatch(BodyIn):
    version: JsonInt
    url: str | None = None
    description: str | None = None
    events: list[str] | None = None
    is_active: bool | None = None


class DeliveryOut(Schema):
    id: int
    event: str
    message_id: str
    status: str
    attempts: int
    response_status: int | None
    error: str
    payload: dict[str, Any]
    created_at: dt.datetime
    last_attempt_at: dt.datetime | None
    next_attempt_at: dt.datetime | None


def _team(request: AuthedHttpRequest, ref: int | str | None) -> Team | None:
    if ref in (None, ""):
        return None
    teams = services.admin_teams(request.user)
    pk = id_or_none(ref) if looks_like_id(ref) else None
    team = next((t for t in teams if t.pk == pk or (pk is None and t.slug == str(ref))), None)
    if team is None:
        raise ApplicationError("Unknown team.", fields={"team": ["Choose a team you administer."]})
    return team


@router.get("", response={200: list[EndpointOut], **errors(422)})
@paginate(Pagination)
def endpoint_list(request: AuthedHttpRequest) -> QuerySet[Endpoint]:
    return selectors.endpoints_for(request.user)


@router.post("", response={201: EndpointWithSecret, **errors(422)})
def endpoint_create(request: AuthedHttpRequest, payload: EndpointIn) -> Status[Endpoint]:
    # The model's ``secret`` is the new secret: this answer is the only one that shows it.
    endpoint, _secret = services.endpoint_create(
        actor=request.user,
        team=_team(request, payload.team),
        url=payload.url,
        events=payload.events,
        description=payload.description,
    )
    return Status(201, selectors.endpoint_or_404(request.user, endpoint.pk))


@router.get("/{int:endpoint_id}", response={200: EndpointOut, **errors(404)})
def endpoint_detail(request: AuthedHttpRequest, endpoint_id: int) -> Endpoint:
    return selectors.endpoint_or_404(request.user, endpoint_id)


@router.patch("/{int:endpoint_id}", response={200: EndpointOut, **errors(404, 422, conflict=True)})
def endpoint_update(
    request: AuthedHttpRequest, endpoint_id: int, payload: EndpointPatch
) -> Endpoint:
    endpoint = selectors.endpoint_or_404(request.user, endpoint_id)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    changes = {k: v for k, v in data.items() if v is not None}
    services.endpoint_update(actor=request.user, endpoint=endpoint, version=version, **changes)
    return selectors.endpoint_or_404(request.user, endpoint_id)


@router.delete("/{int:endpoint_id}", response={204: None, **errors(404)})
def endpoint_delete(request: AuthedHttpRequest, endpoint_id: int) -> Status[None]:
    endpoint = selectors.endpoint_or_404(request.user, endpoint_id)
    services.endpoint_delete(actor=request.user, endpoint=endpoint)
    return Status(204, None)


@router.post("/{int:endpoint_id}/rotate", response={200: EndpointWithSecret, **errors(404)})
def endpoint_rotate(request: AuthedHttpRequest, endpoint_id: int) -> Endpoint:
    endpoint = selectors.endpoint_or_404(request.user, endpoint_id)
    services.endpoint_rotate_secret(actor=request.user, endpoint=endpoint)
    return selectors.endpoint_or_404(request.user, endpoint_id)


@router.post("/{int:endpoint_id}/test", response={202: DeliveryOut, **errors(404)})
def endpoint_test(request: AuthedHttpRequest, endpoint_id: int) -> Status[Delivery]:
    endpoint = selectors.endpoint_or_404(request.user, endpoint_id)
    return Status(202, services.endpoint_test(actor=request.user, endpoint=endpoint))


@router.get("/{int:endpoint_id}/deliveries", response={200: list[DeliveryOut], **errors(404, 422)})
@paginate(Pagination)
def delivery_list(request: AuthedHttpRequest, endpoint_id: int) -> QuerySet[Delivery]:
    endpoint = selectors.endpoint_or_404(request.user, endpoint_id)
    return endpoint.deliveries.order_by("-created_at", "-id")
