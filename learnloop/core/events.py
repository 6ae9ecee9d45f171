"""Domain events: a service says "this happened" and whoever subscribed hears it.

Dependencies keep pointing one way (decisions/0019, 0180): a domain service calls :func:`emit`
with the event's name, the team it belongs to, the visibility of what it is about and a
function that builds its payload; apps above (outgoing webhooks) subscribe in their
``AppConfig.ready``. Core knows no event names; the catalogue of names and payloads lives with
the subscriber that publishes them (``docs/integrations.md``).

Subscribers run in the emitter's transaction, so what they write commits or rolls back with
the change itself; they must be cheap (queue work, never send it) and must not raise for
reasons of their own: an exception is logged and swallowed, never failing the domain write.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

log = logging.getLogger("learnloop.events")

PayloadBuilder = Callable[[], dict[str, Any]]


@dataclass
class Event:
    """One occurrence: ``name`` ("incident.reported"), the owning ``team_id``, the
    ``visibility`` of the thing it is about, and ``build`` for its JSON payload (called only
    when someone needs it, at most once)."""

    name: str
    team_id: int
    visibility: str
    build: PayloadBuilder
    _payload: dict[str, Any] | None = field(default=None, repr=False)

    def payload(self) -> dict[str, Any]:
        if self._payload is None:
            self._payload = self.build()
        return self._payload


Subscriber = Callable[[Event], None]
_SUBSCRIBERS: list[Subscriber] = []


def subscribe(subscriber: Subscriber) -> Subscriber:
    """Call ``subscriber(event)`` for every emitted event (idempotent per function)."""
    if subscriber not in _SUBSCRIBERS:
        _SUBSCRIBERS.append(subscriber)
    return subscriber


def emit(name: str, *, team_id: int, visibility: str, build: PayloadBuilder) -> None:
    """Tell every subscriber that ``name`` happened in team ``team_id``."""
    event = Event(name=name, team_id=team_id, visibility=visibility, build=build)
    for subscriber in list(_SUBSCRIBERS):
        try:
            with transaction.atomic():  # a savepoint: a failing subscriber leaves no trace
                subscriber(event)
        except Exception:
            log.exception("event subscriber %s failed on %s", subscriber.__name__, name)
