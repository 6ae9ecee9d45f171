"""Candidate generation for ``search()`` and ``related()`` at any index size: the bounded SQLite and PostgreSQL plans
(rare terms first, the most recent matches when every term is common), bm25 scoring with the
field weights, corpus statistics cached per process on large indexes, and concept document
frequencies. ``index.search`` pages what the plans rank; ``index.related`` re-ranks what
:func:`find_candidates` returns.
"""

from __future__ import annotations

import math
import re
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any, TypeVar

from . import mechanisms
from .mechanisms import token_for
from .text import fts5_match

#: bm25() column weights for SQLite (title, summary, keywords, body, concepts).
SQLITE_WEIGHTS = (4.0, 2.0, 3.0, 1.0, 2.0)

#: PostgreSQL field weights for the bm25-style score, by tsvector weight class: A (title), B
#: (keywords), C (summary), D (body); concept tokens (also class A) get PG_CONCEPT_WEIGHT.
#: The same values as SQLITE_WEIGHTS, so both engines score alike.
PG_FIELD_WEIGHTS = (4.0, 3.0, 2.0, 1.0)
PG_CONCEPT_WEIGHT = 2.0

#: bm25 parameters (FTS5's defaults).
BM25_K1 = 1.2
BM25_B = 0.75

#: When PostgreSQL finds the recent window by walking the newest rows, it reads at most this
#: many (matches are dense then: over ~10% of the documents).
PG_SCAN_ROWS = 20_000


@dataclass(frozen=True)
class Candidate:
    id: int
    lexical: float
    title: str
    summary: str
    keywords: str
    body_head: str
    #: How often each of the *query's* concepts occurs in the document's concepts column.
    concepts: Counter[str]


#: A query term matching more documents than this is left out of the SQLite MATCH when the
#: query has rarer terms (it still counts in re-ranking through the concepts column).
PRUNE_MIN_DF = 2000

PRUNE_FRACTION = 0.05

#: When every term is that common, the PRUNE_KEEP rarest are kept.
PRUNE_KEEP = 4

#: When the kept terms together occur in more than SCAN_BUDGET documents, only the
#: SCAN_WINDOW most recent matching documents are scored (see plan_sqlite).
SCAN_BUDGET = 1_500

SCAN_WINDOW = 1_000


@dataclass(frozen=True)
class _Plan:
    match: str
    min_rowid: int | None
    n_docs: int


#: Above this many documents, document counts and frequencies are cached per process for
#: STATS_SECONDS: computing them reads whole doclists (milliseconds per common term), and they
#: are statistics that move slowly. Smaller indexes are always computed exactly.
STATS_MIN_DOCS = 20_000

STATS_SECONDS = 600.0

_STATS: dict[tuple[Any, ...], tuple[float, int]] = {}


def _cached(key: tuple[Any, ...], compute: Callable[[], int], n_docs: int | None) -> int:
    now = time.monotonic()
    hit = _STATS.get(key)
    if hit is not None and now - hit[0] < STATS_SECONDS:
        return hit[1]
    value = compute()
    if n_docs is None or n_docs > STATS_MIN_DOCS:
        if len(_STATS) > 50_000:
            _STATS.clear()
        _STATS[key] = (now, value)
    return value


def _doc_count(cursor: Any) -> int:
    def compute() -> int:
        cursor.execute("SELECT count(*) FROM search_document")
        return int(cursor.fetchone()[0])

    hit = _STATS.get(("n",))
    if hit is not None and hit[1] > STATS_MIN_DOCS and time.monotonic() - hit[0] < 60:
        return hit[1]
    n = compute()
    _STATS[("n",)] = (time.monotonic(), n)
    return n


def _capped_df(cursor: Any, term: str, cap: int, n_docs: int) -> int:
    """Documents matching ``term`` (already a safe single word or concept token), counted
    up to ``cap + 1`` only: FTS5 stops reading the doclist there."""

    def compute() -> int:
        cursor.execute(
            "SELECT count(*) FROM (SELECT rowid FROM search_fts WHERE search_fts MATCH ? LIMIT ?)",
            [f'"{term}"', cap + 1],
        )
        return int(cursor.fetchone()[0])

    return _cached(("df", term, cap), compute, n_docs)


