"""What a rule is: (signals, regex, check, gate keys), built with :func:`rule`."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import NamedTuple

from learnloop.coach.engine.sentence import Sentence

_I = re.IGNORECASE


# --------------------------------------------------------------------------
# Rules. Each rule: (signals, regex, check, keys). ``check`` receives the sentence
# and the match and returns True when the cue is really about a person. ``keys`` is
# the rule's cheap gate (see ``rule``).
# --------------------------------------------------------------------------

Check = Callable[[Sentence, re.Match[str]], bool]


class Rule(NamedTuple):
    signals: tuple[str, ...]
    pattern: re.Pattern[str]
    check: Check
    keys: tuple[frozenset[str], ...]


def rule(signals: str, pattern: str, check: Check, *, keys: str) -> Rule:
    """One rule. ``keys`` is its gate: lowercase substrings, one of which every match of the
    rule contains (``a|b``); ``&`` joins groups that must all occur in the sentence (``?&why``:
    a question mark and "why"). A sentence without them never runs the regex.
    ``tests/test_engine.py`` checks that gating never changes a result."""
    groups = tuple(frozenset(group.split("|")) for group in keys.split("&"))
    return Rule(tuple(signals.split()), re.compile(pattern, _I), check, groups)
