"""What a journal entry may be about: something its author can see (decisions/0170).

One table: the kind's model, its label and its page. A link is checked through the kind's own
visibility rule when it is set and again every time it is shown, so an entry never reveals
anything its author can no longer open (retros: members of the retro's team only)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.urls import reverse

from learnloop.accounts.models import User
from learnloop.accounts.visibility import team_ids_of
from learnloop.debriefs.models import Deliverable
from learnloop.experiments.models import Experiment
from learnloop.incidents.models import Incident
from learnloop.retros.models import Retro
from learnloop.reviews.models import Review

#: kind → (model, label, URL name), in the order the form lists them.
LINKABLE: dict[str, tuple[Any, str, str]] = {
    "incident": (Incident, "Incident", "incidents:detail"),
    "review": (Review, "Review", "reviews:detail"),
    "deliverable": (Deliverable, "Deliverable", "debriefs:detail"),
    "experiment": (Experiment, "Experiment", "experiments:detail"),
    "retro": (Retro, "Retro", "retros:detail"),
}
CHOICES_PER_KIND = 50


def visible(kind: str, user: User) -> QuerySet[Any] | None:
    """The rows of ``kind`` the author may link to, or None for an unknown kind."""
    if kind not in LINKABLE:
        return None
    model = LINKABLE[kind][0]
    qs: QuerySet[Any] = model.objects.visible_to(user)
    if kind == "retro":
        qs = qs.filter(team_id__in=team_ids_of(user))
    return qs


def choices(user: User) -> list[tuple[str, str]]:
    """Recent things of every kind ``user`` can see, as ("incident:12", "Incident: title")."""
    out: list[tuple[str, str]] = []
    for kind, (_, label, _) in LINKABLE.items():
        qs = visible(kind, user)
        assert qs is not None
        rows = qs.order_by("-created_at", "-id").only("id", "title")[:CHOICES_PER_KIND]
        out += [(f"{kind}:{row.pk}", f"{label}: {row.title}") for row in rows]
    return out


def target(user: User, kind: str, pk: int | None) -> Any:
    """The linked object if ``user`` can still see it, else None."""
    qs = visible(kind, user) if kind else None
    if qs is None or pk is None:
        return None
    return qs.filter(pk=pk).only("id", "title").first()  # what the entry's page shows of it


def url_of(kind: str, obj: Any) -> str:
    return reverse(LINKABLE[kind][2], args=[obj.pk])
