"""The rule table: every blame cue as (signals, regex, check, gate keys), one module per first
signal. The order of the rules does not change a result (a sentence's signals, primary signal
and span are computed from all the rules that fired).

History: the original table was extended in rounds, each after scoring the engine on sentences
it had not seen (the rules carry a ``Round N`` comment): round 2 after a second set of fresh
test sentences; round 3 for behaviours, sarcasm and sanctions phrased without the usual
vocabulary; round 4 after the untuned fresh check recorded in docs/benchmarks.md; round 5 after
fresh set 1 (sarcasm frames, sanctions and rhetorical questions without the usual
vocabulary); round 6 after fresh set 2; round 7 after fresh set 3; round 8 after fresh set 4
("apparently", "go figure" and mock praise, effort counterfactuals, inverted conditionals, a
person as the place a failure landed, sanctions phrased as suspensions or lost rights); round 9
(issue 18, ``implicit.py``) for a slip told as a person's act, character labels, sarcasm and
sanctions in new words, tuned on ``tests/data/implicit_train.jsonl``; round 10 (issue 18 round
2, also ``implicit.py``) from the same file grown to 249 sentences, after fresh set 2
(``benchmarks/data/coach_fresh_eval2.jsonl``) had been committed; round 11 (issue 18 round 3,
``frames.py``: sanctions, rhetorical questions and sarcasm by structure) from a second training
file (``tests/data/implicit_train2.jsonl``) after fresh set 3
(``benchmarks/data/coach_fresh_eval3.jsonl``) had been committed.
"""

from __future__ import annotations

from .base import Check, Rule, rule
from .character import CHARACTER
from .counterfactual import COUNTERFACTUAL
from .frames import FRAMES
from .human_error import HUMAN_ERROR
from .implicit import IMPLICIT
from .named_person import NAMED_PERSON
from .normative import NORMATIVE
from .punitive import PUNITIVE
from .why_didnt import WHY_DIDNT

__all__ = ["RULES", "Check", "Rule", "rule"]

RULES: list[Rule] = [
    *COUNTERFACTUAL,
    *CHARACTER,
    *HUMAN_ERROR,
    *NORMATIVE,
    *WHY_DIDNT,
    *NAMED_PERSON,
    *PUNITIVE,
    *IMPLICIT,
    *FRAMES,
]
