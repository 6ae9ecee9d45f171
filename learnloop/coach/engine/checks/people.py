"""Who a cue is about: a person who acts (not the customers it happened to), the clause's
subject, the next noun phrase, one named person or a singular role, a possessor, a person in
the sentence before; a role word that is a person here ("<role> error").
"""

from __future__ import annotations

import re

from learnloop.coach.engine.function_words import DETS, PREPS
from learnloop.coach.engine.person_words import MACHINE_CONTEXT, TITLES, is_role, strip_poss
from learnloop.coach.engine.sentence import Sentence
from learnloop.coach.lexicon import ROLES
from learnloop.coach.lexicon import words as _words
from learnloop.coach.occupations import DEVICE_CONTEXT, new_role

from .negation import not_negated, reported_ok

_I = re.IGNORECASE


# The people an incident happens to, not the people who act in it.
AFFECTED = _words(
    "customers users clients members visitors people patients callers public"
    " customer user client visitor patient caller"
)


def has_actor(s: Sentence, lo: int = 0, hi: int | None = None) -> bool:
    """A person in tokens ``lo:hi`` other than the affected ("customers reported ...")."""
    hi = len(s.tokens) if hi is None else hi
    return any(s.person[k] and strip_poss(s.tokens[k][0])[0] not in AFFECTED for k in range(lo, hi))


def person_in_sentence(s: Sentence, m: re.Match[str]) -> bool:
    return s.has_person() and not_negated(s, m)


def subject(s: Sentence, m: re.Match[str]) -> bool:
    return s.subject_is_person(m.start())


def np_person_then_end(s: Sentence, pos: int) -> bool:
    """A person noun phrase starts at ``pos`` and ends the clause ("... is on the night team.")."""
    i = s.index_at(pos)
    toks = s.tokens
    while i < len(toks) and toks[i][0].lower() in DETS:
        i += 1
    for _ in range(2):  # modifiers before the head: "accounts payable", "night shift"
        if i + 1 < len(toks) and not s.person[i] and toks[i][0].lower() not in PREPS:
            if s.text[toks[i][2] : toks[i + 1][1]].strip():
                return False  # "was on three HVDC links (Mundra, ...)": not one noun phrase
            i += 1
    if i >= len(toks) or not s.person[i]:
        return False
    while i + 1 < len(toks) and s.person[i + 1]:
        i += 1
    if strip_poss(toks[i][0])[1]:
        return False
    rest = s.text[toks[i][2] :].lstrip()
    return not rest or rest[0] in ".,;:!?\u2014\u2013-)"


# "the maintainer's account being compromised": the person is the victim, not the cause.
_VICTIM = re.compile(r"\b(?:compromised|stolen|hacked|phished|hijacked|impersonated)\b", _I)


def next_person(s: Sentence, m: re.Match[str]) -> bool:
    return s.next_np_person(m.end()) and not_negated(s, m) and not _VICTIM.search(s.text, m.end())


def subject_or_next(s: Sentence, m: re.Match[str]) -> bool:
    return s.subject_is_person(m.start())


def role_error(s: Sentence, m: re.Match[str]) -> bool:
    """'<person noun> error' (round 18): the noun is a person by the role list or its form
    ("fitter", "groomer", "forecaster", "cellar hand"), not a modifier of something else."""
    i = s.index_at(m.start("who"))
    if i >= len(s.tokens) or not _strong_role(s.tokens[i][0], s.text):
        return False
    if s.tokens[i][0][:1].isupper() and not s._opens(i):
        return False  # "Internal Server Errors": a message's or a product's name
    return reported_ok(s, m)


def _strong_role(word: str, text: str) -> bool:
    """A role by the list or its form; a weak -er/-or noun ("groomer", "forecaster") only in a
    sentence not about machines ("a transfer error in the nightly job")."""
    w = strip_poss(word)[0]
    kind = new_role(w)
    if is_role(w) or kind == 1:
        return True
    return kind == 2 and not (DEVICE_CONTEXT.search(text) or MACHINE_CONTEXT.search(text))


FOLLOW_UP = re.compile(
    r"\b(?:follow[- ]?ups?|action items?|actions?|fix|remediation|owner|ownership|owning"
    r"|next steps?|rollout|migration plan)\b",
    _I,
)


_SINGLE_SUBJECT = re.compile(
    r"^\W*(?:[A-Z][\w'-]+\.?(?: [A-Z][\w'-]+)?|(?:[Tt]he|[Oo]ur|[Tt]hat|[Tt]his) (?:[\w-]+ )?"
    r"[\w-]*[^s\W])\s",
)


def specific_subject(s: Sentence, m: re.Match[str]) -> bool:
    """A named person or one singular role is the subject (not "agents", not "we")."""
    start = s.clause_start(m.start())
    a = s.tokens[start][1] if start < len(s.tokens) else 0
    prefix = s.text[a : m.start()]
    if re.match(r"\W*(?:we|i|you|they|everyone|all)\b", prefix, _I):
        return False
    if not _SINGLE_SUBJECT.match(prefix):
        return False
    if s.subject_is_person(m.start()):
        return True
    # The sentence's subject is a role ("the payroll clerk keyed ... instead of ...") or a
    # title + name; a capitalised common noun ("Month-end close took ...") is not enough.
    i = start
    end = s.index_at(m.start())
    while i < end and s.tokens[i][0].lower() in DETS:
        i += 1
    for k in range(i, min(i + 3, end)):
        if not s.person[k]:
            continue
        w = strip_poss(s.tokens[k][0])[0]
        titled = k > 0 and s.tokens[k - 1][0].lower() in TITLES
        if is_role(w) or w in s.names or titled:
            return s._first_np_person(start, end, True)
    return False


BAD_OBJECT = re.compile(
    r"\b(?:fraud\w*|wrong|bad|broken|duplicate[ds]?|faulty|incorrect|bogus|failed|failing"
    r"|rejected|bounced|bogus|mis\w+)\b",
    _I,
)


def plural_role_subject(s: Sentence) -> bool:
    """'Agents won't see ...': a whole role (a policy), not one person (a sanction)."""
    if not s.tokens:
        return False
    w = s.tokens[0][0].lower()
    return w.endswith("s") and w not in ROLES and is_role(w)


def possessor_named(s: Sentence, m: re.Match[str]) -> bool:
    """The possessor is a name or a personal pronoun, not a role ("the vendor's licence")."""
    i = s.index_at(m.start()) - 1
    if i < 0:
        return False
    w, poss = strip_poss(s.tokens[i][0])
    if w in ("his", "her", "their"):
        return True
    if not poss or not s.person[i] or is_role(w):
        return False
    return s.tokens[i][0][:1].isupper()


_PERSON_PREV = re.compile(r"\b(?:he|she|they|his|her|their|someone|somebody)\b", _I)


def prev_person(s: Sentence) -> bool:
    prev = s.prev_text
    return bool(prev and _PERSON_PREV.search(prev))
