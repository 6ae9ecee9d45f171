"""The verdict on one sentence: which rules fire, what the exemptions leave of them, the
primary signal and the span to underline."""

from __future__ import annotations

from learnloop.coach.lexicon import INDEFINITE, PRONOUNS, SUBJECT_PRONOUNS

from .exemptions import Hit, exempt
from .findings import PRIORITY, SIGNALS
from .function_words import DETS
from .gate import rules_for
from .person_words import strip_poss
from .rules import RULES
from .sentence import Sentence

Verdict = tuple[tuple[str, ...], int, int, str]

_MAX_MATCHES_PER_RULE = 6


def judge_sentence(
    raw: str,
    names: frozenset[str],
    prev_text: str,
    present: set[str] | None,
) -> Verdict | None:
    """(signals in canonical order, span start, span end, primary signal) for a blameful
    sentence, else None. ``raw`` is the sentence with quotes masked; ``present`` are the gate
    keys found in it (None: try every rule)."""
    rules = RULES if present is None else rules_for(present)
    sent: Sentence | None = None
    hits: list[Hit] = []
    for signals, pattern, check, _keys in rules:
        for tried, m in enumerate(pattern.finditer(raw)):
            if tried >= _MAX_MATCHES_PER_RULE:
                break  # bounds the work on run-on text; real sentences have one or two
            if m.end() == m.start():
                continue
            if sent is None:
                sent = Sentence(raw, names)
                sent.prev_text = prev_text
            if check(sent, m):
                hits.append((signals, m.start(), m.end()))
                break
    if not hits or sent is None:
        return None
    s = sent
    kept = exempt(s, raw, hits)
    if not kept:
        return None
    all_signals: list[str] = []
    for sig, _, _ in kept:
        for x in sig:
            if x not in all_signals:
                all_signals.append(x)
    # A person as the subject of any judgment adds named-person (README overlap rules).
    if "named-person" not in all_signals and _names_someone(s):
        all_signals.append("named-person")
    if "why-didnt" in all_signals and "counterfactual" in all_signals:
        all_signals.remove("counterfactual")
    primary = next(p for p in PRIORITY if p in all_signals)
    span_start = min(a for _, a, _ in kept)
    span_end = max(b for _, _, b in kept)
    # Extend the span to the start of the person reference just before the cue.
    i = s.index_at(span_start)
    j = i - 1
    while j >= 0 and j >= i - 3 and (s.person[j] or s.tokens[j][0].lower() in DETS):
        j -= 1
    if j + 1 < i and any(s.person[j + 1 : i]):
        span_start = s.tokens[j + 1][1]
    ordered = tuple(x for x in SIGNALS if x in all_signals)
    return ordered, span_start, span_end, primary


def _names_someone(s: Sentence) -> bool:
    """True when a specific (non-self, non-generic) person or team is referenced."""
    for i, (word, _, _) in enumerate(s.tokens):
        if not s.person[i]:
            continue
        w = strip_poss(word)[0]
        if w in SUBJECT_PRONOUNS or w in PRONOUNS or w in INDEFINITE:
            continue
        if w in ("no", "one", "people", "person", "someone"):
            continue
        return True
    return False
