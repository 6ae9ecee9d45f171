"""What people read about a hint (issue 11, item 7): a kind sentence per signal, never the
code; a suggested question is offered as a question and never pasted over a statement."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from learnloop.coach.engine.findings import SIGNALS
from learnloop.coach.labels import FALLBACK_LABEL, LABELS, signal_label, split_suggestion
from learnloop.reviews.models import Review

pytestmark = pytest.mark.usefixtures("fresh_names")
DAVE = "Dave should have double-checked the config before pushing."
WHY = "Why didn't anyone check the pharmacy queue?"
# "character" is also a plain English word, which the character label uses.
JARGON = [code for code in SIGNALS if code != "character"]
CODES = re.compile("|".join(re.escape(code) for code in JARGON))


def _check(client, text: str) -> list[dict[str, Any]]:
    response = client.post(
        "/coach/check", json.dumps({"text": text}), content_type="application/json"
    )
    assert response.status_code == 200
    findings: list[dict[str, Any]] = response.json()["findings"]
    return findings


def test_every_signal_reads_as_a_sentence_not_a_code() -> None:
    assert set(LABELS) >= set(SIGNALS)
    for code in SIGNALS:
        label = signal_label(code)
        assert label != code and not CODES.search(label) and label[0].isupper()
    assert signal_label("some-new-rule") == FALLBACK_LABEL


def test_a_statement_gets_the_question_to_consider_not_a_rewording(client_for, alice) -> None:
    (finding,) = _check(client_for(alice), DAVE)
    assert finding["label"] == "This is hindsight about what someone should have done"
    assert finding["rewording"] == ""
    assert finding["question"] == "What made it hard to double-check the config before pushing?"


def test_a_question_may_be_replaced_by_a_better_question(client_for, alice) -> None:
    (finding,) = _check(client_for(alice), f"The queue grew for an hour. {WHY}")
    assert finding["signal"] == "why-didnt" and "accusation" in finding["label"]
    assert finding["rewording"] == "What made it hard to check the pharmacy queue at the time?"
    assert finding["question"] == ""


def test_split_suggestion_keeps_the_kind_of_sentence() -> None:
    assert split_suggestion("We lost the data.", 'Try: "The backup was not restored."') == (
        "The backup was not restored.",
        "",
    )
    assert split_suggestion("Sam should have paged.", 'Try: "What made paging hard?"') == (
        "",
        "What made paging hard?",
    )
    assert split_suggestion("Anything.", "Describe the conditions instead.") == ("", "")


def test_the_summary_before_publishing_shows_sentences_not_codes(client_for, alice, review) -> None:
    content = dict(review.content)
    content["summary"] = f"{DAVE} {WHY}"
    content["learnings"] = ["The night team was careless with the rota."]
    Review.objects.filter(pk=review.pk).update(content=content)
    html = client_for(alice).get(f"/reviews/{review.pk}/").content.decode()
    summary = html.split('id="coach-summary"', 1)[1].split("</section>", 1)[0]
    assert "3 open hints" in summary
    assert "This is hindsight about what someone should have done." in summary
    assert "can sound like an accusation." in summary
    assert not CODES.search(summary), CODES.search(summary)
