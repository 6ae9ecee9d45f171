"""Writes for webhook endpoints, and the event subscriber that queues deliveries.

Keyword-only ``endpoint_<verb>`` functions; every problem is one :class:`ApplicationError`
with per-field messages and nothing is half-saved (decisions/0180).
"""

from __future__ import annotations

import base64
import datetime as dt
import secrets
import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone

from learnloop.accounts.models import Membership, Team, User
from learnloop.core.errors import ApplicationError, NotFound
from learnloop.core.events import Event
from learnloop.core.models import Visibility
from learnloop.core.validation import text_problem
from learnloop.core.versioning import claim_version, require_version
from learnloop.tasks.registry import enqueue
from learnloop.webhooks.catalogue import EVENTS, PLANNED, TEST_EVENT
from learnloop.webhooks.models import Delivery, Endpoint

# How long the old secret keeps signing after a rotation (receivers switch within it).
ROTATION_GRACE = dt.timedelta(hours=24)
EDITABLE_FIELDS = ["url", "description", "events", "is_active"]
STALE_MESSAGE = "Someone else changed this endpoint while you were editing it."


def new_secret() -> str:
    return "whsec_" + base64.b64encode(secrets.token_bytes(24)).decode()


def can_manage(user: User, endpoint: Endpoint) -> bool:
    """Team endpoints: the team's admins (members with the admin role; an organisation admin
    who is not in the team does not see its private events). Organisation endpoints: the
    organisation's admins."""
    if endpoint.organisation_id != user.organisation_id:
        return False
    if endpoint.team_id is None:
        return bool(user.is_org_admin)
    return Membership.objects.filter(user=user, team_id=endpoint.team_id, role="admin").exists()


def admin_teams(user: User) -> list[Team]:
    """Teams whose endpoints ``user`` may manage."""
    if user.organisation_id is None:
        return []
    return list(
        Team.objects.filter(
            organisation_id=user.organisation_id,
            memberships__user=user,
            memberships__role="admin",
        ).order_by("name")
    )


def _clean(data: dict[str, Any]) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if "url" in data:
        url = str(data["url"] or "").strip()
        data["url"] = url
        try:
            URLValidator(schemes=["http", "https"])(url)
        except ValidationError:
            errors["url"] = ["Enter an http:// or https:// address."]
        if len(url) > 500:
            errors["url"] = [f"At most 500 characters (this has {len(url)})."]
    if "description" in data:
        data["description"] = str(data["description"] or "").strip()
        problem = text_problem(data["description"])
        if problem or len(data["description"]) > 120:
            errors["description"] = [problem or "At most 120 characters."]
    if "events" in data:
        names = data["events"]
        if not isinstance(names, list | tuple) or not all(isinstance(n, str) for n in names):
            errors["events"] = ["Give a list of event names."]
        else:
            known = {*EVENTS, *PLANNED}
            unknown = sorted(set(names) - known)
            if unknown:
                errors["events"] = [f"Unknown events: {', '.join(unknown)}."]
            elif not names:
                errors["events"] = ["Choose at least one event."]
            data["events"] = sorted(set(names))
    if "is_active" in data and not isinstance(data["is_active"], bool):
        errors["is_active"] = ["true or false."]
    return errors


def endpoint_create(
    *,
    actor: User,
    team: Team | None,
    url: str,
    events: list[str],
    description: str = "",
) -> tuple[Endpoint, str]:
    """Add an endpoint for ``team`` (None: the organisation). Returns it and its secret, which
    is shown to the person this once."""
    if team is None and not actor.is_org_admin:
        raise ApplicationError(
            "Only organisation admins add organisation endpoints.",
            fields={"team": ["Choose a team you administer."]},
        )
    if team is not None and team.pk not in {t.pk for t in admin_teams(actor)}:
        raise ApplicationError("Unknown team.", fields={"team": ["Choose a team you administer."]})
    if actor.organisation_id is None:
        raise NotFound()
    data: dict[str, Any] = {"url": url, "events": list(events), "description": description}
    errors = _clean(data)
    if errors:
        raise ApplicationError("The endpoint was not saved.", fields=errors)
    secret = new_secret()
    endpoint = Endpoint.objects.create(
        organisation_id=actor.organisation_id, team=team, secret=secret, created_by=actor, **data
    )
    return endpoint, secret


