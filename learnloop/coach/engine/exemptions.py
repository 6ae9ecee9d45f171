"""Exemptions: what blameless writing legitimately contains takes signals off a sentence's
hits: a reported first-person account ("she said she assumed ..."), someone else's claim,
an action item.
"""

from __future__ import annotations

import re

from .function_words import ADVERBS
from .sentence import Sentence

_I = re.IGNORECASE

# A rule that fired: its signals and the span of its match in the sentence.
Hit = tuple[tuple[str, ...], int, int]


_REPORTED = re.compile(
    r"\b(?:said|says|explained|explains|told (?:us|me|them|the \w+)|recalled|recalls"
    r"|described|describes|admitted|admits|mentioned|wrote|writes|remembered|remembers)\b"
    r"|\bin (?:his|her|their|my) own words\b"
    r"|\b(?:write-?up|notes|account|statement|recollection|interview)\s+(?:says|say|said"
    r"|notes|describes|calls|shows)\b|\bby (?:his|her|their) (?:own )?account\b"
    r"|\baccording to (?:him|her|them|[A-Z][a-z]+\b)",
    _I,
)


_REPORT_FIXED = re.compile(
    r"\bin (?:his|her|their|my) own words\b|\bby (?:his|her|their) (?:own )?account\b"
    r"|\baccording to\b|\b(?:write-?up|notes|account|statement|recollection|interview)\s",
    _I,
)


# Someone else's claim ("the complaint says our agent was careless"): a report, not a verdict.
_CLAIM = re.compile(
    r"\b(?:complaint|review|email|letter|tweet|post|survey comment|feedback)s? (?:says|said"
    r"|claims|claimed|called|calls)\b|\b(?:claimed|alleged|alleges|accused)\b",
    _I,
)


def _is_reported(s: Sentence, raw: str) -> bool:
    """A reported or quoted account: the reporting verb has a person as its subject."""
    if _ATTRIBUTED.search(raw):
        return True
    for m in _REPORTED.finditer(raw):
        if _REPORT_FIXED.search(m.group()):
            if not re.match(
                r"(?:write-?up|notes|account|statement|recollection|interview)\s", m.group(), _I
            ):
                return True
            # "Priti's write-up says", "her statement notes" (not "the account notes").
            before = raw[max(0, m.start() - 40) : m.start()]
            if re.search(
                r"(?:'s|\u2019s|\b(?:his|her|their|my|our|your))\s+(?:[\w-]+\s+)?$", before, _I
            ):
                return True
            continue
        i = s.index_at(m.start()) - 1
        while i >= 0 and s.tokens[i][0].lower() in ADVERBS:
            i -= 1
        if i >= 0 and s.person[i]:
            return True  # "Dario said ...", "she wrote ...", "I told them ..."
        if re.match(r"\s*(?:that\b|,|:|\u201c|\")", raw[m.end() :]):
            return True
    return False


_ATTRIBUTED = re.compile(r"[\u2014\u2013]\s*[A-Z][\w .'-]{0,40}$")


_ACTION = re.compile(
    r"^\W*(?:action(?: items?)?|follow[- ]?ups?|todo|to do|next steps?|recommendations?"
    r"|proposal|proposed|fix|remediation)\s*\**\s*:|^\s*\[ \]|\bwe (?:will|'ll|plan to"
    r"|are going to|intend to)\b",
    _I,
)


