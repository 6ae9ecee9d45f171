"""Demo incidents for Crumb & Co (written for the demo)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from learnloop.core.demo import DemoContext, step
from learnloop.core.models import Visibility
from learnloop.incidents.models import Kind
from learnloop.incidents.services import incident_create


def _at(days_ago: float, minutes: int = 0) -> dt.datetime:
    return timezone.now() - dt.timedelta(days=days_ago) + dt.timedelta(minutes=minutes)


@step(20)
def incidents(ctx: DemoContext) -> None:
    u, created = ctx.users, {}
    created["checkout"] = incident_create(
        actor=u["priya"],
        team=ctx.teams["platform"],
        title="Checkout timed out for 40 minutes during the Saturday rush",
        description=(
            "Online orders failed with timeouts from 09:10. The payment provider was slow, and "
            "every checkout retried five times at once, so our own servers saturated."
        ),
        kind=Kind.SERVICE_INCIDENT,
        severity="sev2",
        tags=["payments", "retries"],
        started_at=_at(12),
        detected_at=_at(12, 6),
        acknowledged_at=_at(12, 9),
        resolved_at=_at(12, 40),
        visibility=Visibility.ORGANISATION,
    )
    created["route"] = incident_create(
        actor=u["tomas"],
        team=ctx.teams["delivery"],
        title="Morning round reached three cafés after opening",
        description="A road closure for a marathon was not in the route plan; the van turned back twice.",
        kind=Kind.SETBACK,
        severity="sev3",
        tags=["routes", "planning"],
        started_at=_at(5),
        detected_at=_at(5, 25),
        resolved_at=_at(5, 95),
        visibility=Visibility.ORGANISATION,
    )
    created["allergen"] = incident_create(
        actor=u["keiko"],
        team=ctx.teams["delivery"],
        title="Near miss: nut-free tray loaded next to the walnut loaves",
        description="Spotted at loading; the trays look alike and the shelf labels had faded.",
        kind=Kind.NEAR_MISS,
        severity="sev3",
        tags=["allergens", "labels"],
    )
    incident_create(
        actor=u["lena"],
        team=ctx.teams["support"],
        title="Refund sent twice to one customer",
        description="The refund button gave no feedback, so it was pressed again a minute later.",
        kind=Kind.MISTAKE,
        severity="sev4",
        tags=["refunds"],
        anonymous=True,
    )
    ctx.extra["incidents"] = created
