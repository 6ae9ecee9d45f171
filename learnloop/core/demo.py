"""Demo organisation. Each domain app adds its demo content with ``@step(order)`` in its own
``demo.py``; ``learnloop seed-demo`` runs the steps in order inside one transaction.
The content is written for Learnloop (a fictional bakery-and-delivery company).

Determinism (docs/decisions/0090-demo-organisation.md): every date is an offset written in the
demo tables from ``DemoContext.today`` (midnight UTC of the day the command runs), so the demo
always shows the last twelve months; nothing is drawn at random. The only value the demo does
not choose is an anonymous report's id, which is random by design (decisions/0010).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

#: Every demo account's email is in this reserved domain (RFC 6761 ``.test``): nobody reads it,
#: so nothing is ever sent there (``core.jobs.queue_email``; decision 0132).
DEMO_EMAIL_DOMAIN = "demo.learnloop.test"

Step = Callable[["DemoContext"], None]
STEPS: list[tuple[int, Step]] = []


def _midnight_utc() -> dt.datetime:
    return timezone.now().astimezone(dt.UTC).replace(hour=0, minute=0, second=0, microsecond=0)


@dataclass
class DemoContext:
    organisation: Any
    teams: dict[str, Any]
    users: dict[str, Any]
    extra: dict[str, Any] = field(default_factory=dict)
    today: dt.datetime = field(default_factory=_midnight_utc)

    def at(self, days_ago: float, hour: int = 0, minute: int = 0) -> dt.datetime:
        """``days_ago`` days before today, at ``hour:minute`` UTC."""
        return self.today - dt.timedelta(days=days_ago) + dt.timedelta(hours=hour, minutes=minute)

    def date(self, days_from_today: int) -> dt.date:
        """A calendar date ``days_from_today`` days after today (negative: before)."""
        return (self.today + dt.timedelta(days=days_from_today)).date()


def is_demo_address(email: str) -> bool:
    """Whether ``email`` belongs to a demo account (and so has no mailbox)."""
    return email.strip().lower().endswith("@" + DEMO_EMAIL_DOMAIN)


def step(order: int) -> Callable[[Step], Step]:
    """Register a demo step to run at ``order``. Each order number belongs to one step, so the
    order of the whole demo is what the numbers say (never the order apps happen to load)."""

    def add(func: Step) -> Step:
        name = f"{func.__module__}.{func.__qualname__}"
        for i, (o, f) in enumerate(STEPS):
            if f"{f.__module__}.{f.__qualname__}" == name:
                # The same step registered again (its module reloaded): the newer function wins.
                STEPS[i] = (order, func)
                return func
            if o == order:
                raise ValueError(
                    f"demo step order {order} is taken by {f.__module__}.{f.__qualname__}"
                )
        STEPS.append((order, func))
        return func

    return add
