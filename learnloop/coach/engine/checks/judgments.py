"""Judgment words aimed at a thing or at a person: a trait of a thing ("lax input
validation", "rendering them useless"), "inadequate"/"improper" judging a thing, and the
words of a bad act.
"""

from __future__ import annotations

import re

from learnloop.coach.engine.function_words import AUX, PREPS
from learnloop.coach.engine.sentence import Sentence
from learnloop.coach.lexicon import words as _words

from .people import has_actor

_I = re.IGNORECASE


_RENDERED = re.compile(
    r"\b(?:render\w*|made|makes?|making|left|leaves?|leaving) (?:it|them)\s+$", _I
)


def trait_of_a_thing(s: Sentence, m: re.Match[str]) -> bool:
    """'lax input validation', 'rendering them useless': the trait word describes a thing."""
    if _RENDERED.search(s.text, max(0, m.start() - 30), m.start()):
        return True
    i = s.index_at(m.end())
    if i >= len(s.tokens) or s.text[m.end() : s.tokens[i][1]].strip():
        return False
    nxt = s.tokens[i][0].lower()
    return not s.person[i] and nxt not in PREPS and nxt not in AUX and nxt not in _CONJ_WORDS


# A predicate "inadequate": "the response was (repeatedly) inadequate" judges its subject.
_COPULA_BEFORE = re.compile(
    r"\b(?:is|are|was|were|been|being|remains?|remained|proved)\s+(?:\w+ly\s+)?$", re.I
)


def judges_a_thing(s: Sentence, m: re.Match[str]) -> bool:
    """'inadequate funding', 'an improperly configured API setting' (but not "inadequately
    briefed the executives", "Treasury's inadequate review", "an improper practice that the
    data team knew about")."""
    if re.search(r"\b(?:a|an|the)\s+$", s.text[max(0, m.start() - 5) : m.start()], _I) and (
        re.match(r"\s+\w+ed\b", s.text[m.end() :])
    ):
        return True
    i = s.index_at(m.start())
    if m.group().lower().endswith("ly") or (i > 0 and s.person[i - 1]):
        return False
    if re.match(r"(?:inadequate|improper)$", m.group(), _I) and _COPULA_BEFORE.search(
        s.text[max(0, m.start() - 40) : m.start()]
    ):
        # "Contoso's incident response was repeatedly inadequate" judges a thing; "Dana's
        # review was inadequate" judges a person's work.
        return not has_actor(s, s.clause_start(m.start()), i)
    if re.search(
        r"\b(?:that|which) (?:the |our )?[\w-]+ (?:team|crew|staff)\b", s.text[m.end() :], _I
    ):
        return False
    return trait_of_a_thing(s, m)


_CONJ_WORDS = _words("and or but nor so yet then when while because about with")


BAD_ACT = re.compile(
    r"\b(?:untested|unreviewed|unapproved|wrong|late|without|skipp\w*|ignor\w*|miss\w*"
    r"|forg[eo]t\w*|broke|rush\w*|careless\w*|sloppy|mistake|screw\w*|messed"
    r"|left (?:\w+ ){0,3}?(?:open|unlocked|running|unattended|behind))\b",
    _I,
)