def plan_sqlite(cursor: Any, qwords: list[str], qtokens: list[str]) -> _Plan | None:
    """Decide what the FTS5 MATCH scores, so that a query costs about the same at any size.

    Why: FTS5 computes bm25 for *every* row matching the MATCH before ORDER BY ... LIMIT can
    cut; an OR over words found in most of 100,000 documents scores most of the table.
    1. Terms found in more than ``max(PRUNE_MIN_DF, PRUNE_FRACTION * n)`` documents are
       dropped when rarer terms exist (they add little to bm25); when all are that common,
       the first PRUNE_KEEP are kept (mechanism concepts first, then words as typed) and
       matched in the title, summary, keywords and concepts columns only.
       Small corpora (n <= PRUNE_MIN_DF) are never pruned.
    2. If the kept terms still cover more than SCAN_BUDGET documents, only the SCAN_WINDOW
       most recent matches (highest rowids) are scored: FTS5 walks doclists in rowid order and
       stops early, so the cost is bounded. For such unselective queries recent documents
       are the useful ones anyway.
    Frequencies are counted with an early-stopping LIMIT (see _capped_df).
    """
    terms = qwords + qtokens
    n = _doc_count(cursor)
    max_df = max(PRUNE_MIN_DF, int(PRUNE_FRACTION * n))
    if n <= max_df:
        match = fts5_match(terms)
        return _Plan(match, None, n) if match else None
    df = {t: _capped_df(cursor, t, max_df, n) for t in dict.fromkeys(terms)}
    rare = [t for t in terms if 0 < df[t] <= max_df]
    common = [t for t in qtokens + qwords if df[t] > max_df]
    keep = rare or common[:PRUNE_KEEP]
    match = fts5_match(keep)
    if match is None:
        return None
    if not rare:
        # Only common words: a document is a candidate when they are in what it is *about*
        # (title, summary, keywords, mechanisms), not merely mentioned in its body. Concept
        # and pictograph tokens occur in the concepts column only, so they go unfiltered:
        # FTS5's bm25 first counts each phrase's matches in the whole table (its idf), and
        # a column-filtered phrase must decode every position list to do so (decision 0231).
        own = set(qtokens)
        words_kept = fts5_match([t for t in keep if t not in own])
        match = " OR ".join(
            x
            for x in (
                fts5_match([t for t in keep if t in own]),
                f"{{title summary keywords concepts}} : ({words_kept})" if words_kept else None,
            )
            if x
        )
    min_rowid = None
    # Capped counts (a common term) understate: any common term means over budget.
    if sum(df[t] for t in keep) > SCAN_BUDGET or any(df[t] > max_df for t in keep):
        cursor.execute(
            "SELECT min(rowid) FROM (SELECT rowid FROM search_fts WHERE search_fts MATCH ?"
            " ORDER BY rowid DESC LIMIT ?)",
            [match, SCAN_WINDOW],
        )
        row = cursor.fetchone()
        min_rowid = int(row[0]) if row and row[0] is not None else None
    return _Plan(match, min_rowid, n)


def ranked_ids(
    cursor: Any, plan: _Plan, where: str, params: list[Any], limit: int, offset: int = 0
) -> list[tuple[int, float]]:
    """(id, score) best first for an SQLite plan; only ids and scores go through the sort."""
    weights = ", ".join(str(w) for w in SQLITE_WEIGHTS)
    window = " AND search_fts.rowid >= ?" if plan.min_rowid is not None else ""
    wparams = [plan.min_rowid] if plan.min_rowid is not None else []
    cursor.execute(
        f"SELECT search_fts.rowid, -bm25(search_fts, {weights}) AS score"
        " FROM search_fts JOIN search_document d ON d.id = search_fts.rowid"
        f" WHERE search_fts MATCH ?{window}{where} ORDER BY score DESC, search_fts.rowid"
        " LIMIT ? OFFSET ?",
        [plan.match, *wparams, *params, limit, offset],
    )
    return [(int(r[0]), float(r[1])) for r in cursor.fetchall()]


@dataclass(frozen=True)
class _PgPlan:
    query: str  # tsquery text over lexemes ('a' | 'b':ABC), for @@
    lexemes: list[str]
    idf: list[float]
    field_weights: list[float]  # per lexeme: weight of class A (title, or concept)
    head_only: bool  # body hits (class D) do not count
    window: bool  # score only the SCAN_WINDOW most recent matches
    scan_recent: bool  # find them by walking the newest rows (matches are dense)
    highlight: str  # tsquery text of every query lexeme, for ts_headline
    avg_len: float


