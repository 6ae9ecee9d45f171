"""The action events' payload and emitters (decisions/0180): ``action.assigned`` (an owner is
set or changed), ``action.done`` (the status becomes done) and ``action.overdue`` (announced
once by the webhooks app's daily check, the day after the due date)."""

from __future__ import annotations

from typing import Any

from learnloop.actions.models import Action
from learnloop.core.events import emit
from learnloop.core.urls_util import absolute_url

ASSIGNED = "action.assigned"
OVERDUE = "action.overdue"
DONE = "action.done"


def action_payload(action: Action) -> dict[str, Any]:
    team = action.team
    return {
        "id": action.pk,
        "url": absolute_url(action.get_absolute_url()),
        "team": {"id": team.pk, "slug": team.slug, "name": team.name},
        "title": action.title,
        "kind": action.kind,
        "status": action.status,
        "owner": {"id": action.owner.pk, "name": action.owner.name} if action.owner else None,
        "due_date": action.due_date.isoformat() if action.due_date else None,
        "done_at": action.done_at.isoformat() if action.done_at else None,
        "visibility": action.visibility,
        "review_id": action.review_id,
        "incident_id": action.incident_id,
    }


def emit_action(name: str, action: Action) -> None:
    emit(
        name,
        team_id=action.team_id,
        visibility=action.visibility,
        build=lambda: action_payload(action),
    )
