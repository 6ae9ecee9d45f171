"""The ``incident.reported`` event's payload (decisions/0180). Named reports are emitted as
they are filed; anonymous ones are never emitted at the time of filing (that moment would link
them to their reporter): the webhooks app announces them in a daily batch, with this payload."""

from __future__ import annotations

from typing import Any

from learnloop.core.events import emit
from learnloop.core.urls_util import absolute_url
from learnloop.incidents.models import Incident

REPORTED = "incident.reported"


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def incident_payload(incident: Incident) -> dict[str, Any]:
    """What the report's own page shows, nothing more: for an anonymous report no reporter and
    the stored (day-rounded) creation time."""
    team = incident.team
    return {
        "id": incident.pk,
        "url": absolute_url(f"/incidents/{incident.pk}/"),
        "team": {"id": team.pk, "slug": team.slug, "name": team.name},
        "title": incident.title,
        "description": incident.description,
        "kind": incident.kind,
        "severity": incident.severity,
        "tags": sorted(t.name for t in incident.tags.all()),
        "visibility": incident.visibility,
        "anonymous": incident.is_anonymous,
        "reporter": None
        if incident.is_anonymous or incident.reporter is None
        else {"id": incident.reporter.pk, "name": incident.reporter.name},
        "started_at": _iso(incident.started_at),
        "detected_at": _iso(incident.detected_at),
        "acknowledged_at": _iso(incident.acknowledged_at),
        "resolved_at": _iso(incident.resolved_at),
        "created_at": _iso(incident.created_at),
    }


def emit_reported(incident: Incident) -> None:
    """Announce a named report now; anonymous ones are left to the daily batch."""
    if incident.is_anonymous:
        return
    emit(
        REPORTED,
        team_id=incident.team_id,
        visibility=incident.visibility,
        build=lambda: incident_payload(incident),
    )
