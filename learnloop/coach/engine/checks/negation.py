"""Is a cue negated or a label being rejected ("not human error", "rather than
carelessness"), or the name of a metric or a screen ("user error rate")?
"""

from __future__ import annotations

import re

from learnloop.coach.engine.sentence import Sentence

_I = re.IGNORECASE


_NEG_BEFORE = re.compile(
    r"(?:(?<![\w-])not|n't|(?<![\w-])never|(?<![\w-])no|(?<![\w-])nothing|(?<![\w-])nobody|(?<![\w-])no one|(?<![\w-])rather than|(?<![\w-])instead of"
    r"|(?<![\w-])call(?:ing|ed|s)?(?: it| this| that)?|(?<![\w-])label(?:l?ing|l?ed|s)?(?: it)?"
    r"|(?<![\w-])words?|(?<![\w-])terms?|(?<![\w-])phrase|(?<![\w-])avoid(?:ing)?|(?<![\w-])beyond|(?<![\w-])remov(?:e|ed|ing)"
    r"|(?<![\w-])replac(?:e|ed|ing)|(?<![\w-])stop(?:ped)?|(?<![\w-])less|(?<![\w-])isn't|(?<![\w-])wasn't|(?<![\w-])drop(?:ped)?"
    r"|(?<![\w-])banned|(?<![\w-])forbid\w*|(?<![\w-])swap\w*|(?<![\w-])question(?:ing|ed)?"
    r"|(?<![\w-])(?:describ|treat)(?:e|es|ed|ing)(?: it| this| that)? as)"
    r"(?:\s+\w+){0,3}\s*[\"'\u201c\u2018]?\s*$",
    _I,
)


_META_AFTER = re.compile(
    r"[\"'\u201d\u2019]?\s*(?:is not|isn't|was not|wasn't|is never|is rarely|is a symptom"
    r"|is where|is the start|as a (?:root )?cause|label\b|tells us nothing|explains nothing"
    r"|is the wrong (?:finding|label|word|conclusion|name|verdict)"
    r"|(?:\w+ ){0,4}?(?:was|were|is|are|has been|have been) (?:ruled out|excluded|disproven"
    r"|not (?:the|a) (?:cause|factor)))",
    _I,
)


# "user error rate", "operator error messages": the words name a metric or a UI, not a verdict.
_ERROR_NOUN_AFTER = re.compile(
    r"\s*(?:rates?\b|messages?\b|counts?\b|codes?\b|pages?\b|logs?\b|handling|budget"
    r"|-?proof|tolerant|screens?\b|dialogs?\b|states?\b|paths?\b|types?\b)",
    _I,
)


def not_negated(s: Sentence, m: re.Match[str]) -> bool:
    before = s.text[max(0, m.start() - 40) : m.start()]
    if _NEG_BEFORE.search(before):
        return False
    return not _META_AFTER.match(s.text, m.end())


def always(s: Sentence, m: re.Match[str]) -> bool:
    return not_negated(s, m)


def reported_ok(s: Sentence, m: re.Match[str]) -> bool:
    if m.group().lower() == "user errors":
        return False  # errors that users saw ("when user errors became apparent")
    return not_negated(s, m) and not _ERROR_NOUN_AFTER.match(s.text, m.end())
