"""``concepts_for(text)``: the failure mechanisms a text describes, found with the hand-written
lexicon in ``mechanism_lexicon.py`` (why it exists, and its pattern syntax, are described
there). Patterns are compiled once, at import, into indexes keyed by their first term.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from .mechanism_lexicon import LEXICON, WINDOW
from .text import stem, words


@dataclass(frozen=True, eq=False)
class _Term:
    """One per (text, prefix): made by :func:`_compile_term` only, which interns them, so
    identity is equality and hashing a term costs nothing (it is the hot loop's dict key)."""

    text: str
    prefix: bool


_INTERNED: dict[tuple[str, bool], _Term] = {}


def _term(text: str, prefix: bool) -> _Term:
    return _INTERNED.setdefault((text, prefix), _Term(text, prefix))


@dataclass(frozen=True)
class _Pattern:
    concept: str
    groups: tuple[tuple[_Term, ...], ...]


def _compile_term(raw: str) -> _Term:
    if raw.endswith("*"):
        body = raw[:-1]
        # "lapse*" must also match "lapsed" (stemmed "laps"): a final "e" is optional.
        if body.endswith("e") and len(body) > 4:
            body = body[:-1]
        s = stem(body)
        return _term(s if len(s) <= len(body) and body.startswith(s) else body, True)
    return _term(stem(raw), False)


def _compile() -> tuple[list[_Pattern], dict[str, set[_Term]], dict[str, set[_Term]]]:
    patterns: list[_Pattern] = []
    exact: dict[str, set[_Term]] = {}
    prefixes: dict[str, set[_Term]] = {}
    for concept, (_label, _weight, raws) in LEXICON.items():
        for raw in raws:
            groups = []
            for part in raw.split("~"):
                # words() splits on punctuation exactly as documents are split.
                terms = []
                for chunk in part.split():
                    is_prefix = chunk.endswith("*")
                    ws = words(chunk)
                    for i, w in enumerate(ws):
                        suffix = "*" if is_prefix and i == len(ws) - 1 else ""
                        terms.append(_compile_term(w + suffix))
                if terms:
                    groups.append(tuple(terms))
            if not groups:
                continue
            patterns.append(_Pattern(concept, tuple(groups)))
            for g in groups:
                for t in g:
                    (prefixes if t.prefix else exact).setdefault(t.text, set()).add(t)
    return patterns, exact, prefixes


_PATTERNS, _EXACT, _PREFIXES = _compile()
_PREFIX_LENGTHS = sorted({len(p) for p in _PREFIXES})
# Pattern indexes keyed by their first term: only patterns whose first term occurs in a
# text are examined, which keeps indexing fast on large documents.
_BY_FIRST_TERM: dict[_Term, list[int]] = {}
for _i, _p in enumerate(_PATTERNS):
    _BY_FIRST_TERM.setdefault(_p.groups[0][0], []).append(_i)
#: Every term of each pattern, flat: a pattern is examined only if all of them occur.
_PATTERN_TERMS = [tuple(t for g in _p.groups for t in g) for _p in _PATTERNS]


@lru_cache(maxsize=200_000)
def _terms_of(tok: str) -> tuple[_Term, ...]:
    """The lexicon terms one stemmed token matches (exact, then by prefix; cached: documents
    share most of their words)."""
    terms = list(_EXACT.get(tok, ()))
    for n in _PREFIX_LENGTHS:
        if n > len(tok):
            break
        terms.extend(_PREFIXES.get(tok[:n], ()))
    return tuple(terms)


def _term_positions(stems: list[str]) -> dict[_Term, list[int]]:
    """Positions of every lexicon term present in the stemmed text."""
    by_token: dict[str, list[int]] = {}
    for i, s in enumerate(stems):
        by_token.setdefault(s, []).append(i)
    found: dict[_Term, list[int]] = {}
    for tok, pos in by_token.items():
        for t in _terms_of(tok):
            found.setdefault(t, []).extend(pos)
    return found


def _group_starts(group: tuple[_Term, ...], found: dict[_Term, list[int]]) -> list[int]:
    first = found.get(group[0])
    if not first:
        return []
    if len(group) == 1:
        return first
    rest = [set(found.get(t, ())) for t in group[1:]]
    if not all(rest):
        return []
    return [p for p in first if all(p + i + 1 in r for i, r in enumerate(rest))]


def concept_counts(text: str) -> Counter[str]:
    """How many times each concept's patterns matched in ``text``."""
    stems = [stem(w) for w in words(text)]
    if not stems:
        return Counter()
    found = _term_positions(stems)
    counts: Counter[str] = Counter()
    if not found:
        return counts
    candidates: set[int] = set()
    for t in found:
        candidates.update(_BY_FIRST_TERM.get(t, ()))
    for idx in sorted(candidates):
        if not all(t in found for t in _PATTERN_TERMS[idx]):
            continue
        pat = _PATTERNS[idx]
        starts = [_group_starts(g, found) for g in pat.groups]
        if not all(starts):
            continue
        if len(starts) == 1:
            counts[pat.concept] += len(starts[0])
            continue
        hits = 0
        for p in starts[0]:
            if all(any(abs(p - q) <= WINDOW for q in other) for other in starts[1:]):
                hits += 1
        if hits:
            counts[pat.concept] += hits
    return counts


def concepts_for(text: str) -> list[str]:
    """Concept ids found in ``text``, most-matched first (ties by lexicon order)."""
    counts = concept_counts(text)
    order = {c: i for i, c in enumerate(LEXICON)}
    return sorted(counts, key=lambda c: (-counts[c], order[c]))


def label(concept: str) -> str:
    """Human label for a concept id ("certificate expiry" style)."""
    return LEXICON[concept][0]


def weight(concept: str) -> float:
    """Prior specificity of a concept (used with its document frequency when ranking)."""
    return LEXICON[concept][1]


CONCEPT_TOKEN_PREFIX = "zq"


def token_for(concept: str) -> str:
    """The single full-text token that stands for a concept in the index.

    Letters only (no underscore, which FTS5 and PostgreSQL treat as a separator), with a
    prefix no English word has, and ending in a letter that neither Porter nor Snowball
    strips, so the token survives both engines' stemmers unchanged.
    """
    return CONCEPT_TOKEN_PREFIX + concept.replace("_", "") + "zq"


_BY_TOKEN = {token_for(c): c for c in LEXICON}


def concept_for_token(token: str) -> str | None:
    """Inverse of :func:`token_for` (None for anything else)."""
    return _BY_TOKEN.get(token)
