"""Questions that blame: rhetorical "who does that?", "why didn't <person> ...?", a
rhetorical tail ("— seriously, how?"), asking for a name.
"""

from __future__ import annotations

import re

from learnloop.coach.engine.person_words import strip_poss
from learnloop.coach.engine.sentence import Sentence
from learnloop.coach.lexicon import SYSTEM_NOUNS
from learnloop.coach.occupations import DEVICE_CONTEXT, device

_I = re.IGNORECASE


def question(s: Sentence, m: re.Match[str]) -> bool:
    return "?" in s.text[m.start() :] and s.has_person()


def question_next_person(s: Sentence, m: re.Match[str]) -> bool:
    if re.match(r"\s+(?:we|i|us)\s+(?!have\b)", s.text[m.end() :], _I):
        return False  # "how could we make the screen clearer?" is constructive
    return "?" in s.text[m.start() :] and s.next_np_person(m.end())


def why_omission(s: Sentence, m: re.Match[str]) -> bool:
    if not s.next_np_person(m.end()):
        return False
    return bool(_OMISSION_WORDS.search(s.text, m.end()))


# A generic "who <verb>s ...?" is rhetorical when the question spells out an unreasonable
# circumstance: acting before the check, for a whole weekend, on the strength of one email.
_UNREASONABLE = re.compile(
    r"\bbefore (?:checking|verifying|confirming|reading|asking|testing|looking|telling|scanning"
    r"|counting|calling)\b|\bfor (?:a|an) (?:whole|entire|full)\b|\bon the (?:same \w+"
    r"|strength of)\b|\bwith (?:another|someone else's|somebody else's|the wrong)\b"
    r"|\b(?:a|one) single\b|\bin the middle of\b",
    _I,
)


def rhetorical_who(s: Sentence, m: re.Match[str]) -> bool:
    """'Who does that?' / 'Who schedules X for Black Friday?' vs 'Who approved the date?'.

    A generic present tense ("who approves ...") or a modal is rhetorical; a plain past
    tense asks for a fact unless the question carries a judgment ("without", "that?").
    """
    if "?" not in s.text[m.start() :]:
        return False
    verb = m.group("verb").lower()
    if verb in ("does", "would", "even", "thinks") or verb.startswith("in "):
        return True
    if verb in ("gets", "owns", "knows", "needs", "has", "is", "was", "decides"):
        return bool(re.search(r"\bwithout\b|\b(?:that|this)\s*\?", s.text[m.end() :], _I))
    return bool(
        re.search(r"\bwithout\b|\b(?:that|this)\s*\?|\beven\b|\bon earth\b", s.text[m.end() :], _I)
        or (verb.endswith("s") and _UNREASONABLE.search(s.text, m.end()) is not None)
        or (verb.endswith("s") and GENERIC_OBJECT.match(s.text, m.end()) is not None)
    )


# Round 16 (decision 0237): a generic act on an indefinite object ("Who leaves a gate open
# next to the main road ...?", "Which mover carries a glass table on his own ...?") asks
# who would ever do such a thing; a question about a routine names its object ("Who orders
# the ice for the buffets?", "Which upholsterer does the buttoned backs?"). Possession,
# need, approval and sign-off are how processes are asked about ("Who approves a refund
# over 500?") and stay factual.
GENERIC_OBJECT = re.compile(
    r"(?<!\bhas)(?<!\bneeds)(?<!\bwants)(?<!\bknows)(?<!\bowns)(?<!\buses)(?<!\bgets)"
    r"(?<!\bapproves)(?<!\bsigns)(?<!\bauthorises)(?<!\bauthorizes)(?<!\bdecides)"
    r"(?<!\bis)(?<!\bdoes)(?<!\bhandles)(?<!\bcovers)"
    r"(?: (?:up|down|off|out|in|on))? (?:a|an|another|two|three|four|five|six|seven|eight|nine"
    r"|ten|twelve|twenty|thirty|forty|fifty|hundred|\d[\d,.]*)\b[^?]*\?\s*$",
    _I,
)


def generic_which(s: Sentence, m: re.Match[str]) -> bool:
    """'Which <person> <verb>s a/an/<number> ...?' (round 16): the rhetorical who with a role."""
    return (
        s.person[s.index_at(m.start("who"))] and GENERIC_OBJECT.match(s.text, m.end()) is not None
    )


def negative_question_act(s: Sentence, m: re.Match[str]) -> bool:
    """'Why didn't <subject> <person's act> ...?' (round 18): the subject is not equipment,
    software or a system noun, and not us ("why didn't we ...?" is a team asking itself)."""
    if "?" not in s.text[m.end() :]:
        return False
    words = [strip_poss(w.lower())[0] for w in re.findall(r"[\w'-]+", m.group("np"))]
    if not words or words[0] in ("we", "i", "it", "this", "that", "there", "they"):
        return False
    head = words[-1]
    if head in SYSTEM_NOUNS or device(head) or head in ("it", "this", "that"):
        return False
    return not DEVICE_CONTEXT.search(s.text)


def rhetoric_tail(s: Sentence, m: re.Match[str]) -> bool:
    return s.has_person(0, s.index_at(m.start()))


def ask_name(s: Sentence, m: re.Match[str]) -> bool:
    return bool(re.search(r"\bwhy\b|\bwho\b", s.text[: m.start()], _I)) and s.next_np_person(
        m.end()
    )


def thanks_sarcasm(s: Sentence, m: re.Match[str]) -> bool:
    return s.next_np_person(m.start() + len("thanks to"))


RHETORIC_TAIL = re.compile(
    r"[\u2014\u2013,-]\s*(?:seriously,?\s*)?(?:how|why(?: not)?|really)\s*\?\s*\W*$", _I
)


_OMISSION_WORDS = re.compile(
    r"\b(?:skip\w*|ignor\w*|miss\w*|forg[eo]t\w*|overlook\w*|bypass\w*|leave out|left out"
    r"|not|never|even|really|seriously|without)\b",
    _I,
)
