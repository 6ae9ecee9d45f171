"""Omissions ("failed to", "didn't", "without", "nobody checked"): the person's own, and
not told together with the condition that produced them ("... because the form had no
field"); design intent ("should be able to ... without") is not an omission.
"""

from __future__ import annotations

import re

from learnloop.coach.engine.function_words import AUX
from learnloop.coach.engine.sentence import Sentence
from learnloop.coach.lexicon import STATE_VERBS
from learnloop.coach.lexicon import words as _words

from .people import has_actor
from .questions import RHETORIC_TAIL

_I = re.IGNORECASE


COND_AFTER = re.compile(
    # "as soon as we cleared the breakwater" tells when, not why (round 18, decision 0249)
    r"\b(?:because|since|(?<!\bsoon )as (?:it|the|there|they|he|she|we|nobody|no one)|due to|given that"
    r"|while (?:the|it)|until (?:the|it)|following (?:the|our)|per the|as (?:instructed"
    r"|trained|documented|the runbook|the policy)|but (?:the|there|it|no one|nobody)"
    r"|which (?:the|our|its) \w+ (?:\w+ )?(?:offers|allows|suggests|shows|defaults|permits))\b",
    _I,
)


_COND_BEFORE = re.compile(
    r"(?:\bso\b|\btherefore\b|\bhence\b|\bwhich meant\b|\bas a result\b|\bthat is why\b"
    r"|\bwhich is why\b)",
    _I,
)


_COND_ANY = re.compile(
    r"\b(?:no one had|nobody had|had no|has no|there was no|there were no|was no|were no"
    r"|(?:wasn't|weren't|was not|were not|had not been|hadn't been|never been) "
    r"(?:told|shown|trained|given|asked|informed|warned)|no one (?:told|showed)"
    r"|nobody (?:told|showed)|without (?:access|guidance|training|a way|any way|a prompt)"
    r"|couldn't (?:see|know|tell)|could not (?:see|know|tell)|did not have|didn't have"
    r"|the (?:form|tool|screen|system|template|checklist|runbook|ui|page) (?:had|has|did|does|"
    r"didn't|doesn't|showed|shows|was|is))\b",
    _I,
)


_BECAUSE = re.compile(r"\b(?:because|since|due to)\b", _I)


def has_condition(s: Sentence, m: re.Match[str]) -> bool:
    """Omission given together with the condition that produced it (blameless)."""
    before = s.text[: m.start()]
    if _BECAUSE.search(before):
        # The omission *is* the explanation ("... because the team failed to run it").
        return False
    if COND_AFTER.search(s.text, m.end()):
        return True
    if _COND_BEFORE.search(before):
        return True
    return bool(_COND_ANY.search(s.text))


# Round 18 (decision 0249): "Nobody forgot the purge; the flow meter read high" denies the
# omission: the negative pronoun is the subject of the cue itself, not of a rhetorical "nobody
# checked" (``nobody_did``, which needs a minimiser or a question).
_DENIAL_SUBJECT = re.compile(r"\b(?:nobody|no one|no-one|none of (?:us|them))\s+(?:here\s+)?$", _I)


def omission(s: Sentence, m: re.Match[str]) -> bool:
    if _DENIAL_SUBJECT.search(s.text, max(0, m.start() - 30), m.start()):
        return False
    return s.subject_is_person(m.start()) and not has_condition(s, m)


def didnt_action(s: Sentence, m: re.Match[str]) -> bool:
    verb = m.group("verb").lower()
    if verb in STATE_VERBS or verb in AUX or verb == "been":
        return False
    i = s.index_at(m.start())
    if i > 0 and s.tokens[i - 1][0].lower() in _PERFECT_OR_PASSIVE:
        return False  # "had never worked with", "were never told": experience / recipient
    if verb in _PERCEIVE and _subject_word(s, m.start()) in _AFFECTED_OR_WE:
        return False
    return omission(s, m)


def _subject_word(s: Sentence, pos: int) -> str:
    """The last word before the clause's verb group at ``pos`` (skipping adverbs)."""
    i = s.index_at(pos) - 1
    while i >= 0 and s.tokens[i][0].lower() in ("also", "simply", "just", "still", "never"):
        i -= 1
    return s.tokens[i][0].lower() if i >= 0 else ""


_PERFECT_OR_PASSIVE = _words("had has have was were is are be been being")


INTENT = re.compile(
    r"\b(?:should|must|can(?!'t|not)|could(?!n't)|will|would(?!n't)|need to|needs to|has to"
    r"|have to|able to|so that"
    r"|in order to|lets?|allows?)\b",
    _I,
)


# Perceiving is not an act a person omits: "most customers did not notice", "we did not spot
# this in testing" (detection, told together with the blind spot), "without realising".
_PERCEIVE = _words(
    "notice noticed noticing spot spotted spotting detect detected detecting realise realised "
    "realising realize realized realizing see seeing know knowing"
)


_AFFECTED_OR_WE = _words("we customers users clients members visitors people patients callers")


def without(s: Sentence, m: re.Match[str]) -> bool:
    last = s.index_at(m.end()) - 1
    if last >= 0 and s.tokens[last][0].lower() in _PERCEIVE:
        return False
    start = s.clause_start(m.start())
    if INTENT.search(s.text, s.tokens[start][1] if start < len(s.tokens) else 0, m.start()):
        return False  # design intent / ability: "operators should be able to stop ... without"
    end = s.index_at(m.start())
    if not has_actor(s, 0, end):
        # A person anywhere before the cue: "the pull request Amir merged without telling".
        return False
    return not has_condition(s, m)


def nobody_did(s: Sentence, m: re.Match[str]) -> bool:
    if has_condition(s, m):
        return False
    # Bare "nobody did X" is blame only with a minimiser/ease cue or a rhetorical frame.
    if re.search(r"\b(?:even|bothered|once)\b", m.group(), _I):
        return True
    return bool(EASE.search(s.text)) or "?" in s.text or bool(RHETORIC_TAIL.search(s.text))


EASE = re.compile(
    r"\btakes? (?:only |just |all of )?(?:half a minute|a minute|a second|seconds|\w+ seconds"
    r"|two minutes|five minutes|a moment)\b|\bstep one\b|\bthe first step\b|\bone click\b"
    r"|\btrivial(?:ly)?\b|\bthe easiest\b|\bliterally\b",
    _I,
)
