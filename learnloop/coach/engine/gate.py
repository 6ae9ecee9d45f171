"""The cheap gate in front of the rules: one regex pass over the document finds which rule
keys occur in which sentence, and a sentence runs only the rules whose keys it contains.
Lossless: ``tests/test_engine.py`` checks that gating never changes a result.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable
from typing import Any

from .rules import RULES, Rule

_ALL_KEYS = tuple(sorted({k for rule in RULES for group in rule.keys for k in group}))
# Inverted index: key -> rules whose first key group contains it.
_KEY_RULES: dict[str, frozenset[int]] = {
    k: frozenset(i for i, rule in enumerate(RULES) if k in rule.keys[0]) for k in _ALL_KEYS
}


def rules_for(present: set[str]) -> list[Rule]:
    """The rules, in table order, whose key groups all occur among ``present`` (the keys
    found in a sentence by :func:`scan_keys`)."""
    active: set[int] = set()
    for k in present:
        active |= _KEY_RULES[k]
    return [
        RULES[i]
        for i in sorted(active)
        if len(RULES[i].keys) == 1 or not any(g.isdisjoint(present) for g in RULES[i].keys)
    ]


def _trie_pattern(words: Iterable[str]) -> str:
    """A regex matching any of ``words``, built as a trie so each position costs a few steps.

    Optional continuations are greedy, so at a given position the longest key wins; the
    shorter keys that are its prefixes are added back from ``_PREFIX_CLOSURE``.
    """
    trie: dict[str, Any] = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict[str, Any]) -> str:
        end = "" in node
        alts = [re.escape(ch) + build(child) for ch, child in sorted(node.items()) if ch]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        if end:
            return "(?:" + body + ")?" if len(alts) == 1 else body + "?"
        return body

    return build(trie)


_KEY_SCAN = re.compile("(?=(" + _trie_pattern(_ALL_KEYS) + "))")


_PREFIX_CLOSURE: dict[str, frozenset[str]] = {
    k: frozenset(p for p in _ALL_KEYS if k.startswith(p)) for k in _ALL_KEYS
}


_SCAN_TABLE = str.maketrans("\n\t\r\u2019", "   '")


def scan_keys(masked: str, sentences: list[tuple[int, int]]) -> dict[int, set[str]]:
    """Which rule keys occur in which sentence, in one regex pass over the whole document.

    A single trie-shaped regex finds every key occurrence (zero-width lookahead, so
    overlapping keys are all seen); sentences without any key are never analysed.
    """
    low = " " + masked.lower().translate(_SCAN_TABLE)
    if len(low) != len(masked) + 1:  # a few Unicode characters change length when lowered
        out: dict[int, set[str]] = {}
        for i, (a, b) in enumerate(sentences):
            sent = " " + masked[a:b].lower().translate(_SCAN_TABLE)
            keys = {k for k in _ALL_KEYS if k in sent}
            if keys:
                out[i] = keys
        return out
    # In ``low`` (one leading space) sentence i spans [a, b + 1): it includes the character
    # before it, so keys with a leading space (" how ") match a sentence-initial word.
    starts = [a for a, _ in sentences]
    found: dict[int, set[str]] = {}
    idx = -1
    a = b = -1
    for m in _KEY_SCAN.finditer(low):
        pos = m.start()
        if not (a <= pos < b):
            idx = bisect_right(starts, pos) - 1
            if idx < 0:
                continue
            a, b = sentences[idx][0], sentences[idx][1] + 1
            if pos >= b:
                continue
        key = m.group(1)
        if pos + len(key) <= b:
            found.setdefault(idx, set()).update(_PREFIX_CLOSURE[key])
    return found
