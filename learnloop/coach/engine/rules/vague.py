"""Vague learnings (issue 11): a learning that names no system, condition or change, so that
nobody can act on it ("Test more.", "Communicate better.", "Be more careful.").

Vagueness is not blame, so these rules are not in ``RULES`` (the blame table that the blame
eval scores): :func:`vague_learning` reads them, for learnings only. The exhortations aimed
at people ("be more careful", "try harder") are blameful in spirit too, so ``EXHORTATION`` is
also a normative rule (``normative.py``, round 9).

A learning is vague when every sentence of it is, after a leading bullet, a "Lesson:" label
and a "we need to" / "everyone should" frame are set aside, one of the shapes below with at
most a short tail such as "next time" or "in future". Anything more specific passes: "Test
the failover path before each release" names what to test.
"""

from __future__ import annotations

import re

_I = re.IGNORECASE

#: People asked to try harder (also a normative blame rule).
EXHORTATION = (
    r"^\W*(?:(?:so|and|lesson|learning|takeaway)\W+)?"
    r"(?:(?:we|everyone|everybody|staff|people|the team|the \w+ team|the \w+s|you|they|i"
    r"|all of us|each of us)\s+(?:all\s+)?(?:need to|needs to|should|must|have to|has to"
    r"|ought to|will|are going to|just need to)\s+)?(?:just\s+)?"
    r"(?:be (?:more |extra |much more )?(?:careful|vigilant|attentive|diligent)"
    r"|try (?:much )?harder|pay (?:more|closer|better) attention|take (?:more|extra) care)\b"
)

_FRAME = re.compile(
    r"^\W*(?:(?:lesson|learning|takeaway|learned|learnt)s?\s*(?:learned|learnt)?\s*[:\-–—]\s*)?"
    r"(?:(?:so|and)\s+)?"
    r"(?:(?:we|everyone|everybody|staff|people|the team|the \w+ team|you|they|i|all of us"
    r"|each of us)\s+(?:all\s+)?(?:need to|needs to|should|must|have to|has to|ought to|will"
    r"|are going to|could|can|just need to)\s+)?(?:just\s+)?",
    _I,
)
_TAIL = (
    r"(?:\s+(?:in (?:the )?future|next time|going forward|from now on|in general|overall"
    r"|everywhere|always|again|as a team|with (?:everything|changes|deploys|releases)"
    r"|(?:before|when) (?:deploying|releasing|shipping|changing things)))?"
)
_TOPICS = r"(?:testing|tests|monitoring|communication|documentation|planning|alerting|process(?:es)?|checks|reviews|training|coordination|oversight|quality)"
#: (question kind, whole-sentence shape after the frame).
VAGUE: list[tuple[str, re.Pattern[str]]] = [
    (
        "care",
        re.compile(
            r"(?:be (?:more |extra |much more )?(?:careful|vigilant|attentive|diligent|thorough"
            r"|aware|mindful|cautious)|try (?:much )?harder|work harder|do better|pay (?:more"
            r"|closer|better) attention|take (?:more|extra) care|double[- ]check (?:everything"
            r"|more|things)|check (?:more|everything|things) (?:carefully|more carefully)"
            r"|be more proactive|not let (?:this|it) happen again|avoid (?:this|it|mistakes)"
            r"(?: happening)? again|make sure (?:this|it) (?:does not|doesn't|won't|never)"
            r" happen(?:s)? again)" + _TAIL,
            _I,
        ),
    ),
    (
        "test",
        re.compile(
            r"(?:test (?:more|better|everything|harder|more thoroughly|properly|thoroughly)"
            r"|more (?:testing|tests)(?: (?:is |are )?(?:needed|required))?"
            r"|better testing|(?:improve|increase) (?:our )?testing)" + _TAIL,
            _I,
        ),
    ),
    (
        "communicate",
        re.compile(
            r"(?:communicate (?:more|better|earlier|clearly|more clearly)"
            r"|(?:more|better|clearer) communication(?: (?:is |was )?(?:needed|required))?"
            r"|improve (?:our )?communication|talk (?:more|to each other more))" + _TAIL,
            _I,
        ),
    ),
    (
        "general",
        re.compile(
            r"(?:(?:improve|increase|add) (?:our )?(?:more )?"
            + _TOPICS
            + r"|more "
            + _TOPICS
            + r"(?: (?:is |are )?(?:needed|required))?"
            r"|better " + _TOPICS + r"|(?:follow|stick to) (?:the )?(?:process|procedures?"
            r"|rules|runbook)(?: better| more closely)?|plan better|monitor (?:more|better)"
            r"|be more (?:organised|organized|prepared|structured)|learn from (?:this|it|our"
            r" mistakes))" + _TAIL,
            _I,
        ),
    ),
]

#: The question each kind of vague learning is answered with: a kind sentence that asks for
#: the system, condition or change, never for more effort.
QUESTIONS = {
    "care": "Asking people to be more careful rarely changes what happens next. What would "
    "make the safe way the easy way here: a check, a default, a clearer signal?",
    "test": "Which test, of what, would have shown this before it reached people?",
    "communicate": "Who needed which information, when, and through which channel?",
    "general": "Name the system, condition or practice that will change, so that someone "
    "can act on it.",
}

_SENTENCES = re.compile(r"[^.!?\n]+[.!?]*")


def vague_learning(text: str) -> str | None:
    """The question to ask when every sentence of the learning ``text`` is vague (see the
    module docstring), else None. An empty text is not vague (it is missing)."""
    sentences = [m.group(0).strip(" \t.!?;") for m in _SENTENCES.finditer(text or "")]
    sentences = [s for s in sentences if s.strip(" -*•")]
    if not sentences:
        return None
    kinds = []
    for sentence in sentences:
        core = _FRAME.sub("", sentence, count=1).strip()
        kind = next((k for k, p in VAGUE if p.fullmatch(core)), None)
        if kind is None:
            return None
        kinds.append(kind)
    return QUESTIONS[kinds[0]]
