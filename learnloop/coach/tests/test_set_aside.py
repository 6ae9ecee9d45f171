"""Round 14 (decision 0229): a blame label named in order to set it aside, ownership of a
follow-up and praise for a loss avoided are not verdicts; the same words used as a verdict
still are. The sentences are new (no set or training file holds them), in domains no fresh set
uses."""

from __future__ import annotations

import pytest

from learnloop.coach.engine import analyse

SET_ASIDE = [
    "Chalking the flat tyres up to driver error would gloss over the missing pressure gauge.",
    "Calling it carelessness would hide that both cylinders had the same grey collar.",
    "Logging this as operator error would skip the question of why the interlock was bypassed.",
    "Lifeguard inattention was the easy answer, but the glare on the water hid the far lane.",
    "The initial report blamed the welder; the investigation found the gas mix was wrong.",
    "The ticket says user error; the review found that the form dropped the second address line.",
    "Responsibility for the revised loading chart sits with Omar, who will test it on two trucks.",
    "Thanks to the night crew, who moved the whole archive without damaging a single box.",
]

STILL_BLAME = [
    "Operator error, plain and simple: the shunter should have checked the points.",
    "Calling this anything but Dana's carelessness would be too kind.",
    "Responsibility for this mess sits squarely with Omar.",
    "The welder walked off without checking a single joint.",
    "The report says the welder should have purged the line first.",
]


@pytest.mark.parametrize("text", SET_ASIDE)
def test_a_label_set_aside_is_not_a_verdict(text: str) -> None:
    assert not analyse(text, learned=False), text


@pytest.mark.parametrize("text", STILL_BLAME)
def test_the_same_words_as_a_verdict_are_still_flagged(text: str) -> None:
    assert analyse(text, learned=False), text
