"""The ``deliverable.closed`` event's payload and emitter (decisions/0180)."""

from __future__ import annotations

from typing import Any

from learnloop.core.events import emit
from learnloop.core.urls_util import absolute_url
from learnloop.debriefs.models import Deliverable

CLOSED = "deliverable.closed"


def deliverable_payload(deliverable: Deliverable) -> dict[str, Any]:
    team = deliverable.team
    owner = deliverable.owner
    return {
        "id": deliverable.pk,
        "url": absolute_url(deliverable.get_absolute_url()),
        "team": {"id": team.pk, "slug": team.slug, "name": team.name},
        "title": deliverable.title,
        "owner": {"id": owner.pk, "name": owner.name} if owner else None,
        "visibility": deliverable.visibility,
        "closed_at": deliverable.closed_at.isoformat() if deliverable.closed_at else None,
    }


def emit_closed(deliverable: Deliverable) -> None:
    emit(
        CLOSED,
        team_id=deliverable.team_id,
        visibility=deliverable.visibility,
        build=lambda: deliverable_payload(deliverable),
    )
