"""Learning cards: only after the test ran, a decision with every card, stop/pivot is
"stopped on data", a pivot starts a linked iteration, learnings become library lessons."""

from __future__ import annotations

from typing import Any

import pytest

from learnloop.core.errors import ApplicationError
from learnloop.experiments import approvals
from learnloop.experiments.learning import learning_card_create, lesson_from_learning
from learnloop.experiments.models import Experiment, LearningCard, State
from learnloop.lessons.models import Lesson, SourceKind
from learnloop.testing.builders import make_experiment

pytestmark = pytest.mark.django_db

CARD: dict[str, Any] = {
    "observed": "14 of 20 sign-ups booked a call anyway",
    "learned": "The guide does not answer data import\n- People want a human the first time",
    "data": "https://example.org/sheet 14/20",
}


@pytest.fixture
def running(alice, alpha) -> Experiment:
    card = make_experiment(alpha, created_by=alice)
    approvals.experiment_submit(actor=alice, experiment=card)
    return approvals.experiment_start(actor=alice, experiment=card)


def test_a_learning_card_before_the_test_ran_is_refused(alice, alpha) -> None:
    card = make_experiment(alpha, created_by=alice)
    approvals.experiment_submit(actor=alice, experiment=card)
    with pytest.raises(ApplicationError) as caught:
        learning_card_create(actor=alice, experiment=card, decision="stop", **CARD)
    assert (
        caught.value.code == "invalid_state" and "start the test" in caught.value.fields["state"][0]
    )
    assert not LearningCard.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"observed": ""}, "observed"),
        ({"learned": " "}, "learned"),
        ({"decision": "maybe"}, "decision"),
    ],
)
def test_a_decision_needs_a_whole_learning_card(alice, running, changes, field) -> None:
    with pytest.raises(ApplicationError) as caught:
        learning_card_create(
            actor=alice, experiment=running, **{**CARD, "decision": "stop", **changes}
        )
    assert field in caught.value.fields
    running.refresh_from_db()
    assert running.state == State.RUNNING and running.decision == ""


def test_stop_is_stopped_on_data(alice, running) -> None:
    learning_card_create(actor=alice, experiment=running, decision="stop", **CARD)
    running.refresh_from_db()
    assert running.state == State.DECIDED and running.decision == "stop"
    assert running.stopped_on_data and running.decided_at is not None
    assert running.events.get(what="decided: stop").note == "Stopped on data — a win."


def test_persevere_keeps_running_and_counts_cycles(alice, running) -> None:
    learning_card_create(actor=alice, experiment=running, decision="persevere", **CARD)
    learning_card_create(actor=alice, experiment=running, decision="scale", **CARD)
    running.refresh_from_db()
    assert running.learning_cards.count() == 2
    assert running.state == State.DECIDED and not running.stopped_on_data


def test_a_pivot_starts_a_linked_iteration(alice, running) -> None:
    learning_card_create(actor=alice, experiment=running, decision="pivot", **CARD)
    nxt = Experiment.objects.get(previous=running)
    assert nxt.iteration == 2 and nxt.state == State.DRAFT
    assert nxt.hypothesis == running.hypothesis and nxt.success_criterion == ""
    assert nxt.events.get().what == "created"


def test_each_learning_can_become_a_lesson(alice, running) -> None:
    card = learning_card_create(actor=alice, experiment=running, decision="stop", **CARD)
    assert card.learnings == [
        "The guide does not answer data import",
        "People want a human the first time",
    ]
    lesson = lesson_from_learning(actor=alice, card=card, index=1)
    assert lesson.source_kind == SourceKind.EXPERIMENT and lesson.source_experiment == running
    assert lesson.statement == "People want a human the first time"
    assert lesson.source_key == f"experiment:{running.pk}"
    assert lesson_from_learning(actor=alice, card=card, index=1) == lesson  # once
    with pytest.raises(ApplicationError):
        lesson_from_learning(actor=alice, card=card, index=5)
    assert Lesson.objects.count() == 1
