"""Tokenizer, stemmer and query builders: hostile input must never become syntax."""

import sqlite3

import pytest

from learnloop.search.text import (
    fts5_match,
    pg_tsquery,
    query_words,
    stem,
    tokens,
)

NASTY = [
    "",
    "   ",
    '"',
    '"unbalanced quote',
    "it's a 'quoted' \"thing\"",
    "AND",
    "OR OR OR",
    "NOT",
    "a AND b OR NOT c",
    "NEAR(a b, 3)",
    "NEAR",
    "foo*",
    "*",
    "^start",
    "title:secret",
    "{title body}: x",
    "col : (a OR b)",
    "((((",
    "))",
    "a & b | !c <-> d:* 'e'",
    "emoji 🔥🚒 only",
    "🔥🔥🔥",
    "Zürich café naïve ÆØÅ 東京 データベース",
    "DROP TABLE search_document; --",
    "\x00\x01 control",
    "word " * 2000,
    "x" * 10_000,
]


def test_it_folds_plurals_and_tenses_consistently():
    assert stem("certificates") == stem("certificate")
    assert stem("caches") == stem("cache")
    assert stem("retries") == stem("retry")
    assert stem("stopped") == "stop"
    assert stem("rotated") == stem("rotating") == "rotate"


def test_it_drops_stop_words_and_keeps_unicode_letters():
    assert tokens("The DNS of Zürich") == ["dns", "zurich"]


def test_it_caps_query_words():
    assert len(query_words(" ".join(f"w{i}" for i in range(500)))) == 32


@pytest.mark.parametrize("text", NASTY)
def test_it_builds_fts5_expressions_that_sqlite_accepts(text):
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE VIRTUAL TABLE t USING fts5(a, b)")
    conn.execute("INSERT INTO t VALUES ('near and or not', 'title secret')")
    expr = fts5_match(query_words(text))
    if expr is None:
        return
    conn.execute("SELECT rowid FROM t WHERE t MATCH ?", (expr,)).fetchall()


@pytest.mark.parametrize("text", NASTY)
def test_it_builds_tsquery_strings_without_operators(text):
    q = pg_tsquery(query_words(text))
    if q is None:
        return
    for term in q.split(" | "):
        assert term.startswith("'") and term.endswith("'")
        assert all(ch.isalnum() for ch in term[1:-1])


def test_operator_words_are_matched_as_words():
    assert fts5_match(["NEAR", "and"]) == '"near" OR "and"'
    assert fts5_match(['"', "*", "^"]) is None
