"""Vague learnings (issue 11, item 6): the coach reads a learning that names no system,
condition or change, and the exhortations among them are blame rules too."""

from __future__ import annotations

import pytest

from learnloop.coach.engine import analyse, vague_learning
from learnloop.coach.engine.rules.vague import QUESTIONS
from learnloop.coach.tests.reader_accepted import flagged


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Be more careful.", "care"),
        ("Try harder", "care"),
        ("Lesson: everyone should pay more attention.", "care"),
        ("We need to be more careful next time.", "care"),
        ("Test more.", "test"),
        ("- More testing needed", "test"),
        ("We should test more thoroughly before releasing.", "test"),
        ("We need to communicate better.", "communicate"),
        ("Improve monitoring", "general"),
        ("Follow the process.", "general"),
        ("Be more careful. Test more.", "care"),
    ],
)
def test_it_asks_for_the_change_a_vague_learning_leaves_out(text: str, kind: str) -> None:
    assert vague_learning(text) == QUESTIONS[kind]


@pytest.mark.parametrize(
    "text",
    [
        "",
        "Badge lists live in two places, so a vendor update resets one of them.",
        "Test the failover path before each release.",
        "Be more careful. The retry budget hides slow dependencies.",  # one specific sentence
        "Monitoring of the queue depth would have shown the backlog an hour earlier.",
        "We told the team to be more careful, which did not help.",
        "Communicate outages on the status page within 10 minutes.",
    ],
)
def test_a_specific_learning_is_not_vague(text: str) -> None:
    assert vague_learning(text) is None


@pytest.mark.parametrize(
    "text",
    ["Be more careful.", "Try harder.", "We all need to try harder next time.",
     "The night team must pay more attention."],
)  # fmt: skip
def test_an_exhortation_as_the_whole_lesson_is_normative(text: str) -> None:
    assert [f.signal for f in analyse(text)] == ["normative"]


@pytest.mark.parametrize(
    "text",
    [
        "We told the team to be more careful, which did not help at all that night.",
        "Asking people to try harder did not change the error rate.",
        "Test more.",  # vague, but not about a person
        "Operators should be able to pay more attention to alarms that matter.",
    ],
)
def test_an_exhortation_inside_an_account_or_a_vague_plan_is_not_blame(text: str) -> None:
    assert not flagged(text)
