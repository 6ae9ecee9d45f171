"""The learned stage of the coach (engine/learned.py, decision 0223): off unless asked, reads
only what the rules leave undecided, and its weights file matches the packaged model."""

from __future__ import annotations

import json

import pytest

from learnloop.coach.engine import analyse, learned
from learnloop.coach.engine.parse import mask

pytestmark = pytest.mark.skipif(not learned.available(), reason="embedding model not installed")

# Training sentences the rules miss and the head scores above its threshold (in-sample).
MISSED_BY_RULES = "An operator set the oven ten degrees too high."


def test_the_weights_match_the_packaged_model() -> None:
    from learnloop.search import dense

    head = json.loads(learned.WEIGHTS.read_text(encoding="utf-8"))
    assert head["model"] == dense.MODEL_ID
    assert len(head["weights"]) == dense.DIMS
    assert 0.5 <= head["threshold"] < 1.0


def test_it_runs_only_when_asked() -> None:
    assert analyse(MISSED_BY_RULES) == []
    found = analyse(MISSED_BY_RULES, learned=True)
    assert [f.signal for f in found] == ["named-person"]
    f = found[0]
    assert MISSED_BY_RULES[f.start : f.end] == "operator"
    assert (f.sentence_start, f.sentence_end) == (0, len(MISSED_BY_RULES))
    assert f.suggestion


def test_it_keeps_the_rules_findings_in_order() -> None:
    text = "The nurse should have checked the chart. " + MISSED_BY_RULES
    found = analyse(text, learned=True)
    assert [f.signal for f in found] == ["counterfactual", "named-person"]
    assert found[0].sentence_start < found[1].sentence_start


@pytest.mark.parametrize(
    "text",
    [
        "09:41 Jonas set the oven to 220 degrees.",  # a timeline entry
        "The operator set the oven ten degrees high because the dial had slipped.",  # condition
        "The operator said she set the oven as the sheet showed.",  # a report
        "The oven ran ten degrees too high overnight.",  # no person
        "Why did the oven run hot?",  # a question
        "Oven hot.",  # too short
    ],
)
def test_it_leaves_accounts_timelines_and_sentences_without_people_alone(text: str) -> None:
    assert learned.undecided(mask(text), frozenset()) is None
    assert analyse(text, learned=True) == analyse(text)


def test_probabilities_are_one_per_text() -> None:
    probs = learned.probabilities([MISSED_BY_RULES, "The pump ran for an hour."])
    assert len(probs) == 2 and all(0.0 <= p <= 1.0 for p in probs)
    assert probs[0] >= learned.threshold() > probs[1]
