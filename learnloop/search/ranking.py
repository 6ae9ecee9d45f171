"""Knobs and helpers of ``index.related``: the ranking parameters, the concept idf and the
reasons shown with a suggestion. The scoring path itself is ``index.related`` (lexical
stage) and ``hybrid.blend`` (dense stage)."""

from __future__ import annotations

import math
from dataclasses import dataclass

from . import mechanisms
from .text import stem

#: Candidates re-ranked in Python by related().
DEFAULT_CANDIDATES = 100

#: related() shows nothing scoring below this confidence (0..1) when it ranks by the lexical
#: stage alone. Picked on the dev set; see docs/search.md. With the dense stage the hybrid
#: score and hybrid.HYBRID_THRESHOLD are used instead.
DEFAULT_THRESHOLD = 0.53

#: A cosine from which the dense stage names "similar description" as a reason.
SIMILAR_DESCRIPTION = 0.45


@dataclass(frozen=True)
class RankingParams:
    """Re-ranking knobs (tuned on the dev set only; see docs/search.md).

    The score is absolute, not normalised per query, so that it can be turned into a
    confidence and compared with one fixed threshold: ``score = lexical_weight * lexical
    + shared concept mass``, ``confidence = 1 - exp(-score / confidence_scale)``.
    """

    candidates: int = DEFAULT_CANDIDATES
    lexical_weight: float = 0.5
    confidence_scale: float = 20.0
    threshold: float = DEFAULT_THRESHOLD
    #: Concept idf pretends the index holds at least this many documents (the others not
    #: mentioning the concept), so that a young database with a handful of items does not
    #: give every shared mechanism an idf of ~0 and hide every suggestion.
    min_idf_docs: int = 250
    #: Blend in the dense stage when it is available (learnloop/search/hybrid.py).
    dense: bool = True


def _idf(df: int, n: int) -> float:
    return math.log(1.0 + (n - df + 0.5) / (df + 0.5)) if n else 1.0


def _reasons(shared: dict[str, float], terms: set[str], qwords: list[str]) -> list[str]:
    reasons = []
    top = sorted(shared, key=lambda c: -shared[c])[:3]
    if top:
        reasons.append("shared mechanism: " + ", ".join(mechanisms.label(c) for c in top))
    # Show the user's own spelling of the shared terms, in the order they typed them.
    shown = [w for w in qwords if stem(w) in terms][:5]
    if shown:
        reasons.append("shared terms: " + ", ".join(shown))
    return reasons
