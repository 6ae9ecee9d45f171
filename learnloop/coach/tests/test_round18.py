"""Round 18 (decision 0249): the rules' exemptions and the learned stage's gate, both ways.

Sentences written for these tests (new wording, not taken from any labelled file): a denial
of an omission and a label named to be set aside stay unflagged; a person noun before
"error", a negative question about an act only people do, a temporal "as soon as", an
irregular participle after "should have" and a named person's duty taken away for good are
flagged; a person's act given as the cause, and a standing consequence told in plain words,
reach the learned stage.
"""

from __future__ import annotations

import pytest

from learnloop.coach.engine import analyse
from learnloop.coach.tests import reader_accepted


@pytest.mark.parametrize(
    "text",
    [
        "This was glazier error, and the frame itself was fine.",
        "The second callout was roofer error and nothing else.",
        "Why didn't the ticket office tell the coach driver about the diversion?",
        "Didn't anybody read the tide table before the dinghies went out?",
        "The porter forgot to lock the cage, and it swung open as soon as we moved off.",
        "The lab tech should have worn a face shield for the acid transfer.",
        "Tomasz isn't driving the minibus anymore.",
        "Beata no longer gets the Saturday stall.",
        "Kasia will be on the till, not the grill, for the summer.",
    ],
)
def test_flagged(text: str) -> None:
    assert analyse(text, learned=False), text


@pytest.mark.parametrize(
    "text",
    [
        "Nobody forgot the valve check; the gauge was stuck at zero all night.",
        "Saying the baker forgot the salt misses that the scale switches units on its own.",
        "It is tempting to call this picker error, but the bin labels had been swapped.",
        "Before anyone blames the courier: the address label was printed twice.",
        "We are not writing this up as rider error; the saddle bolt was cracked.",
        "Glazier error was ruled out once we saw the frame had moved.",
        "Some users saw Internal Server Errors for an hour.",
        "Why didn't the backup alarm sound?",
        "Tomasz isn't driving the minibus this week because he is on leave.",
        "Beata no longer needs to count the float by hand.",
        "The buyers will not approve orders above the limit until the new form is live.",
    ],
)
def test_not_flagged(text: str) -> None:
    assert not analyse(text, learned=False), text


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        ("The tiles cracked because the tiler laid them on a wet screed.", True),
        ("The tiles cracked because the screed was still wet.", False),
        ("After the forklift scrape, Ola is done on the loading bay.", True),
        ("After the delivery, Ola unloaded the pallets by the door.", False),
    ],
)
def test_the_coach(text: str, flagged: bool) -> None:
    # Round 18 asked whether these reach the learned stage's narrow gate; since decision 0251
    # the reader reads the unflagged sentences with a person, so the product's coach is asked.
    assert reader_accepted.flagged(text) is flagged
