"""The learned stage of the coach (engine/learned.py, decisions 0223, 0225 and 0227): on by
default since decision 0227 (off with ``learned=False`` or ``LEARNLOOP_COACH_LEARNED=0``),
reads only what the rules leave undecided, and its weights file matches the packaged model."""

from __future__ import annotations

import json

import pytest

from learnloop.coach.engine import analyse, learned
from learnloop.coach.engine.quotes import mask

pytestmark = pytest.mark.skipif(not learned.available(), reason="embedding model not installed")

# A training sentence the rules miss and the head scores above its threshold (in-sample).
# Round 18 (decision 0249): the earlier example ("The mechanic torqued the wheel nuts by feel
# and sent the car out.") scores below the threshold of the head retrained on the 25 files,
# with or without the round's engine change (0.75 and 0.78 < 0.86), so another training
# sentence of the same shape stands in; the assertions are unchanged.
MISSED_BY_RULES = "The physio signed the winger off as fit after a ten-second look at his ankle."


def test_the_weights_match_the_packaged_model() -> None:
    from learnloop.search import dense

    head = json.loads(learned.WEIGHTS.read_text(encoding="utf-8"))
    assert head["model"] == dense.MODEL_ID
    assert head["features"] == learned.N_FEATURES
    assert len(head["weights"]) == dense.DIMS + learned.N_FEATURES
    assert 0.5 <= head["threshold"] < 1.0


def test_it_is_on_by_default_and_off_when_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    assert analyse(MISSED_BY_RULES, learned=False) == []
    found = analyse(MISSED_BY_RULES)
    assert found == analyse(MISSED_BY_RULES, learned=True)
    assert [f.signal for f in found] == ["named-person"]
    f = found[0]
    assert MISSED_BY_RULES[f.start : f.end] == "physio"
    assert (f.sentence_start, f.sentence_end) == (0, len(MISSED_BY_RULES))
    assert f.suggestion
    monkeypatch.setenv("LEARNLOOP_COACH_LEARNED", "0")
    assert analyse(MISSED_BY_RULES) == []


def test_it_keeps_the_rules_findings_in_order() -> None:
    text = "The nurse should have checked the chart. " + MISSED_BY_RULES
    found = analyse(text)
    assert [f.signal for f in found] == ["counterfactual", "named-person"]
    assert found[0].sentence_start < found[1].sentence_start


@pytest.mark.parametrize(
    "text",
    [
        "09:41 Jonas set the oven to 220 degrees.",  # a timeline entry
        "Jonas road-tested the van at 16:30 and noted a pull to the left.",  # a clock time
        "The operator set the oven ten degrees high because the dial had slipped.",  # condition
        "The operator said she set the oven as the sheet showed.",  # a report
        "The oven ran ten degrees too high overnight.",  # no person
        "Why does the oven let anyone set 300 degrees?",  # a question
        "Who set the oven to 300 degrees?",  # a question (the rules tell rhetorical ones)
        "Operators should be able to stop the oven from one screen.",  # design intent
        "It would be easy to call this a baker's mistake.",  # the rules' vocabulary
        "Had the baker been told, she would have turned the oven down.",  # "would have"
        "The baker has not been let go.",  # negated
        "The baker reported the hot oven twice.",  # raised the problem
        "The word 'lazy' came up in the draft.",  # a mention
        "Oven hot.",  # too short
    ],
)
def test_it_leaves_accounts_timelines_and_sentences_without_people_alone(text: str) -> None:
    assert learned.undecided(mask(text), frozenset(), text) is None
    assert analyse(text) == analyse(text, learned=False)


def test_probabilities_are_one_per_text() -> None:
    # Both of the shape the stage reads (a person at work, no condition): one slip, one routine.
    probs = learned.probabilities([MISSED_BY_RULES, "The nurse handed over to the night shift."])
    assert len(probs) == 2 and all(0.0 <= p <= 1.0 for p in probs)
    assert probs[0] >= learned.threshold() > probs[1]


def test_the_learned_stage_rarely_flags_the_precision_probes() -> None:
    """The blameless probes written for the rules (test_generalisation.py, test_real_prose.py):
    the rules flag none; the head, a statistical stage, may add a rare false positive and
    must stay at or under 2 of them (2026-12-04, decision 0227: 2 of 71, "The nurses were too
    busy to take breaks during the surge." and "The new hire makes a point of reading every
    runbook."; 1 of 71, the latter, after retraining on decision 0228's model vectors)."""
    from learnloop.coach.tests import test_generalisation, test_real_prose

    probes = list(test_generalisation.PRECISION_PROBES) + list(test_real_prose.QUIET_PROBES)
    flagged = [t for t in probes if analyse(t)]
    assert len(flagged) <= 2, flagged
