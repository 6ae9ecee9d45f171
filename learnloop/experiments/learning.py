"""Learning cards: what we observed, what we learned, the data, and the decision (persevere,
pivot, stop, scale). A stop or pivot on a card is "stopped on data" — a win. A pivot starts a
new iteration linked to this one. Each learning can become a library lesson (source
"experiment", ``Lesson.source_experiment``; decisions/0050)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from learnloop.accounts.models import User
from learnloop.core.errors import ApplicationError
from learnloop.core.validation import clean_text
from learnloop.experiments.events import emit_decided
from learnloop.experiments.models import Decision, Experiment, LearningCard, State
from learnloop.experiments.services import (
    experiment_create,
    experiment_set_state,
    record,
    require_member,
)
from learnloop.lessons.models import Lesson, SourceKind
from learnloop.lessons.services import lesson_create

CARD_TEXT_MAX = 10000


def _text(value: str, field: str, *, required: str | None, errors: dict[str, list[str]]) -> str:
    try:
        text = clean_text(value, field).strip()
    except ApplicationError as exc:
        errors.update(exc.fields)
        return ""
    if required and not text:
        errors[field] = [required]
    elif len(text) > CARD_TEXT_MAX:
        errors[field] = [f"At most {CARD_TEXT_MAX} characters."]
    return text


def learning_card_create(
    *,
    actor: User,
    experiment: Experiment,
    observed: str,
    learned: str,
    data: str = "",
    decision: str,
) -> LearningCard:
    """Write the learning card of a running experiment and apply its decision."""
    require_member(actor, experiment.team)
    errors: dict[str, list[str]] = {}
    observed = _text(observed, "observed", required="Say what you observed.", errors=errors)
    learned = _text(learned, "learned", required="Say what you learned.", errors=errors)
    data = _text(data, "data", required=None, errors=errors)
    if decision not in Decision.values:
        errors["decision"] = [f"Choose one of: {', '.join(Decision.values)}."]
    if errors:
        raise ApplicationError("The learning card was not saved.", fields=errors)
    with transaction.atomic():
        current = (
            Experiment.objects.select_for_update()
            .select_related("team__organisation")
            .get(pk=experiment.pk)
        )
        if current.state != State.RUNNING:
            raise ApplicationError(
                "A learning card comes after the test has run.",
                code="invalid_state",
                fields={
                    "state": [
                        f"It is {current.get_state_display().lower()}; start the test first."
                        if current.state == State.APPROVED
                        else f"It is {current.get_state_display().lower()}."
                    ]
                },
            )
        card = LearningCard.objects.create(
            experiment=current,
            observed=observed,
            learned=learned,
            data=data,
            decision=decision,
            created_by=actor,
        )
        label = Decision(decision).label.lower()
        if decision == Decision.PERSEVERE:
            record(current, actor=actor, what=f"learning card: {label}", before=current.state)
        else:
            current.decision = decision
            current.decided_at = timezone.now()
            note = "Stopped on data — a win." if decision in (Decision.STOP, Decision.PIVOT) else ""
            experiment_set_state(
                current, actor=actor, to=State.DECIDED, what=f"decided: {label}", note=note
            )
            emit_decided(current)
        if decision == Decision.PIVOT:
            next_iteration(actor=actor, experiment=current)
    return card


def next_iteration(*, actor: User, experiment: Experiment) -> Experiment:
    """The pivot's new iteration: a draft copying the card, linked to the previous one."""
    return experiment_create(
        actor=actor,
        team=experiment.team,
        kind=experiment.kind,
        title=f"{experiment.title} (iteration {experiment.iteration + 1})"[:200],
        hypothesis=experiment.hypothesis,
        test=experiment.test,
        metric=experiment.metric,
        success_criterion="",
        riskiest_assumption=experiment.riskiest_assumption,
        budget=experiment.budget,
        time_box_days=experiment.time_box_days,
        person_days=experiment.person_days,
        owner=experiment.owner,
        phase=experiment.phase,
        visibility=experiment.visibility,
        previous=experiment,
    )


def lesson_from_learning(*, actor: User, card: LearningCard, index: int) -> Lesson:
    """Learning number ``index`` of the card as a library lesson (source "experiment")."""
    experiment = card.experiment
    require_member(actor, experiment.team)
    learnings = card.learnings
    if not 0 <= index < len(learnings):
        raise ApplicationError("Unknown learning.", fields={"index": ["No such learning."]})
    statement = learnings[index][:300]
    existing = Lesson.objects.filter(source_experiment=experiment, statement=statement).first()
    if existing is not None:
        return existing
    return lesson_create(
        actor=actor,
        team=experiment.team,
        statement=statement,
        context=f"From the experiment “{experiment.title}”: {card.observed}"[:10000],
        visibility=experiment.visibility,
        source_kind=SourceKind.EXPERIMENT,
        source_experiment=experiment,
        source_label=experiment.title[:200],
    )
