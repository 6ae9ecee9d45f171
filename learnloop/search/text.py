"""Tokenising, light stemming and safe query construction.

Why our own tokenizer: the ranking code (concept matching, re-ranking) has to see the same
tokens whatever the database is, so it cannot rely on SQLite's porter tokenizer or
PostgreSQL's snowball dictionary. The database engines stem on their own side; this
module only has to produce *safe* input for them: every user string, however hostile
(quotes, AND/OR/NOT/NEAR, ``*``, ``^``, ``column:`` filters, parentheses, emoji,
10,000 characters), becomes a list of plain word tokens that are quoted individually, so
no user character can ever reach the query parser as syntax.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Letters and digits of any script; underscores and punctuation split words.
_WORD_RE = re.compile(r"[^\W_]+", re.UNICODE)

#: Upper bound on user text we look at; longer input is truncated, not rejected.
MAX_QUERY_CHARS = 10_000

#: Upper bound on distinct terms sent to the database in one full-text query.
MAX_QUERY_TERMS = 32

STOP_WORDS: frozenset[str] = frozenset(
    """
    a about above after again against all almost also am an and any are aren as at be
    because been before being below between both but by can cannot could couldn did didn do
    does doesn doing don down during each either else even ever every few for from further
    get got had hadn has hasn have haven having he her here hers herself him himself his how
    however i if in into is isn it its itself just least less let like ll made make many may
    me might more most much must my myself neither no nor not now of off often on once one
    only or other others our ours ourselves out over own per quite rather re really same
    several shall she should shouldn since so some still such than that the their theirs
    them themselves then there these they this those though through thus to too under until
    up upon us ve very via was wasn we were weren what when where whether which while who
    whom whose why will with within without won would wouldn yet you your yours yourself
    s t d m o y ours etc
    """.split()  # noqa: SIM905 - a word list reads better as text
)


def normalize(text: str) -> str:
    """NFKC-normalise, strip accents and lower-case, so "Café" and "cafe" meet."""
    text = text[: MAX_QUERY_CHARS * 4]
    if text.isascii():  # NFKD leaves ASCII as it is and it has no combining marks
        return text.lower()
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return text.lower()


def words(text: str) -> list[str]:
    """Lower-cased word tokens in order (no stemming, stop words kept)."""
    if not text:
        return []
    return _WORD_RE.findall(normalize(text))


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """A small, conservative English suffix stripper.

    Why not Porter: we only need plural/tense/adverb folding to be *consistent* between
    documents, queries and the lexicon, and a dozen rules are easy to reason about. Words
    shorter than four letters and numbers are left alone.
    """
    w = word
    if len(w) < 4 or not w.isalpha():
        return w
    if w.endswith("'s"):
        w = w[:-2]
    for suffix, repl, min_len in (
        ("ational", "ate", 7),
        ("ization", "ize", 7),
        ("ations", "ate", 6),
        ("ation", "ate", 6),
        ("nesses", "", 6),
        ("ness", "", 6),
        ("ments", "", 7),
        ("ment", "", 7),
        ("ingly", "", 7),
        ("edly", "", 6),
        ("ities", "ity", 6),
        ("ies", "y", 5),
        ("ied", "y", 5),
        ("sses", "ss", 5),
        ("ing", "", 6),
        ("ed", "", 5),
        ("ly", "", 6),
        ("es", "", 5),
        ("s", "", 4),
    ):
        if w.endswith(suffix) and len(w) >= min_len:
            if suffix == "s" and w.endswith(("ss", "us", "is", "ys")):
                continue
            if suffix == "es" and not w.endswith(("shes", "xes", "sses", "zes")):
                # "outages" -> "outage", "caches" -> "cache": drop only the "s".
                w = w[:-1]
                break
            w = w[: -len(suffix)] + repl
            if suffix in ("ing", "ed") and len(w) >= 3:
                if w[-1] == w[-2] and w[-1] not in "lsz":
                    w = w[:-1]  # stopped -> stop, running -> run
                elif w.endswith(("at", "iz", "bl", "us", "ur", "as")):
                    w += "e"  # rotated -> rotate, used -> use, caused -> cause
            break
    return w


def tokens(text: str, *, keep_stop_words: bool = False) -> list[str]:
    """Stemmed tokens, in order, stop words removed unless asked otherwise."""
    out = []
    for w in words(text):
        if not keep_stop_words and w in STOP_WORDS:
            continue
        out.append(stem(w))
    return out


def query_words(text: str, *, limit: int = MAX_QUERY_TERMS) -> list[str]:
    """Distinct, non-stop-word surface words of user text, first occurrence first, capped.

    These are the words sent to the database engine (which applies its own stemmer).
    Pure punctuation, operators and emoji disappear here, which is what makes the query
    builders below total functions.
    """
    seen: set[str] = set()
    out: list[str] = []
    for w in words(text[:MAX_QUERY_CHARS]):
        if w in STOP_WORDS or len(w) > 64:
            continue
        s = stem(w)
        if s in seen:
            continue
        seen.add(s)
        out.append(w)
        if len(out) >= limit:
            break
    return out


#: Prefix of a pictograph's index token (see :func:`symbol_tokens`).
SYMBOL_TOKEN_PREFIX = "zqsym"

_HEX_AS_LETTERS = str.maketrans("0123456789", "ghijklmnop")


def symbol_tokens(text: str, *, limit: int = MAX_QUERY_TERMS) -> list[str]:
    """One index token per distinct emoji or other pictograph in ``text``, first seen first.

    Why: FTS5's unicode61 tokenizer and PostgreSQL's text parser both treat emoji as
    separators, so "🔥" can neither be indexed nor searched as a word. The index stores each
    pictograph (Unicode category "So") as a letters-only token, such as ``zqsymhfljlzq`` for
    U+1F525, in the ``concepts`` column, and a query asks for the same tokens; both engines
    keep such a token as it is (no digits, an ending no stemmer strips).
    """
    text = text[: MAX_QUERY_CHARS * 4]
    if text.isascii():  # no ASCII character is in category "So"
        return []
    out: dict[str, None] = {}
    for ch in text:
        if unicodedata.category(ch) == "So":
            code = format(ord(ch), "x").translate(_HEX_AS_LETTERS)
            out[f"{SYMBOL_TOKEN_PREFIX}{code}zq"] = None
            if len(out) >= limit:
                break
    return list(out)


def _safe_terms(terms: list[str]) -> list[str]:
    # Re-tokenise defensively: callers may pass anything, only [^\W_]+ survives.
    out: list[str] = []
    for t in terms:
        out.extend(_WORD_RE.findall(normalize(t)))
    return list(dict.fromkeys(out))


def fts5_match(terms: list[str]) -> str | None:
    """An FTS5 MATCH expression that ORs the given terms, or None if nothing is left.

    Each term is double-quoted (a phrase of one token), so words such as NEAR, AND, NOT
    are matched as words and never parsed as operators. Only letters and digits survive,
    hence no quote can break out of the string.
    """
    safe = _safe_terms(terms)
    if not safe:
        return None
    return " OR ".join(f'"{t}"' for t in safe)


def pg_tsquery(terms: list[str]) -> str | None:
    """A ``to_tsquery`` string ORing the terms (each single-quoted), or None if empty.

    Only letters and digits survive, so neither quotes nor ``& | ! <-> : *`` from the
    user can appear; to_tsquery therefore cannot raise a syntax error on it.
    """
    safe = _safe_terms(terms)
    if not safe:
        return None
    return " | ".join(f"'{t}'" for t in safe)