# Round 14 (decision 0229): a blame label named in order to set it aside is an argument against
# blame, not a verdict: "Putting this down to carelessness would ignore that ...", "Calling it
# driver error would hide ...", "Operator error was the first explanation, but ...", "The first
# draft blamed operator inattention; the review replaced that ...", "The report says human
# error; the review found ...". Ownership of a follow-up ("Accountability for the new form sits
# with Ruth, who will trial it") and praise for a loss avoided ("without losing a single
# sample") are not verdicts either.
_SET_ASIDE = re.compile(
    r"^\W*(?:calling|putting|writing|chalking|filing|labell?ing|pinning|recording|treating"
    r"|logging|leaving|saying|blaming)\b[^.;?!]{0,90}?\bwould\s+(?:only\s+|just\s+)?(?:hide|ignore|skip|leave out|miss"
    r"|overlook|bury|obscure|mask|paper over|gloss over|sidestep|dodge)\b"
    r"|\b(?:was|is|had been)\s+(?:the|our)\s+(?:first|initial|early|easy|obvious|original"
    r"|quick|old)\s+(?:explanation|label|answer|verdict|reading|conclusion|theory|story)\b"
    r"[^.;?!]{0,80}?(?:,\s*|\s)but\b"
    r"|\bis\s+the\s+label\s+on\s+the\s+\w+[^.;?!]{0,20}?,\s*but\b"
    r"|^\W*the\s+(?:first|initial|original|earlier|old)\s+(?:draft|version|report|write-?up"
    r"|explanation|ticket)\s+(?:blamed|said|says|called|put)\b[^.?!]{0,80}?(?:;|,\s*but)"
    r"\s*the\s+(?:review|investigation|analysis|team|timeline)\b"
    r"|^\W*the\s+(?:report|ticket|form|incident log)\s+says\b[^.?!]{0,40}?;\s*the\s+"
    r"(?:review|investigation|analysis)\s+(?:found|showed|replaced)\b"
    r"|\b(?:accountability|ownership|responsibility)\s+for\s+(?:the\s+|a\s+)?(?:new|next"
    r"|revised|updated|follow-up)\b[^.;?!]{0,60}?\b(?:sits|rests|lies|stays)\s+with\b"
    r"|\bwithout\s+(?:losing|dropping|breaking|spilling|damaging|scratching|missing|injuring"
    r"|hurting|wasting)\s+(?:a\s+single|one\s+single|a\s+drop|a\s+beat)\b"
    # Round 18 (decision 0249): the same argument in other tenses and frames. "Saying the
    # groomer forgot the note misses that ...", "Writing the apprentice off as sloppy skips the
    # fact ...", "It is tempting to call this human error, but ...", "Before anyone blames
    # Jordan: ...", "We are not writing this up as human error; ...".
    r"|^\W*(?:saying|calling|writing|putting|blaming|labell?ing|chalking|treating|pinning"
    r"|filing|recording|logging)\b[^.;?!]{0,90}?\b(?:misses|skips|ignores|hides|overlooks"
    r"|leaves out|buries|obscures|glosses over|papers over)\b"
    r"|\b(?:it is|it's|it\u2019s|it was|it would be)\s+(?:\w+\s+)?tempting\s+to\s+(?:say|call"
    r"|blame|pin|put|write|label|chalk|treat|file)\b[^.;?!]{0,120}?(?:,\s*|\s)but\b"
    r"|^\W*before\s+(?:anyone|anybody|we|you|someone)\s+(?:blames?|points?|calls?|pins?)\b"
    r"|\b(?:not|never)\s+(?:writing|treating|calling|recording|logging|filing|putting)"
    r"\s+(?:this|it|that)(?:\s+(?:up|down|off))?\s+(?:as|down\s+to)\b",
    _I,
)


def sets_blame_aside(raw: str) -> bool:
    """A label named to be set aside, ownership of a follow-up, praise for a loss avoided."""
    return bool(_SET_ASIDE.search(raw))


# Signals a reported first-person account suppresses (it is what the person told us).
_REPORT_SUPPRESS = frozenset(
    {"counterfactual", "normative", "human-error-conclusion", "named-person", "why-didnt"}
)


def exempt(s: Sentence, raw: str, hits: list[Hit]) -> list[Hit]:
    """The hits without the signals an exemption removes (a hit left with none is dropped):
    a reported first-person account, someone else's claim, an action item."""
    if _SET_ASIDE.search(raw):
        return []
    reported = _is_reported(s, raw)
    claim = bool(_CLAIM.search(raw))
    action = bool(_ACTION.search(raw))
    kept = []
    for signals, a, b in hits:
        sig = signals
        if reported:
            sig = tuple(x for x in sig if x not in _REPORT_SUPPRESS)
        if claim:
            sig = tuple(x for x in sig if x != "character")
        if action:
            sig = tuple(x for x in sig if x != "counterfactual")
        if sig:
            kept.append((sig, a, b))
    return kept