_PG_LEXEMES: dict[str, tuple[str, ...]] = {}

_LEXEME_RE = re.compile(r"^[^\W_]+$")


def _pg_lexemes(cursor: Any, qwords: list[str]) -> dict[str, tuple[str, ...]]:
    """PostgreSQL's own ``english`` lexemes for each word (its stemmer, its stop words),
    remembered per process: the mapping never changes."""
    missing = [w for w in dict.fromkeys(qwords) if w not in _PG_LEXEMES]
    if missing:
        cursor.execute(
            "SELECT w, tsvector_to_array(to_tsvector('english', w)) FROM unnest(%s::text[]) AS w",
            [missing],
        )
        if len(_PG_LEXEMES) > 200_000:
            _PG_LEXEMES.clear()
        for w, lexemes in cursor.fetchall():
            _PG_LEXEMES[w] = tuple(x for x in (lexemes or ()) if _LEXEME_RE.match(x))
    return {w: _PG_LEXEMES.get(w, ()) for w in qwords}


def _pg_capped_dfs(cursor: Any, lexemes: list[str], cap: int, n_docs: int) -> dict[str, int]:
    """Documents containing each lexeme, counted up to ``cap + 1`` only, in one round trip
    for the lexemes not cached yet (see _cached)."""
    out: dict[str, int] = {}
    now = time.monotonic()
    todo = []
    for lex in lexemes:
        hit = _STATS.get(("pg-df", lex, cap))
        if hit is not None and now - hit[0] < STATS_SECONDS:
            out[lex] = hit[1]
        else:
            todo.append(lex)
    for start in range(0, len(todo), 16):
        chunk = todo[start : start + 16]
        cursor.execute(
            "SELECT "
            + ", ".join(
                "(SELECT count(*) FROM (SELECT 1 FROM search_document"
                " WHERE search_vector @@ %s::tsquery LIMIT %s) s)"
                for _ in chunk
            ),
            [x for lex in chunk for x in (f"'{lex}'", cap + 1)],
        )
        for lex, count in zip(chunk, cursor.fetchone(), strict=True):
            out[lex] = _cached(("pg-df", lex, cap), partial(int, count), n_docs)
    return out


#: Documents sampled (the most recent) to recognise common lexemes without probing them.
PG_SAMPLE_DOCS = 2000

_PG_SAMPLE: dict[tuple[Any, ...], tuple[float, dict[str, int]]] = {}


