"""The ``experiment.decided`` event's payload and emitter (decisions/0180, docs/integrations.md)."""

from __future__ import annotations

from typing import Any

from learnloop.core.events import emit
from learnloop.core.urls_util import absolute_url
from learnloop.experiments.models import Experiment

DECIDED = "experiment.decided"


def experiment_payload(experiment: Experiment) -> dict[str, Any]:
    team = experiment.team
    return {
        "id": experiment.pk,
        "url": absolute_url(experiment.get_absolute_url()),
        "team": {"id": team.pk, "slug": team.slug, "name": team.name},
        "title": experiment.title,
        "kind": experiment.kind,
        "phase": experiment.phase,
        "decision": experiment.decision,
        "stopped_on_data": experiment.stopped_on_data,
        "iteration": experiment.iteration,
        "visibility": experiment.visibility,
        "decided_at": experiment.decided_at.isoformat() if experiment.decided_at else None,
    }


def emit_decided(experiment: Experiment) -> None:
    """Call in the transaction that decided ``experiment`` (a learning card's decision)."""
    emit(
        DECIDED,
        team_id=experiment.team_id,
        visibility=experiment.visibility,
        build=lambda: experiment_payload(experiment),
    )
