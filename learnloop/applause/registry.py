"""The reactable kinds: which models can be applauded, and whose work each item is.

A small registry so other apps add their items (debrief entries, later experiments' showcase
items) without applause naming them: ``register(kind, "app.Model", recipient="author")``
from the app's ``AppConfig.ready``. Lessons and reviews are registered by applause itself.
Incident reports are never reactable: applause on a failure itself would read as mockery, and
the registry refuses them (decisions/0142).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.db.models import Model

NEVER = frozenset({"incidents.incident"})


@dataclass(frozen=True)
class Reactable:
    kind: str
    model_label: str
    recipient: str  # the attribute holding the user whose work it is (``author_id``-style key)
    label: str

    @property
    def model(self) -> type[Model]:
        return apps.get_model(self.model_label)


KINDS: dict[str, Reactable] = {}


def register(kind: str, model_label: str, *, recipient: str, label: str) -> None:
    if model_label.lower() in NEVER:
        raise ValueError("Incident reports cannot carry applause (decisions/0142).")
    KINDS[kind] = Reactable(kind, model_label, recipient, label)


def get(kind: str) -> Reactable | None:
    return KINDS.get(kind)
