"""What people read about a hint: a kind sentence per signal code, and the suggestion split
into a rewording the editor may paste and a question to consider.

Signal codes (``why-didnt``, ``human-error-conclusion``, ...) are for machines: the API, the
JSONL output, the culture metrics. People see :func:`signal_label` instead. Every signal of
the rule table (``engine.findings.SIGNALS``) has a label here; a new signal without one
reads as the neutral :data:`FALLBACK_LABEL` until it gets one (a test checks the table).
"""

from __future__ import annotations

import re

FALLBACK_LABEL = "This wording may read as blame"

LABELS: dict[str, str] = {
    "named-person": "This points at a person rather than at what happened",
    "character": "This describes someone's character rather than the situation",
    "counterfactual": "This is hindsight about what someone should have done",
    "human-error-conclusion": "This stops at “human error”, where the learning starts",
    "normative": "This measures what happened against an ideal",
    "why-didnt": "A “why didn't they” question can sound like an accusation",
    "punitive": "This mentions a sanction, which makes reporting feel risky",
}

_TRY = re.compile(r'^Try: "(?P<words>.+)"$', re.DOTALL)


def signal_label(signal: str) -> str:
    """The kind sentence shown for ``signal``; never the code itself."""
    return LABELS.get(signal, FALLBACK_LABEL)


def _is_question(text: str) -> bool:
    return text.rstrip().rstrip("\"'”’)").endswith("?")


def split_suggestion(sentence: str, suggestion: str) -> tuple[str, str]:
    """``(rewording, question)`` for a finding whose sentence is ``sentence``.

    ``rewording`` is the text "Use this wording" may put in place of the sentence: only a
    rewording of the same kind (a statement for a statement, a question for a question).
    A statement is never replaced with a question: such a suggestion comes back as
    ``question``, a question to consider next to the statement. Anything else (advice that
    is not a quoted rewording) gives ``("", "")`` and is shown as it is.
    """
    m = _TRY.match(suggestion or "")
    if not m:
        return "", ""
    words = m.group("words").strip()
    if _is_question(words) and not _is_question(sentence):
        return "", words
    return words, ""
