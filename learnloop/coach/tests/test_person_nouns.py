"""Person detection that generalises (issue 18, round 4; decision 0226): role nouns the role
list does not hold are people by the occupation list, by their form, or by their syntax; the
same endings on equipment and software are not.

Every sentence here is written for this file, in words and domains of none of the evaluation
sets.
"""

from __future__ import annotations

import pytest

from learnloop.coach import occupations
from learnloop.coach.engine import is_blameful
from learnloop.coach.engine.sentence import Sentence
from learnloop.coach.tests.reader_accepted import flagged


def _person_words(text: str) -> list[str]:
    s = Sentence(text, frozenset())
    return [tok[0] for tok, p in zip(s.tokens, s.person, strict=True) if p]


@pytest.mark.parametrize(
    ("word", "person"),
    [
        ("stagehand", True),  # -hand compound
        ("ranch-hands", True),
        ("timekeeper", True),  # -keeper
        ("signwriters", False),  # an -er word: only by syntax (weak), not by form
        ("glassworker", True),
        ("taxidermist", True),  # -ist
        ("mortician", True),  # -ician
        ("auctioneer", True),  # -eer
        ("interviewee", True),  # -ee
        ("beforehand", False),
        ("checklist", False),
        ("human", False),
        ("committee", False),
        ("supplier", False),  # -ier names things as often as people
        ("courier", True),
    ],
)
def test_agent_nouns_by_form(word: str, person: bool) -> None:
    assert (occupations.agentive(word) or occupations.occupation(word)) is person, word


@pytest.mark.parametrize(
    "word", ["scheduler", "controller", "router", "servers", "compressor", "printer", "logger"]
)
def test_devices_are_never_agent_nouns(word: str) -> None:
    assert occupations.device(word)
    assert not occupations.agentive(word) and not occupations.weak_agentive(word)


@pytest.mark.parametrize(
    ("text", "who"),
    [
        ("The stagehand dropped the counterweight before the fly bar was clear.", "stagehand"),
        ("Our upholsterer should have measured the frame again.", "upholsterer"),
        ("A glazier left the pane leaning against the open door.", "glazier"),
        # An -er word that names a person only through its syntax.
        ("The caner skipped the soak and every seat split.", "caner"),
        ("The plasterer on shift ignored the damp reading.", "plasterer"),
    ],
)
def test_unlisted_role_nouns_are_people(text: str, who: str) -> None:
    assert who in _person_words(text)


@pytest.mark.parametrize(
    "text",
    [
        "The caner was idle for most of the week.",  # a copula is no act
        "The filter clogged after the storm.",
        "The number went up overnight.",
        "Fisher approved the release at 10:00.",  # a capitalised -er word is a name, not a role
    ],
)
def test_things_and_names_are_not_unlisted_roles(text: str) -> None:
    people = [w.lower() for w in _person_words(text)]
    assert not {"caner", "filter", "number"} & set(people)


@pytest.mark.parametrize(
    "text",
    [
        "The stagehand should have tied off the fly line before the interval.",
        "Our taxidermist didn't bother to check the arsenic label.",
        "The glazier forgot to tape the cracked pane.",
        "The timekeeper failed to stop the clock at the whistle.",
        "Honestly, the upholsterer could have asked before cutting the silk.",
        "Our financial controller failed to approve the accruals before the close.",
    ],
)
def test_slips_told_with_unlisted_role_nouns_are_blame(text: str) -> None:
    assert is_blameful(text), text


@pytest.mark.parametrize(
    "text",
    [
        "The scheduler failed to run the nightly export.",
        "The job scheduler should have retried the upload after the timeout.",
        "The controller should have tripped at 80 degrees.",
        "The router should have failed over to the backup link.",
        "The server failed to restart after the kernel patch.",
        "The installer failed to write the config file.",
        "The compressor failed to start because the relay stuck.",
        "The route planner sent both vans to the same depot.",
        "The humidity logger failed to upload for a month.",
        "The label printer should have stopped when the roll ran out.",
    ],
)
def test_machines_named_like_agents_are_not_blamed(text: str) -> None:
    assert not is_blameful(text), text


@pytest.mark.parametrize(
    "text",
    [
        "The stagehand lowered the fly bar at 19:40 after the cue light went green.",
        "Our taxidermist said she used the label on the jar because the inventory was empty.",
        "The timekeeper stopped the clock when the referee signalled.",
    ],
)
def test_unlisted_role_nouns_in_accounts_stay_quiet(text: str) -> None:
    assert not is_blameful(text), text


# --- a person's act done in a wrong manner, told without blame words (round 12) ------------


@pytest.mark.parametrize(
    "text",
    [
        "The projectionist started the reel ten minutes early and the trailers were cut.",
        "A locksmith fitted the door with two screws missing.",
        "The bookkeeper posted the refund to another tenant's ledger.",
        "Our groundsman cut the pitch far too short before the final.",
        "The usher seated the party in row F instead of the box they had paid for.",
    ],
)
def test_an_act_done_in_a_wrong_manner_is_blame(text: str) -> None:
    assert is_blameful(text), text


@pytest.mark.parametrize(
    "text",
    [
        "The crew finished the repair two days early.",  # early completion is good news
        "Tenants were billed a day late.",  # passive: what happened to people
        "The technician set the thermostat too low on purpose to protect the samples.",
        "The nurse gave the second dose an hour early, as the order set required.",
        "The projectionist started the reel ten minutes early because the film ran long.",
        "The generator started ten minutes late after the transfer switch stuck.",  # no person
        "We moved the stand-up to 10:00 instead of 09:30 for the new starters.",  # a choice
    ],
)
def test_early_late_and_instead_of_in_accounts_stay_quiet(text: str) -> None:
    assert not flagged(text), text
