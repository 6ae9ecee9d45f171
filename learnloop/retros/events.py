"""The ``retro.closed`` event's payload and emitter (decisions/0180, docs/integrations.md).

The payload names no card author and no card text: anonymous cards stay unlinkable, and what
people wrote stays in the room; it says what a receiver needs to follow up (title, when,
how many actions came out)."""

from __future__ import annotations

from typing import Any

from learnloop.core.events import emit
from learnloop.core.urls_util import absolute_url
from learnloop.retros.models import Retro, TopicAction

CLOSED = "retro.closed"


def retro_payload(retro: Retro) -> dict[str, Any]:
    team = retro.team
    return {
        "id": retro.pk,
        "url": absolute_url(retro.get_absolute_url()),
        "team": {"id": team.pk, "slug": team.slug, "name": team.name},
        "title": retro.title,
        "visibility": retro.visibility,
        "closed_at": retro.updated_at.isoformat(),
        "actions": TopicAction.objects.filter(retro=retro).count(),
    }


def emit_closed(retro: Retro) -> None:
    emit(
        CLOSED,
        team_id=retro.team_id,
        visibility=retro.visibility,
        build=lambda: retro_payload(retro),
    )