def endpoint_update(*, actor: User, endpoint: Endpoint, version: Any, **changes: Any) -> Endpoint:
    """Change some of url, description, events, is_active (PATCH semantics) if nobody saved
    since ``version``. Turning an endpoint back on clears its failure count."""
    if not can_manage(actor, endpoint):
        raise NotFound()
    version = require_version(version)
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ApplicationError(
            "These fields cannot be changed.",
            fields={name: ["This field cannot be changed."] for name in sorted(unknown)},
        )
    errors = _clean(changes)
    if errors:
        raise ApplicationError("The endpoint was not saved.", fields=errors)
    with transaction.atomic():
        new_version = claim_version(
            Endpoint,
            pk=endpoint.pk,
            version=version,
            message=STALE_MESSAGE,
            submitted=changes,
            saved=lambda current: {f: getattr(current, f) for f in EDITABLE_FIELDS},
        )
        current = Endpoint.objects.get(pk=endpoint.pk)
        if changes.get("is_active") and not current.is_active:
            current.failures_in_row = 0
            current.disabled_reason = ""
        for name, value in changes.items():
            setattr(current, name, value)
        current.version = new_version
        current.save()
    return current


def endpoint_rotate_secret(*, actor: User, endpoint: Endpoint) -> tuple[Endpoint, str]:
    """A new secret; the old one keeps signing beside it for ROTATION_GRACE, so receivers that
    still verify with it lose nothing (Standard Webhooks allows several signatures)."""
    if not can_manage(actor, endpoint):
        raise NotFound()
    secret = new_secret()
    with transaction.atomic():
        current = Endpoint.objects.select_for_update().get(pk=endpoint.pk)
        current.previous_secret = current.secret
        current.previous_secret_until = timezone.now() + ROTATION_GRACE
        current.secret = secret
        current.version += 1
        current.save()
    return current, secret


def endpoint_delete(*, actor: User, endpoint: Endpoint) -> None:
    if not can_manage(actor, endpoint):
        raise NotFound()
    endpoint.delete()


def delivery_queue(
    endpoint: Endpoint, event: str, data: dict[str, Any], *, timestamp: str
) -> Delivery:
    """Record a message for ``endpoint`` and queue its first attempt (after the commit)."""
    delivery = Delivery.objects.create(
        endpoint=endpoint,
        event=event,
        message_id=f"msg_{uuid.uuid4().hex}",
        payload={"type": event, "timestamp": timestamp, "data": data},
        next_attempt_at=timezone.now(),
    )
    enqueue("webhooks.deliver", args={"delivery_id": delivery.pk})
    return delivery


def endpoint_test(*, actor: User, endpoint: Endpoint) -> Delivery:
    """Queue a ``webhook.test`` message, to check the receiver and its secret."""
    if not can_manage(actor, endpoint):
        raise NotFound()
    data = {"endpoint_id": endpoint.pk, "url": endpoint.url}
    return delivery_queue(endpoint, TEST_EVENT, data, timestamp=timezone.now().isoformat())


def endpoints_for_event(event: Event) -> list[Endpoint]:
    """Active endpoints that subscribed to the event and may hear it: the team's own, and
    the organisation's when what it is about is organisation-visible."""
    team = Team.objects.filter(pk=event.team_id).values("organisation_id").first()
    if team is None:
        return []
    candidates = Endpoint.objects.filter(organisation_id=team["organisation_id"], is_active=True)
    endpoints = []
    for endpoint in candidates:
        if event.name not in endpoint.events:
            continue
        if endpoint.team_id == event.team_id or (
            endpoint.team_id is None and event.visibility == Visibility.ORGANISATION
        ):
            endpoints.append(endpoint)
    return endpoints


def on_event(event: Event, *, timestamp: str | None = None) -> None:
    """The ``core.events`` subscriber: one delivery per interested endpoint, in the writer's
    transaction. ``timestamp`` defaults to now (the daily announcements pass their own)."""
    endpoints = endpoints_for_event(event)
    if not endpoints:
        return
    when = timestamp or timezone.now().isoformat()
    for endpoint in endpoints:
        delivery_queue(endpoint, event.name, event.payload(), timestamp=when)
