"""Demo organisation. Each domain app adds its demo content with ``@step(order)`` in its own
``demo.py``; ``learnloop seed-demo`` runs the steps in order inside one transaction.
The content is written for Learnloop (a fictional bakery-and-delivery company)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

Step = Callable[["DemoContext"], None]
STEPS: list[tuple[int, Step]] = []


@dataclass
class DemoContext:
    organisation: Any
    teams: dict[str, Any]
    users: dict[str, Any]
    extra: dict[str, Any] = field(default_factory=dict)


def step(order: int) -> Callable[[Step], Step]:
    def add(func: Step) -> Step:
        STEPS.append((order, func))
        return func

    return add
