"""Hindsight about a person's act: "should have <participle>", "could have caught" (not
about a tool or a fix being made), "Had anyone picked up the phone, ...".
"""

from __future__ import annotations

import re

from learnloop.coach.engine.sentence import Sentence
from learnloop.coach.lexicon import words as _words

from .conditions import has_condition
from .negation import not_negated

_I = re.IGNORECASE


def could_have(s: Sentence, m: re.Match[str]) -> bool:
    start = s.clause_start(m.start())
    end = s.index_at(m.start())
    words = {t[0].lower() for t in s.tokens[start:end]}
    if words & {"anyone", "anybody", "nobody", "everyone", "everybody", "no"}:
        return False  # "anyone could have made this mistake" is exculpatory
    tail = s.text[m.end() : m.end() + 30].lower()
    if re.match(r"\s*(?:had|been able|received|gotten|got|been told|been given)\b", tail):
        return False  # "should have had an alert", "you should have received an email"
    if m.group().lower().startswith("could") and re.match(
        r"\s*(?:known|predicted|foreseen|anticipated|guessed)\b", tail
    ):
        return False  # "nobody could have known"
    nxt = _NEXT_WORD.match(s.text, m.end())
    if not nxt or not _is_participle(nxt.group(1).lower()):
        return False  # "we should have alerting on lag": possession/intent, not hindsight
    if not not_negated(s, m):
        return False  # "... not what they should have done"
    if m.group().lower().startswith("could") and TOOL_CONDITION.search(
        s.text, m.end(), m.end() + 80
    ):
        return False  # "we could have caught this with a synthetic check": about a tool
    return s.subject_is_person(m.start())


TOOL_CONDITION = re.compile(
    r"\b(?:with|if|had|given) (?:a|an|the right|better|more|some|any|there been|we had)\b", _I
)


_NEXT_WORD = re.compile(
    r"\s+(?:(?:just|simply|at least|also|really|probably|easily|then"
    r"|first|never|not|already)\s+)?([A-Za-z][\w'-]*)"
)


_IRREGULAR_PP = _words("""
    been done gone seen known run set put read told caught taught bought brought thought
    fought sought held met paid said sold understood stood spent lost found felt dealt meant
    slept swept lit shut quit let cut hit kept left made taken given written driven ridden
    spoken broken chosen frozen stolen woken forgotten gotten begun drunk rung sung swum
    shown thrown grown drawn blown flown known sent built lent bent spent heard won struck
    hung stuck shot led fed bled fled sat split spread bet burst cast cost hurt shed
    worn torn sworn borne shaken hidden bitten eaten fallen risen sewn sown mown shrunk sunk
    spun swung dug wound ground bound rung slid stung flung wrung sprung strung mistaken
    withdrawn foreseen overseen withheld overridden overrun rerun redone undone misread misled
    laid mislaid forgiven beaten
    """)


def _is_participle(word: str) -> bool:
    word = word.rsplit("-", 1)[-1]  # "re-read", "double-checked"
    return word.endswith("ed") or word in _IRREGULAR_PP


# "... would have caught it, and we are adding that check": a lesson turned into a fix.
FIX_PLANNED = re.compile(
    r"\bwe(?:'re|\u2019re| are| will|'ll| have| now)? (?:add|build|writ|mak|put|introduc|instal)\w*"
    r"|\bso we\b|\bwhich is why\b",
    _I,
)


_HAD_STATE = _words("known been had got gotten seen heard received told given shown")


def inverted_conditional(s: Sentence, m: re.Match[str]) -> bool:
    """'Had anyone on the team picked up the phone, ...': hindsight about a person's act."""
    if m.group("verb").lower() in _HAD_STATE:
        return False
    lo = s.index_at(m.start("np"))
    hi = s.index_at(m.start("verb"))
    return s._first_np_person(lo, hi, loose=True) and not has_condition(s, m)
