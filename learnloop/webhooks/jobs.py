"""Webhook jobs: one delivery attempt, and the hourly check that announces the events that
are not sent the moment they happen (decisions/0180)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from learnloop.actions.events import OVERDUE, action_payload
from learnloop.actions.models import Action
from learnloop.actions.selectors import OPEN_STATUSES
from learnloop.actions.selectors import today as action_today
from learnloop.core.anonymity import start_of_day
from learnloop.core.events import Event
from learnloop.incidents.events import REPORTED, incident_payload
from learnloop.incidents.models import Incident
from learnloop.tasks.registry import job
from learnloop.webhooks.delivery import deliver
from learnloop.webhooks.models import Announced, Endpoint
from learnloop.webhooks.services import on_event

# Events older than this are not announced (a new endpoint does not get a flood of history).
LOOKBACK_DAYS = 7


@job("webhooks.deliver")
def deliver_job(delivery_id: int) -> None:
    deliver(delivery_id)


def _mark(event: str, object_id: int) -> bool:
    try:
        with transaction.atomic():
            Announced.objects.create(event=event, object_id=object_id)
    except IntegrityError:
        return False  # another worker announced it
    return True


def _announce(
    name: str,
    objects: Iterable[Any],
    payload: Callable[[Any], dict[str, Any]],
    stamp: Callable[[Any], str | None],
) -> int:
    """Announce each of ``objects`` (team-owned) as event ``name`` once, in its own
    transaction; ``stamp`` gives the message's timestamp (None: now)."""
    count = 0
    for obj in objects:
        with transaction.atomic():
            if not _mark(name, obj.pk):
                continue
            event = Event(
                name=name,
                team_id=obj.team_id,
                visibility=obj.visibility,
                build=lambda obj=obj: payload(obj),  # type: ignore[misc]
            )
            on_event(event, timestamp=stamp(obj))
        count += 1
    return count


def announce_anonymous_reports() -> int:
    """Anonymous reports of past days (never today's: the moment of filing would link a report
    to its reporter), each once, stamped with its stored day-rounded time, in id order (random
    for anonymous reports). Filing one enqueues nothing and writes nothing here."""
    today = start_of_day(timezone.now())
    done = Announced.objects.filter(event=REPORTED).values("object_id")
    reports = (
        Incident.objects.filter(
            is_anonymous=True,
            created_at__lt=today,
            created_at__gte=today - dt.timedelta(days=LOOKBACK_DAYS),
        )
        .exclude(pk__in=done)
        .select_related("team")
        .prefetch_related("tags")
        .order_by("pk")
    )
    return _announce(REPORTED, reports, incident_payload, lambda r: r.created_at.isoformat())


def announce_overdue_actions() -> int:
    """Open actions whose due date has passed (within the look-back), each once."""
    today = action_today()
    done = Announced.objects.filter(event=OVERDUE).values("object_id")
    actions = (
        Action.objects.filter(
            status__in=OPEN_STATUSES,
            due_date__lt=today,
            due_date__gte=today - dt.timedelta(days=LOOKBACK_DAYS),
        )
        .exclude(pk__in=done)
        .select_related("team", "owner")
        .order_by("due_date", "pk")
    )
    return _announce(OVERDUE, actions, action_payload, lambda a: None)


@job("webhooks.announce", every=dt.timedelta(hours=1))
def announce() -> int:
    """Nothing to do (and nothing written) while no endpoint is active."""
    if not Endpoint.objects.filter(is_active=True).exists():
        return 0
    return announce_anonymous_reports() + announce_overdue_actions()
