"""Sanctions: aimed at specific people (retraining a whole role is a system change), a named
person losing a duty for good, linked to the incident.
"""

from __future__ import annotations

import re

from learnloop.coach.engine.person_words import is_role, strip_poss
from learnloop.coach.engine.sentence import Sentence
from learnloop.coach.lexicon import INDEFINITE, PRONOUNS

_I = re.IGNORECASE


def specific(s: Sentence, m: re.Match[str]) -> bool:
    """Sanctions target specific people; retraining a whole role is a system change."""
    if not re.search(r"retrain|re-train|training", m.group(), _I):
        return True
    if re.search(
        r"\bas a (?:consequence|result|punishment|sanction)\b|\bfor (?:his|her|their"
        r"|the) (?:mistake|error|miss|slip)",
        s.text,
        _I,
    ):
        return True
    start = s.clause_start(m.start())
    prefix = s.text[s.tokens[start][1] if start < len(s.tokens) else 0 : m.start()]
    return not _GENERIC_SUBJECT.match(prefix)


_GENERIC_SUBJECT = re.compile(
    r"^\W*(?:all |our |new |every |most |many |some )?(?:[a-z-]+ ){0,2}?[a-z-]+s\b",
    _I,
)


INCIDENT_LINK = re.compile(
    r"\b(?:after|following|over|because of) (?:the|this|that|his|her|their|last|yesterday's"
    r"|what)\b",
    _I,
)


PRONOUNS_AND_INDEFINITE = PRONOUNS | INDEFINITE


# What makes a named person's lost duty standing: for good, from now on, after what they did.
_FOR_GOOD = re.compile(
    r"\b(?:again|anymore|any more|for good|ever again|end of (?:discussion|story)|that is final"
    r"|after (?:the|what|that|this|his|her|their)|not after)\b",
    _I,
)


# Relief, ability and plans are not sanctions: "no longer needs to sign twice", "can't log in".
_NOT_A_SANCTION = re.compile(
    r"^\s*(?:\w+\s+)?(?:need|needs|have to|has to|got to|able|be able|remember|know|find"
    r"|see|log in|access|reach|make it|attend|come|afford|wait|stop|help|believe|understand"
    r"|be reached|work today|here)\b|\buntil\b(?!\s+(?:he|she|they)\s+(?:can|learns?|proves?"
    r"|shows?))|\b(?:because|since"
    r"|due to|on leave|off sick|holiday|retire\w*|moved|promoted)\b",
    _I,
)


def named_sanction(s: Sentence, m: re.Match[str]) -> bool:
    """A named person (not a role: a rule for every buyer is a policy) loses a duty for good
    (round 18): "Sven isn't booking guests anymore", "Luis no longer gets a key"."""
    i = s.index_at(m.start("who"))
    if i >= len(s.tokens) or not s.person[i] or is_role(strip_poss(s.tokens[i][0])[0]):
        return False
    w = strip_poss(s.tokens[i][0])[0]
    if w in PRONOUNS_AND_INDEFINITE:
        return False
    rest = m.group("rest")
    if _NOT_A_SANCTION.search(rest):
        return False
    if "no longer" in m.group().lower() or ", not" in m.group():
        return True
    return bool(_FOR_GOOD.search(rest))
