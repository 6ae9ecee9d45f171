"""Suggestions: a concrete rewording when a simple transformation exists (hindsight becomes
"What made it hard to ...?", judgment words are dropped), else the signal's guiding
question.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from .findings import SUGGESTIONS
from .function_words import PREPS

_I = re.IGNORECASE


_IRREGULAR_BASE = {
    "been": "be",
    "done": "do",
    "gone": "go",
    "seen": "see",
    "known": "know",
    "run": "run",
    "read": "read",
    "told": "tell",
    "caught": "catch",
    "taught": "teach",
    "brought": "bring",
    "thought": "think",
    "held": "hold",
    "met": "meet",
    "paid": "pay",
    "said": "say",
    "sent": "send",
    "left": "leave",
    "made": "make",
    "taken": "take",
    "given": "give",
    "written": "write",
    "spoken": "speak",
    "chosen": "choose",
    "shown": "show",
    "kept": "keep",
    "put": "put",
    "set": "set",
    "found": "find",
    "heard": "hear",
    "built": "build",
    "understood": "understand",
    "stopped": "stop",
    "planned": "plan",
    "logged": "log",
}


_KEEP_E = re.compile(r"(?:[^aeiou][aeiou][cgsvz]|at|ut|ur|ir|or|ar|iz|yz|ag|ng|rg|dg|ls|rs|ns)$")


def _base_form(participle: str) -> str:
    w = participle.lower()
    if w in _IRREGULAR_BASE:
        return _IRREGULAR_BASE[w]
    if "-" in w:
        head, _, tail = w.rpartition("-")
        return f"{head}-{_base_form(tail)}"
    if w.endswith("ied"):
        return w[:-3] + "y"
    if w.endswith("ed"):
        stem = w[:-2]
        if len(stem) > 2 and stem[-1] == stem[-2] and stem[-1] not in "lsz":
            return stem[:-1]
        if _KEEP_E.search(stem) and not stem.endswith(("ck", "ss")):
            return stem + "e"
        return stem
    return w


_HINDSIGHT = re.compile(
    r"^(?P<pre>.*?)\b(?P<subj>(?:[A-Z][\w'-]*|the \w+(?: \w+)?|[Ii]|you|we|he|she|they))\s+"
    r"(?:should|could|ought to|must)(?:n't| not)?\s+(?:have|'ve)\s+(?P<verb>[\w-]+)(?P<rest>.*?)"
    r"[.!?]?\s*$",
    _I,
)


_FAILED = re.compile(
    r"\b(?:failed|neglected|forgot|didn't bother|did not bother|never bothered) to\s+", _I
)


_JUDGMENT_WORDS = re.compile(
    r"\s*\b(?:simply|obviously|clearly|plainly|just|merely|blatantly|frankly|honestly|"
    r"seriously|even|carelessly|lazily|sloppily|recklessly)\b,?",
    _I,
)


_QUOTED_REWORDING = re.compile(r'"([^"]+)"')


def _suggest_candidate(signal: str, sentence: str, span: str, signals: tuple[str, ...] = ()) -> str:
    """A concrete rewording when a simple transformation exists, else a guiding question.

    Rewordings keep the facts (who did what) and drop the judgment, then add the
    question that moves the review toward conditions. They are deliberately
    conservative: when the sentence does not fit a known shape, a question is
    more useful than a clumsy rewrite.
    """
    text = " ".join(sentence.split())
    if signal == "counterfactual":
        m = _HINDSIGHT.match(text)
        if m and m.group("verb").lower() != "been":
            verb = _base_form(m.group("verb"))
            rest = m.group("rest").rstrip()
            return f'Try: "What made it hard to {verb}{rest}?"'

        if "normative" in signals and _JUDGMENT_WORDS.search(text):
            return _suggest_candidate("normative", sentence, span)
        if _FAILED.search(text):
            facts = _FAILED.sub("did not ", text).rstrip(".!? ")
            return f'Try: "{facts}." then ask: what in the process made this step easy to miss?'
        return SUGGESTIONS["counterfactual"]
    if signal == "normative":
        stripped = _JUDGMENT_WORDS.sub("", text).strip()
        if stripped and stripped != text:
            return (
                f'Try without the judgment: "{stripped}" and add what made the situation '
                f"hard at the time."
            )
        return SUGGESTIONS["normative"]
    if signal == "human-error-conclusion":
        return (
            "Replace the verdict with the conditions: what made the action look reasonable "
            "at the time, and what would have caught the slip?"
        )
    if signal == "why-didnt":
        m = re.search(
            r"\bwhy (?:didn't|did not|couldn't) (?:anyone|anybody|you|they|he|she|we|the \w+)"
            r" (\w+)(.*?)\?",
            text,
            _I,
        )
        if m and m.group(1).lower() not in PREPS:
            return f'Try: "What made it hard to {m.group(1).lower()}{m.group(2)} at the time?"'
        return "Ask about the system instead: what in the setup made this easy to miss?"
    return SUGGESTIONS[signal]


def suggestion_for(
    signal: str,
    sentence: str,
    span: str,
    signals: tuple[str, ...] = (),
    *,
    is_flagged: Callable[[str], bool],
) -> str:
    """The suggestion shown with a finding. A quoted rewording is offered only when the coach
    itself would not flag it (``is_flagged``); otherwise the guiding question for the signal is
    shown, so "Use this wording" never produces a fresh hint."""
    suggestion = _suggest_candidate(signal, sentence, span, signals)
    quoted = _QUOTED_REWORDING.search(suggestion)
    if quoted and is_flagged(quoted.group(1)):
        return SUGGESTIONS[signal]
    return suggestion
