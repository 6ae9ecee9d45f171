"""Round 16 (decision 0237): people found at the start of a sentence, the rhetorical who with a
generic act, a sanction on a privilege named with its object, and the two uses of a condition
word that explain nothing (a danger ignored, a sanction's trigger). Probes both ways; the
sentences are new (no set or training file holds them), in domains no fresh set uses."""

from __future__ import annotations

import pytest

from learnloop.coach.engine import analyse
from learnloop.coach.engine.quotes import mask
from learnloop.coach.engine.sentence import Sentence

RHETORICAL = [
    "Who stacks a pallet of paint tins against a mezzanine rail that wobbles?",
    "Which baker slides a tray of croissants into a cold oven and goes home?",
    "Who drives a forklift with two crates of eggs through a wet loading bay?",
]

FACTUAL_QUESTIONS = [
    "Who orders the flour for the weekend bakes?",
    "Which baker does the sourdough starter on Mondays?",
    "Who approves a refund over 500?",
    "Who has a key to the flour store?",
]

SANCTIONS = [
    "Anselm's access to the cold room has been withdrawn after the spill.",
    "Greta's key to the print shop has been taken back.",
]

NOT_SANCTIONS = [
    "The courier's access to the loading bay was removed when the contract ended.",
    "Access to the cold room is withdrawn every night at ten.",
]


@pytest.mark.parametrize("text", RHETORICAL)
def test_a_generic_act_on_an_indefinite_object_is_a_rhetorical_question(text: str) -> None:
    assert analyse(text, learned=False), text


@pytest.mark.parametrize("text", FACTUAL_QUESTIONS)
def test_a_question_about_a_routine_or_a_process_is_factual(text: str) -> None:
    assert not analyse(text, learned=False), text


@pytest.mark.parametrize("text", SANCTIONS)
def test_a_privilege_taken_from_a_named_person_is_a_sanction(text: str) -> None:
    assert analyse(text, learned=False), text


@pytest.mark.parametrize("text", NOT_SANCTIONS)
def test_a_role_or_nobody_losing_access_is_not_a_sanction(text: str) -> None:
    assert not analyse(text, learned=False), text


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("Odo split the last crate of figs between two vans.", "Odo"),
        ("Ivo hung the banner from the gutter.", "Ivo"),
        ("The sorter tipped a whole sack of parcels into the skip.", "sorter"),
        ("Our blaster wired the charges before lunch.", "blaster"),
    ],
)
def test_a_person_before_a_past_act_on_an_object(text: str, word: str) -> None:
    s = Sentence(mask(text), frozenset())
    assert any(p and w == word for (w, _, _), p in zip(s.tokens, s.person, strict=True)), text


@pytest.mark.parametrize(
    "text",
    [
        "Consul hung for ten minutes.",
        "The compressor tripped the breaker at noon.",
        "The sorter tipped the queue into the overflow after the nightly export.",
    ],
)
def test_machines_and_products_are_not_made_people(text: str) -> None:
    s = Sentence(mask(text), frozenset())
    assert not any(s.person), text


@pytest.mark.parametrize(
    "text",
    [
        "After the ladder incident, Bram will be working the stockroom for the rest of the month.",
        "Bram lowered the shutter while the delivery driver was still standing under it.",
    ],
)
def test_a_danger_ignored_or_a_sanctions_trigger_is_flagged(text: str) -> None:
    # Round 16 let these reach the learned stage's narrow gate; since decision 0251 the reader
    # reads the unflagged sentences that have a person, so the product's coach is asked.
    assert analyse(text), text


@pytest.mark.parametrize(
    "text",
    [
        "Bram restarted the oven after the engineer replaced the element.",
        "Bram lowered the shutter because the alarm company asked him to.",
        "Bram will close the shop early while the floor is being relaid.",
    ],
)
def test_conditions_and_plans_are_not_flagged(text: str) -> None:
    assert not analyse(text), text