def _pg_common_lexemes(cursor: Any, n_docs: int, max_df: int) -> dict[str, int]:
    """Estimated document frequency of the lexemes that may be common (above half the prune
    threshold), from ``ts_stat`` over the PG_SAMPLE_DOCS most recent documents; cached for
    STATS_SECONDS. Why: a capped probe of a common lexeme visits ``max_df`` rows (~15 ms at
    100,000 documents), and a pasted log has dozens of common words."""

    def compute() -> dict[str, int]:
        cursor.execute(
            "SELECT count(*) FROM (SELECT 1 FROM search_document ORDER BY id DESC LIMIT %s) s",
            [PG_SAMPLE_DOCS],
        )
        sample = int(cursor.fetchone()[0]) or 1
        cursor.execute(
            "SELECT word, ndoc FROM ts_stat('SELECT search_vector FROM search_document"
            f" ORDER BY id DESC LIMIT {int(PG_SAMPLE_DOCS)}') WHERE ndoc > %s",
            [sample * max_df / (2.0 * n_docs)],
        )
        return {str(w): int(nd * n_docs / sample) for w, nd in cursor.fetchall()}

    return _kept_one(_PG_SAMPLE, (n_docs // 10_000, max_df), compute)


_T = TypeVar("_T")


def _kept_one(
    store: dict[tuple[Any, ...], tuple[float, _T]], key: tuple[Any, ...], compute: Callable[[], _T]
) -> _T:
    """``compute()``, kept in ``store`` (its only entry) under ``key`` for STATS_SECONDS."""
    hit = store.get(key)
    now = time.monotonic()
    if hit is not None and now - hit[0] < STATS_SECONDS:
        return hit[1]
    value = compute()
    store.clear()
    store[key] = (now, value)
    return value


#: A lexeme that PostgreSQL's statistics put above this many times the prune threshold is
#: common beyond doubt (their sample of 30,000 rows errs by a few per cent): not probed.
PG_KEPT_MARGIN = 1.25

_PG_KEPT: dict[tuple[Any, ...], tuple[float, frozenset[str]]] = {}


def _pg_kept_common(cursor: Any, n_docs: int, max_df: int) -> frozenset[str]:
    """The lexemes found in over PG_KEPT_MARGIN x ``max_df`` documents by PostgreSQL's own
    statistics of the column (``ANALYZE``'s most common lexemes and their frequencies, kept in
    ``pg_stats``; none before the table was first analysed); cached for STATS_SECONDS. Why: a
    capped probe of a common lexeme reads ``max_df`` matching rows, each from TOAST when it
    is a sequential scan: 0.05-0.1 s each at a million rows (decision 0248)."""

    def compute() -> frozenset[str]:
        cursor.execute(
            "SELECT most_common_elems::text::text[], most_common_elem_freqs FROM pg_stats"
            " WHERE schemaname = current_schema() AND tablename = 'search_document'"
            " AND attname = 'search_vector'"
        )
        row = cursor.fetchone()
        elems = list(row[0] or ()) if row else []
        freqs = list(row[1] or ())[: len(elems)] if row else []  # then their min and max
        cut = PG_KEPT_MARGIN * max_df
        return frozenset(str(w) for w, f in zip(elems, freqs, strict=True) if f * n_docs > cut)

    return _kept_one(_PG_KEPT, (n_docs // 10_000, max_df), compute)


def _pg_dfs(cursor: Any, lexemes: list[str], n_docs: int, max_df: int) -> dict[str, int]:
    """Document frequencies for planning and idf: exact up to ``max_df`` (capped probes),
    estimated from a sample for lexemes the sample shows to be common (not probed: a probe
    of a common lexeme visits ``max_df`` rows) once the index holds over STATS_MIN_DOCS.
    A lexeme the sample misses but PostgreSQL's statistics show to be common is not probed
    either: it counts ``max_df + 1``, what its capped probe would have counted."""
    known: dict[str, int] = {}
    if max_df < n_docs and n_docs > STATS_MIN_DOCS:
        sample = _pg_common_lexemes(cursor, n_docs, max_df)
        known = {t: sample[t] for t in lexemes if sample.get(t, 0) > max_df}
        kept = _pg_kept_common(cursor, n_docs, max_df)
        known.update({t: max_df + 1 for t in lexemes if t not in known and t in kept})
    todo = [t for t in lexemes if t not in known]
    return {**_pg_capped_dfs(cursor, todo, max_df, n_docs), **known}


def _pg_avg_len(cursor: Any, n_docs: int) -> float:
    """Average text length in bytes of the 1,000 most recent documents (bm25's length norm);
    a sample, because reading every row would cost seconds at 100,000 documents."""

    def compute() -> int:
        cursor.execute(
            "SELECT avg(octet_length(title) + octet_length(summary) + octet_length(keywords)"
            " + octet_length(body)) FROM (SELECT title, summary, keywords, body"
            " FROM search_document ORDER BY id DESC LIMIT 1000) s"
        )
        row = cursor.fetchone()
        return max(1, int(row[0] or 1))

    return float(_cached(("pg-avglen",), compute, n_docs))


def plan_pg(cursor: Any, qwords: list[str], qtokens: list[str]) -> _PgPlan | None:
    """The PostgreSQL counterpart of plan_sqlite, with the same thresholds.

    Why: a GIN bitmap scan visits every row matching the OR of the query's terms before
    anything can be cut, so unselective words are dropped when rarer ones exist (all terms
    common: the PRUNE_KEEP first, concepts first, matched in title/keywords/summary/concepts
    only, ``'word':ABC``); and when the kept terms cover more than SCAN_BUDGET documents only
    the SCAN_WINDOW most recent matches are scored. Unlike ts_rank, the score is a bm25
    with idf from the capped document frequencies (exact for every kept term below the
    prune threshold, i.e. for every term on corpora of up to PRUNE_MIN_DF documents).
    """
    lexmap = _pg_lexemes(cursor, qwords)
    word_lex = list(dict.fromkeys(x for w in qwords for x in lexmap[w]))
    concept_lex = [t for t in dict.fromkeys(qtokens) if _LEXEME_RE.match(t)]
    terms = list(dict.fromkeys(word_lex + concept_lex))
    if not terms:
        return None
    concepts = set(concept_lex)
    n = _doc_count(cursor)
    if n == 0:
        return None
    max_df = max(PRUNE_MIN_DF, int(PRUNE_FRACTION * n))
    df = _pg_dfs(cursor, terms, n, max_df)
    if n <= max_df:
        keep, head_only = [t for t in terms if df[t] > 0], False
    else:
        rare = [t for t in terms if 0 < df[t] <= max_df]
        common = [t for t in concept_lex + word_lex if df[t] > max_df]
        keep, head_only = (rare, False) if rare else (common[:PRUNE_KEEP], True)
    if not keep:
        return None
    window = sum(df[t] for t in keep) > SCAN_BUDGET or any(df[t] > max_df for t in keep)
    # Only common terms: matches are dense, so reading the newest rows until SCAN_WINDOW
    # match is cheaper than visiting every match. Rare terms overlap too much for their
    # frequencies to predict the density: the GIN bitmap is used.
    scan_recent = window and head_only
    wa = PG_FIELD_WEIGHTS[0]
    query = " | ".join(f"'{t}'" + (":ABC" if head_only and t not in concepts else "") for t in keep)
    return _PgPlan(
        query=query,
        lexemes=keep,
        idf=[max(1e-6, math.log((n - df[t] + 0.5) / (df[t] + 0.5))) for t in keep],
        field_weights=[PG_CONCEPT_WEIGHT if t in concepts else wa for t in keep],
        head_only=head_only,
        window=window,
        scan_recent=scan_recent,
        highlight=" | ".join(f"'{t}'" for t in terms),
        avg_len=_pg_avg_len(cursor, n),
    )


def pg_scored(
    cursor: Any, plan: _PgPlan, where: str, params: list[Any], limit: int, offset: int = 0
) -> list[tuple[int, float]]:
    """(id, score) best first for a PostgreSQL plan: bm25 computed in SQL.

    ts_rank over the whole query has no idf (it averages the terms), so each kept lexeme is
    ranked on its own: ``ts_rank`` of one lexeme is a field-weighted term frequency (A title
    or concept, B keywords, C summary, D body) that saturates with repeats; bm25 adds the
    idf, k1 and the document's length (text bytes). Only ids and scores go through the
    sort; texts and headlines are read for the page afterwards.
    """
    _, wb, wc, wd = PG_FIELD_WEIGHTS
    if plan.head_only:
        wd = 0.0
    source, match = "search_document d", "d.search_vector @@ %s::tsquery"
    cap = " ORDER BY d.id DESC LIMIT %s" if plan.window else ""
    cap_params: list[Any] = [SCAN_WINDOW] if plan.window else []
    if plan.scan_recent:
        # Walk the newest rows (primary key, backwards) and stop at SCAN_WINDOW matches,
        # instead of visiting every match of a GIN bitmap (most of the table for common
        # words). The LIMIT-ed subquery streams; PG_SCAN_ROWS bounds a sparse walk.
        source = "(SELECT * FROM search_document ORDER BY id DESC LIMIT %s) d"
        match = "ts_match_vq(d.search_vector, %s::tsquery)"
        cap = " LIMIT %s"
        cap_params = [SCAN_WINDOW]
    source_params: list[Any] = [PG_SCAN_ROWS] if plan.scan_recent else []
    k1, b = BM25_K1, BM25_B
    # Per query lexeme, ts_rank of that lexeme alone is a saturating, field-weighted term
    # frequency (weights scaled into ts_rank's 0..1 range, then back); bm25 adds idf and the
    # length norm. The vectors are copied out of TOAST once (setweight with no lexemes), so
    # the per-lexeme calls cost about a microsecond each.
    top = max(PG_FIELD_WEIGHTS[0], PG_CONCEPT_WEIGHT, wb, wc, wd)
    scale = top * 1.64493406685
    terms, tparams = [], []
    for i, (lex, idf, wa) in enumerate(
        zip(plan.lexemes, plan.idf, plan.field_weights, strict=True)
    ):
        weights = "{" + ", ".join(f"{w / top:.6g}" for w in (wd, wc, wb, wa)) + "}"
        terms.append(f"{float(idf)!r} * r.t{i} * {k1 + 1} / (r.t{i} + c2.norm)")
        tparams.append((f"ts_rank('{weights}', c2.v, %s::tsquery) * {scale} AS t{i}", f"'{lex}'"))
    cursor.execute(
        f"WITH c AS MATERIALIZED (SELECT d.id FROM {source} WHERE {match}{where}{cap}),"
        " c2 AS MATERIALIZED (SELECT d.id, setweight(d.search_vector, 'A', '{}'::text[]) AS v,"
        f" {k1}::float8 * ({1 - b} + {b} * (octet_length(d.title) + octet_length(d.summary)"
        " + octet_length(d.keywords) + octet_length(d.body))::float8 / %s) AS norm"
        " FROM c JOIN search_document d ON d.id = c.id)"
        f" SELECT id, score FROM (SELECT c2.id, {' + '.join(terms)} AS score FROM c2"
        f" CROSS JOIN LATERAL (SELECT {', '.join(t for t, _ in tparams)}) r) s"
        " WHERE score > 0 ORDER BY score DESC, id LIMIT %s OFFSET %s",
        [
            *source_params,
            plan.query,
            *params,
            *cap_params,
            plan.avg_len,
            *(p for _, p in tparams),
            limit,
            offset,
        ],
    )
    return [(int(r[0]), float(r[1])) for r in cursor.fetchall()]


def find_candidates(
    cursor: Any,
    vendor: str,
    qwords: list[str],
    qconcepts: list[str],
    where: str,
    params: list[Any],
    k: int,
) -> list[Candidate]:
    out = []
    if vendor == "sqlite":
        plan = plan_sqlite(cursor, qwords, qconcepts)
        if plan is None:
            return []
        ranked = ranked_ids(cursor, plan, where, params, k)
        if not ranked:
            return []
        cursor.execute(
            "SELECT id, title, summary, keywords, substr(body, 1, 600), concepts"
            f" FROM search_document WHERE id IN ({', '.join('?' * len(ranked))})",
            [i for i, _ in ranked],
        )
        rows = {int(r[0]): r for r in cursor.fetchall()}
        cursor_rows = [(i, score, *rows[i][1:]) for i, score in ranked if i in rows]
    else:
        plan = plan_pg(cursor, qwords, qconcepts)
        if plan is None:
            return []
        ranked = pg_scored(cursor, plan, where, params, k)
        if not ranked:
            return []
        cursor.execute(
            "SELECT id, title, summary, keywords, substr(body, 1, 600), concepts"
            " FROM search_document WHERE id = ANY(%s)",
            [[i for i, _ in ranked]],
        )
        rows = {int(r[0]): r for r in cursor.fetchall()}
        cursor_rows = [(i, score, *rows[i][1:]) for i, score in ranked if i in rows]
    # Only the query's own concepts are counted: re-ranking reads no other (mapping every
    # distinct token of 100 candidates back to its concept cost ~1.5 ms a query).
    wanted = {t: c for t in dict.fromkeys(qconcepts) if (c := mechanisms.concept_for_token(t))}
    for r in cursor_rows:
        concepts: Counter[str] = Counter()
        if wanted:
            counts = Counter((r[6] or "").split())
            for tok, c in wanted.items():
                if counts[tok]:
                    concepts[c] += counts[tok]
        out.append(
            Candidate(
                int(r[0]), float(r[1]), r[2] or "", r[3] or "", r[4] or "", r[5] or "", concepts
            )
        )
    return out


def concept_df(cursor: Any, vendor: str, concepts: Sequence[str]) -> tuple[dict[str, int], int]:
    """Document frequency of each concept token, and the number of documents."""
    if not concepts:
        return {}, 0
    n = _doc_count(cursor)
    df = {}
    for c in concepts:
        tok = token_for(c)
        if vendor == "sqlite":

            def compute(tok: str = tok) -> int:
                cursor.execute("SELECT doc FROM search_fts_vocab WHERE term = ?", [tok])
                row = cursor.fetchone()
                return int(row[0]) if row else 0

            df[c] = _cached(("cdf", tok), compute, n)
    if vendor == "postgresql":
        # The planner's frequencies (already cached by the candidate query): exact up to the
        # prune threshold, a sample's estimate above it; idf needs no more precision.
        max_df = max(PRUNE_MIN_DF, int(PRUNE_FRACTION * n))
        pg_df = _pg_dfs(cursor, [token_for(c) for c in concepts], n, max_df)
        df = {c: pg_df[token_for(c)] for c in concepts}
    return df, n
