"""Seeded webhooks: an organisation endpoint and one per team (turned off), each with a
delivery log of the team's named reports (at most ``LOG_CAP`` per endpoint). Their signing
secrets come from their own random source: the rest of the seed stays as it was."""

from __future__ import annotations

import base64
import datetime as dt
import random

from learnloop.devtools.seeding.common import SeedContext
from learnloop.devtools.seeding.rows import insert
from learnloop.incidents.models import Incident
from learnloop.webhooks.models import Delivery, Endpoint

LOG_CAP = 200


def create_webhooks(ctx: SeedContext, seed: int) -> None:
    if not ctx.teams:
        return
    keys = random.Random(seed * 7919 + 180)
    org_id = ctx.teams[0].organisation_id
    endpoints = [
        Endpoint(
            organisation_id=org_id,
            team=team,
            url=f"https://hooks.example.org/{team.slug if team else 'all'}",
            events=["incident.reported", "lesson.created"],
            # ``webhooks.services.new_secret``'s form, from the seed's source.
            secret="whsec_" + base64.b64encode(keys.randbytes(24)).decode(),
            # Off: a seeded install must not send anything to these made-up addresses.
            is_active=False,
            disabled_reason="Seeded for benchmarks; turned off.",
        )
        for team in [None, *ctx.teams]
    ]
    insert(endpoints)
    deliveries = []
    for endpoint in endpoints:
        reports = Incident.objects.filter(
            team__organisation_id=org_id, is_anonymous=False, visibility="organisation"
        )
        if endpoint.team_id is not None:
            reports = Incident.objects.filter(team_id=endpoint.team_id, is_anonymous=False)
        for n, (pk, title, created) in enumerate(
            reports.order_by("-created_at").values_list("pk", "title", "created_at")[:LOG_CAP]
        ):
            deliveries.append(
                Delivery(
                    endpoint=endpoint,
                    event="incident.reported",
                    message_id=f"msg_seed_{endpoint.pk}_{pk}",
                    payload={"type": "incident.reported", "data": {"id": pk, "title": title}},
                    status=Delivery.Status.DELIVERED if n % 10 else Delivery.Status.RETRYING,
                    attempts=1 if n % 10 else 2,
                    response_status=200 if n % 10 else 500,
                    last_attempt_at=created + dt.timedelta(seconds=5),
                )
            )
    insert(deliveries)
    ctx.result.counts["webhook endpoint"] += len(endpoints)
    ctx.result.counts["webhook delivery"] += len(deliveries)
