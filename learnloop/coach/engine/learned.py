"""The learned stage: a logistic-regression head on sentence embeddings, for the sentences the
rules leave undecided (issue 18, decision 0223).

Rules catch blame carried by known shapes; implicit blame in new words ("the line lead
loaded the wrong recipe and we scrapped a whole batch") has none. This stage reads what the
rules left: a sentence that no rule flagged, that has a person in it other than the affected
(a role, a name, a pronoun: the same person detection as the rules), and that is not an
account told with its conditions, a report, a timeline entry or an action item (the
exemptions the rules use, cheap regexes). Such a sentence is embedded with the model of
related suggestions (all-MiniLM-L6-v2 int8 ONNX, ``learnloop.search.dense``: packaged,
nothing downloaded) and scored by ``sigmoid(w . x + b)``; at or above the stored threshold it
is flagged with the ``named-person`` signal (a person presented as the cause), the person
reference underlined.

The weights (384 + 1 numbers and the threshold) are ``learned_head.json`` beside this module,
written by ``benchmarks/train_coach_head.py`` from ``tests/data/implicit_train.jsonl`` (written
for this, never copied from an evaluation set) and unlabelled corpus sentences as negatives.
Nothing here runs unless the caller asks (``analyse(..., learned=True)``): the rules path stays
pure standard library and keeps its speed; the web app and ``learnloop blame`` ask.
"""

from __future__ import annotations

import json
import math
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from .checks import COND_AFTER, has_actor
from .exemptions import _ACTION, _is_reported
from .parse import Sentence

WEIGHTS = Path(__file__).with_name("learned_head.json")

# A timestamp or day at the start: a timeline entry ("09:41 Jonas restarted ...").
_TIMELINE = re.compile(
    r"^\W*(?:at |on |by )?(?:\d{1,2}[:.h]\d{2}\b|day \d+\b|(?:mon|tues|wednes|thurs|fri|satur|sun)"
    r"day\b|\d{4}-\d{2}-\d{2}\b|t\s*[+-]\s*\d+)",
    re.IGNORECASE,
)
# Told with its condition or plan: "... because the two tubs had identical lids", "as planned".
_CONDITION = re.compile(
    r"\b(?:because|since|so that|due to|as (?:planned|agreed|asked|the \w+ (?:said|asked"
    r"|showed|named|required))|which (?:was|were|had|showed|listed|named)|after the \w+"
    r"|when the \w+|while the \w+|whose \w+|the \w+ (?:had|showed|listed|gave) (?:no|the old"
    r"|the wrong))\b",
    re.IGNORECASE,
)
_MIN_WORDS, _MAX_WORDS = 4, 60


@lru_cache(maxsize=1)
def _head() -> dict[str, Any] | None:
    try:
        data: dict[str, Any] = json.loads(WEIGHTS.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data


def available() -> bool:
    """The weights are present and the embedding model is installed."""
    if _head() is None:
        return False
    try:
        from learnloop.search import dense
    except ImportError:
        return False
    return dense.enabled()


def undecided(raw: str, names: frozenset[str]) -> Sentence | None:
    """The sentence's person view when the learned stage should read ``raw`` (a sentence no
    rule flagged, quotes masked), else None."""
    n_words = len(raw.split())
    if not _MIN_WORDS <= n_words <= _MAX_WORDS:
        return None
    if _TIMELINE.search(raw) or _ACTION.search(raw) or "?" in raw:
        return None
    if _CONDITION.search(raw) or COND_AFTER.search(raw):
        return None
    s = Sentence(raw, names)
    if not has_actor(s) or _is_reported(s, raw):
        return None
    return s


def probabilities(texts: list[str]) -> list[float]:
    """The head's probability of blame for each text (embedded in one batch)."""
    head = _head()
    if head is None or not texts:
        return [0.0] * len(texts)
    from learnloop.search import dense

    vectors = dense.encode(texts)
    w, b = head["weights"], float(head["bias"])
    out = []
    for row in vectors.tolist():
        z = b + math.fsum(x * y for x, y in zip(row, w, strict=True))
        out.append(1.0 / (1.0 + math.exp(-z)))
    return out


def threshold() -> float:
    head = _head()
    return float(head["threshold"]) if head else 1.1


def person_span(s: Sentence) -> tuple[int, int]:
    """The first person reference (with its determiner) to underline, else the sentence."""
    for i, (_word, a, b) in enumerate(s.tokens):
        if s.person[i]:
            return a, b
    return 0, len(s.text)
