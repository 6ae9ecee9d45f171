"""Before a test runs: past lessons and experiments about the same thing, from the one
related-suggestions engine (its confidence threshold and its "Why:"), and "Applied here" for
lessons reused on a card (``lessons.services.lesson_apply``, target kind "experiment").

Shown while a card is being written (the text so far, nothing stored) and on the card's page.
Groups: lessons, experiments, then other past items (incidents, reviews, debriefs).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from learnloop.accounts.models import User
from learnloop.accounts.visibility import team_ids_of
from learnloop.experiments.models import Experiment
from learnloop.experiments.services import require_member
from learnloop.lessons.models import Lesson, LessonApplication, TargetKind
from learnloop.lessons.services import lesson_apply
from learnloop.search import selectors as search

LIMIT = 8


@dataclass
class Suggestion:
    result: search.Result
    applied: bool = False


@dataclass
class Related:
    lessons: list[Suggestion] = field(default_factory=list)
    experiments: list[Suggestion] = field(default_factory=list)
    others: list[Suggestion] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.lessons or self.experiments or self.others)

    @property
    def groups(self) -> list[tuple[str, list[Suggestion]]]:
        return [
            ("Lessons", self.lessons),
            ("Past experiments", self.experiments),
            ("Other past items", self.others),
        ]


def card_text(*, hypothesis: str = "", test: str = "", riskiest_assumption: str = "") -> str:
    return "\n".join(t for t in (hypothesis, test, riskiest_assumption) if t)


def applied_lesson_ids(experiment: Experiment) -> set[int]:
    return set(
        LessonApplication.objects.filter(
            target_kind=TargetKind.EXPERIMENT, target_id=experiment.pk
        ).values_list("lesson_id", flat=True)
    )


def related_for(
    *, user: User, title: str, text: str, experiment: Experiment | None = None
) -> Related:
    """Grouped suggestions for a card being written (``experiment`` None) or saved."""
    out = Related()
    if not (title + text).strip():
        return out
    exclude: list[tuple[str, Any]] = []
    key = None
    applied: set[int] = set()
    if experiment is not None:
        exclude.append(("experiment", experiment.pk))
        exclude += [("lesson", pk) for pk in experiment.lessons.values_list("pk", flat=True)]
        stamp = experiment.updated_at.timestamp() if experiment.updated_at else ""
        scope = ",".join(str(t) for t in sorted(team_ids_of(user)))
        key = f"experiment-related:v1:{experiment.pk}:{stamp}:{user.organisation_id}:{scope}"
        applied = applied_lesson_ids(experiment)
    for r in search.related(user, title, text, exclude, limit=LIMIT, cache_key=key):
        item = Suggestion(result=r, applied=r.kind == "lesson" and r.object_id in applied)
        if r.kind == "lesson":
            out.lessons.append(item)
        elif r.kind == "experiment":
            out.experiments.append(item)
        else:
            out.others.append(item)
    return out


def related_to_card(*, user: User, experiment: Experiment) -> Related:
    return related_for(
        user=user,
        title=experiment.title,
        text=card_text(
            hypothesis=experiment.hypothesis,
            test=experiment.test,
            riskiest_assumption=experiment.riskiest_assumption,
        ),
        experiment=experiment,
    )


def experiment_apply_lessons(
    *, actor: User, experiment: Experiment, lessons: Iterable[Lesson]
) -> int:
    """Record "applied here" for each lesson on ``experiment``; returns how many were new."""
    require_member(actor, experiment.team)
    new = 0
    with transaction.atomic():
        for lesson in lessons:
            _, created = lesson_apply(
                actor=actor, lesson=lesson, target_kind=TargetKind.EXPERIMENT, target=experiment
            )
            new += int(created)
    return new
