"""Search index and related-lesson ranking over a DB-API cursor (SQLite FTS5 or PostgreSQL).

Why this shape: documents live in the product database, so the database's own full-text
engine does the heavy lifting (candidate generation over 100,000 rows in milliseconds);
Python only re-ranks the top ``K`` candidates, where it can afford concept overlap,
field-aware scores and a calibrated confidence threshold. Nothing here imports Django; the
product passes a cursor, a vendor string and, for access control, an SQL condition.

Parameter style: SQL fragments passed in (``visibility_sql``) must use the driver's
placeholder, ``?`` for sqlite3 and ``%s`` for psycopg (see :func:`placeholder`), and refer
to the document table by the alias ``d`` (e.g. ``"(d.visibility = 'org' OR d.team_id = ?)"``).
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from . import dense, hybrid, mechanisms
from .candidates import concept_df, find_candidates, pg_scored, plan_pg, plan_sqlite, ranked_ids
from .mechanism_lexicon import LEXICON
from .mechanisms import concept_counts, token_for
from .ranking import (
    DEFAULT_CANDIDATES,
    DEFAULT_THRESHOLD,
    SIMILAR_DESCRIPTION,
    RankingParams,
    _idf,
    _reasons,
)
from .text import query_words, stem, symbol_tokens, tokens, words

VENDORS = ("sqlite", "postgresql")

#: FTS columns, in index order. Concepts get their own column so they can be weighted.
FTS_COLUMNS = ("title", "summary", "keywords", "body", "concepts")

#: Multiplier bringing PostgreSQL lexical scores to the scale of SQLite bm25 values. The
#: PostgreSQL score is a bm25 computed in SQL (see pg_scored), so no rescaling is needed.
PG_LEXICAL_SCALE = 1.0

# Private-use characters mark hits inside snippets before HTML-escaping; they are removed
# from indexed text so a document cannot forge them.
_MARK_START = "\ue000"

_MARK_END = "\ue001"

_CONTROL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ue000\ue001]")


def _check_vendor(vendor: str) -> None:
    if vendor not in VENDORS:
        raise ValueError(f"unsupported vendor {vendor!r}; expected one of {VENDORS}")


def placeholder(vendor: str) -> str:
    """The driver's parameter placeholder: ``?`` (sqlite3) or ``%s`` (psycopg)."""
    _check_vendor(vendor)
    return "?" if vendor == "sqlite" else "%s"


# --------------------------------------------------------------------------- DDL


def ddl(vendor: str) -> list[str]:
    """Statements that create the index (idempotent: ``IF NOT EXISTS`` everywhere).

    SQLite: ``search_document`` is the content table; ``search_fts`` is an FTS5
    external-content table over it, kept in step by triggers, so *any* write to
    ``search_document`` (ours, an ORM's, a manual fix) updates the index in the same
    transaction. ``search_fts_vocab`` exposes document frequencies of concept tokens.

    PostgreSQL: the same table with a generated ``search_vector`` (setweight A-D) and a
    GIN index; being a generated column it cannot drift from the row.
    """
    _check_vendor(vendor)
    if vendor == "sqlite":
        cols = ", ".join(FTS_COLUMNS)
        new_vals = ", ".join(f"new.{c}" for c in FTS_COLUMNS)
        old_vals = ", ".join(f"old.{c}" for c in FTS_COLUMNS)
        return [
            """CREATE TABLE IF NOT EXISTS search_document (
                id INTEGER PRIMARY KEY,
                kind TEXT NOT NULL,
                object_id TEXT NOT NULL,
                external_id TEXT,
                team_id INTEGER,
                visibility TEXT NOT NULL DEFAULT 'org',
                title TEXT NOT NULL DEFAULT '',
                summary TEXT NOT NULL DEFAULT '',
                keywords TEXT NOT NULL DEFAULT '',
                body TEXT NOT NULL DEFAULT '',
                concepts TEXT NOT NULL DEFAULT '',
                created_at TEXT,
                UNIQUE (kind, object_id)
            )""",
            "CREATE INDEX IF NOT EXISTS search_document_team"
            " ON search_document (team_id, visibility)",
            f"""CREATE VIRTUAL TABLE IF NOT EXISTS search_fts USING fts5(
                {cols}, content='search_document', content_rowid='id',
                tokenize='porter unicode61 remove_diacritics 2')""",
            "CREATE VIRTUAL TABLE IF NOT EXISTS search_fts_vocab USING fts5vocab(search_fts, 'row')",
            f"""CREATE TRIGGER IF NOT EXISTS search_document_ai AFTER INSERT ON search_document
                BEGIN
                    INSERT INTO search_fts(rowid, {cols}) VALUES (new.id, {new_vals});
                END""",
            f"""CREATE TRIGGER IF NOT EXISTS search_document_ad AFTER DELETE ON search_document
                BEGIN
                    INSERT INTO search_fts(search_fts, rowid, {cols})
                    VALUES ('delete', old.id, {old_vals});
                END""",
            f"""CREATE TRIGGER IF NOT EXISTS search_document_au AFTER UPDATE ON search_document
                BEGIN
                    INSERT INTO search_fts(search_fts, rowid, {cols})
                    VALUES ('delete', old.id, {old_vals});
                    INSERT INTO search_fts(rowid, {cols}) VALUES (new.id, {new_vals});
                END""",
            *dense.ddl(vendor),
        ]
    return [
        """CREATE TABLE IF NOT EXISTS search_document (
            id BIGSERIAL PRIMARY KEY,
            kind TEXT NOT NULL,
            object_id TEXT NOT NULL,
            external_id TEXT,
            team_id BIGINT,
            visibility TEXT NOT NULL DEFAULT 'org',
            title TEXT NOT NULL DEFAULT '',
            summary TEXT NOT NULL DEFAULT '',
            keywords TEXT NOT NULL DEFAULT '',
            body TEXT NOT NULL DEFAULT '',
            concepts TEXT NOT NULL DEFAULT '',
            created_at TIMESTAMPTZ,
            search_vector tsvector GENERATED ALWAYS AS (
                setweight(to_tsvector('simple'::regconfig, concepts), 'A')
                || setweight(to_tsvector('english'::regconfig, title), 'A')
                || setweight(to_tsvector('english'::regconfig, keywords), 'B')
                || setweight(to_tsvector('english'::regconfig, summary), 'C')
                || setweight(to_tsvector('english'::regconfig, body), 'D')
            ) STORED,
            UNIQUE (kind, object_id)
        )""",
        "CREATE INDEX IF NOT EXISTS search_document_team ON search_document (team_id, visibility)",
        "CREATE INDEX IF NOT EXISTS search_document_vector ON search_document USING GIN (search_vector)",
        *dense.ddl(vendor),
    ]


def create_schema(cursor: Any, vendor: str) -> None:
    """Run :func:`ddl` on ``cursor``."""
    for stmt in ddl(vendor):
        cursor.execute(stmt)


# --------------------------------------------------------------------------- writes


def _clean(text: str | None) -> str:
    return _CONTROL_RE.sub(" ", text or "")


_LEXICON_ORDER = {c: i for i, c in enumerate(LEXICON)}
_CONCEPT_TOKENS = {c: token_for(c) for c in LEXICON}


def concepts_field(title: str, summary: str, keywords: str, body: str) -> str:
    """The ``concepts`` column: concept tokens, repeated to encode how central they are.

    A concept named in the title/summary/keywords is what the document is *about*
    (weight 2); one only in the body counts 1, or 2 if the body mentions it repeatedly.
    Repetition lets both bm25 and ts_rank see the strength without extra columns.
    """
    head = concept_counts(f"{title}\n{summary}\n{keywords}")
    body_c = concept_counts(body)
    out = []
    # Only the concepts found (in lexicon order): the same tokens as walking the whole lexicon.
    for c in sorted(head.keys() | body_c.keys(), key=_LEXICON_ORDER.__getitem__):
        n = (2 if head.get(c) else 0) + min(2, body_c.get(c, 0))
        n = min(3, n)
        out.extend([_CONCEPT_TOKENS[c]] * n)
    # Emoji and other pictographs, which neither engine's tokenizer keeps (text.symbol_tokens).
    out.extend(symbol_tokens(f"{title}\n{summary}\n{keywords}\n{body}", limit=256))
    return " ".join(out)


def upsert_document(
    cursor: Any,
    vendor: str,
    *,
    kind: str,
    object_id: str | int,
    title: str,
    summary: str = "",
    keywords: str | Iterable[str] = "",
    body: str = "",
    team_id: int | None = None,
    visibility: str = "org",
    external_id: str | None = None,
    created_at: Any = None,
    doc_id: int | None = None,
    embed: bool = True,
) -> int:
    """Insert or update the document for ``(kind, object_id)``; return its id.

    The FTS index follows through triggers (SQLite) or the generated column (PostgreSQL),
    inside the caller's transaction, and so do the document's dense vectors when the dense stage
    is installed (``embed=False`` skips them: bulk seeding). ``doc_id`` gives a new row an explicit id instead of the
    next one in sequence (used for anonymous reports, whose place in a sequence would narrow
    down when they were filed).
    """
    _check_vendor(vendor)
    if not isinstance(keywords, str):
        keywords = ", ".join(keywords)
    title, summary, keywords, body = (_clean(x) for x in (title, summary, keywords, body))
    concepts = concepts_field(title, summary, keywords, body)
    p = placeholder(vendor)
    params = (
        kind,
        str(object_id),
        external_id,
        team_id,
        visibility,
        title,
        summary,
        keywords,
        body,
        concepts,
        created_at,
    )
    id_column = ""
    if doc_id is not None:
        params = (doc_id, *params)
        id_column = "id, "
    sql = (
        f"INSERT INTO search_document ({id_column}kind, object_id, external_id, team_id, visibility,"
        " title, summary, keywords, body, concepts, created_at)"
        f" VALUES ({', '.join([p] * len(params))})"
        " ON CONFLICT (kind, object_id) DO UPDATE SET external_id = excluded.external_id,"
        " team_id = excluded.team_id, visibility = excluded.visibility,"
        " title = excluded.title, summary = excluded.summary, keywords = excluded.keywords,"
        " body = excluded.body, concepts = excluded.concepts, created_at = excluded.created_at"
        " RETURNING id"
    )
    cursor.execute(sql, params)
    new_id = int(cursor.fetchone()[0])
    if embed and dense.enabled():
        # Same cursor, same transaction as the full-text row (learnloop/search/dense.py).
        dense.store(
            cursor, vendor, new_id, dense.encode(dense.chunks(title, summary, keywords, body))
        )
    return new_id


def delete_document(cursor: Any, vendor: str, *, kind: str, object_id: str | int) -> bool:
    """Delete the document for ``(kind, object_id)``; True if one existed."""
    p = placeholder(vendor)
    cursor.execute(
        f"DELETE FROM search_document WHERE kind = {p} AND object_id = {p}", (kind, str(object_id))
    )
    return (cursor.rowcount or 0) > 0


def rebuild(cursor: Any, vendor: str) -> None:
    """Rebuild the full-text index from the table (recovery; normally never needed)."""
    _check_vendor(vendor)
    if vendor == "sqlite":
        cursor.execute("INSERT INTO search_fts(search_fts) VALUES ('rebuild')")
    else:
        cursor.execute("REINDEX INDEX search_document_vector")


def check_integrity(cursor: Any, vendor: str) -> None:
    """Raise if the full-text index and the table disagree (SQLite's FTS5 integrity-check)."""
    _check_vendor(vendor)
    if vendor == "sqlite":
        cursor.execute("INSERT INTO search_fts(search_fts, rank) VALUES ('integrity-check', 1)")


# --------------------------------------------------------------------------- search


@dataclass(frozen=True)
class SearchHit:
    """One search result; ``title_html`` and ``snippet_html`` are escaped, hits in <mark>."""

    id: int
    score: float
    title_html: str
    snippet_html: str


def _marked_to_html(text: str | None) -> str:
    """Escape everything, then turn our private hit markers into <mark> tags."""
    escaped = html.escape(text or "", quote=True)
    return escaped.replace(_MARK_START, "<mark>").replace(_MARK_END, "</mark>")


def _filter_sql(
    visibility_sql: str | None, exclude_ids: Sequence[int], vendor: str
) -> tuple[str, list[Any]]:
    parts: list[str] = []
    params: list[Any] = []
    if visibility_sql:
        parts.append(f"({visibility_sql})")
    if exclude_ids:
        p = placeholder(vendor)
        parts.append(f"d.id NOT IN ({', '.join([p] * len(exclude_ids))})")
        params.extend(int(i) for i in exclude_ids)
    return "".join(f" AND {x}" for x in parts), params


def _query_terms(text: str, concepts: Iterable[str]) -> tuple[list[str], list[str]]:
    return query_words(text), [token_for(c) for c in concepts]


def search(
    cursor: Any,
    vendor: str,
    query: str,
    *,
    visibility_sql: str | None = None,
    visibility_params: Sequence[Any] = (),
    kinds: Sequence[str] | None = None,
    expand_concepts: bool = True,
    limit: int = 20,
    offset: int = 0,
) -> list[SearchHit]:
    """Ranked full-text search for a search box; any user text is safe.

    Words are ORed and ranked by field-weighted bm25 (SQLite) or ts_rank (PostgreSQL);
    with ``expand_concepts`` the query's failure mechanisms are added too, so "cert
    lapsed" also finds "certificate expired". An empty or all-punctuation query returns [].
    """
    _check_vendor(vendor)
    qwords, qconcepts = _query_terms(
        query or "", concept_counts(query or "") if expand_concepts else ()
    )
    # Emoji are searched by their index tokens (text.symbol_tokens); related() leaves them out
    # of its calibrated ranking.
    qconcepts += symbol_tokens(query or "")
    if not qwords and not qconcepts:
        return []
    where, params = _filter_sql(visibility_sql, (), vendor)
    params = list(visibility_params) + params
    if kinds:
        p = placeholder(vendor)
        where += f" AND d.kind IN ({', '.join([p] * len(kinds))})"
        params.extend(kinds)
    limit, offset = max(0, int(limit)), max(0, int(offset))
    if vendor == "sqlite":
        plan = plan_sqlite(cursor, qwords, qconcepts)
        if plan is None:
            return []
        ranked = ranked_ids(cursor, plan, where, params, limit, offset)
        # Snippets only for the page: computing them in the ranking query would make SQLite
        # build one for every matching row before sorting.
        out = []
        marks = [_MARK_START, _MARK_END] * 3
        for doc_id, score in ranked:
            cursor.execute(
                "SELECT highlight(search_fts, 0, ?, ?), CASE WHEN search_fts.body <> ''"
                " THEN snippet(search_fts, 3, ?, ?, '…', 24)"
                " ELSE snippet(search_fts, 1, ?, ?, '…', 24) END FROM search_fts"
                " WHERE search_fts MATCH ? AND rowid = ?",
                [*marks, plan.match, doc_id],
            )
            r = cursor.fetchone() or ("", "")
            out.append(SearchHit(doc_id, score, _marked_to_html(r[0]), _marked_to_html(r[1])))
        return out
    plan = plan_pg(cursor, qwords, qconcepts)
    if plan is None:
        return []
    ranked = pg_scored(cursor, plan, where, params, limit, offset)
    if not ranked:
        return []
    # Headlines for the page only (ts_headline re-parses the text: costly on every match).
    opts = f"StartSel={_MARK_START}, StopSel={_MARK_END}, MaxFragments=2, MaxWords=24, MinWords=8"
    title_opts = f"StartSel={_MARK_START}, StopSel={_MARK_END}, HighlightAll=true"
    cursor.execute(
        "SELECT d.id, ts_headline('english', d.title, %s::tsquery, %s),"
        " ts_headline('english', CASE WHEN d.body <> '' THEN d.body ELSE d.summary END,"
        " %s::tsquery, %s) FROM search_document d WHERE d.id = ANY(%s)",
        [plan.highlight, title_opts, plan.highlight, opts, [i for i, _ in ranked]],
    )
    marked = {int(r[0]): (r[1], r[2]) for r in cursor.fetchall()}
    return [
        SearchHit(i, score, _marked_to_html(marked[i][0]), _marked_to_html(marked[i][1]))
        for i, score in ranked
        if i in marked
    ]


def related(
    cursor: Any,
    vendor: str,
    title: str,
    description: str = "",
    *,
    limit: int = 5,
    visibility_sql: str | None = None,
    visibility_params: Sequence[Any] = (),
    exclude_ids: Sequence[int] = (),
    threshold: float | None = None,
    params: RankingParams | None = None,
) -> list[tuple[int, float, list[str]]]:
    """Past documents about the same failure mechanism as a new report.

    Returns ``[(doc_id, confidence, reasons)]``, best first, only entries whose confidence
    (0..1) reaches the threshold: showing nothing is better than showing weak matches.
    ``reasons`` are short human phrases ("shared mechanism: certificate expiry",
    "shared terms: regex, cpu"). Pass ``threshold=0`` to get every scored candidate.
    """
    _check_vendor(vendor)
    rp = params or RankingParams()
    use_dense = rp.dense and hybrid.available(cursor, vendor)
    default_thr = hybrid.HYBRID_THRESHOLD if use_dense else rp.threshold
    thr = default_thr if threshold is None else threshold
    text = f"{title or ''}\n{description or ''}"
    qcounts = concept_counts(text)
    qwords, qtokens = _query_terms(text, qcounts)
    if not qwords and not qtokens:
        return []
    where, fparams = _filter_sql(visibility_sql, exclude_ids, vendor)
    fparams = list(visibility_params) + fparams
    query_vector = hybrid.embed_query(text) if use_dense else None
    cands = find_candidates(cursor, vendor, qwords, qtokens, where, fparams, rp.candidates)
    if not cands and not use_dense:
        return []
    df, n = concept_df(cursor, vendor, list(qcounts))
    n = max(n, rp.min_idf_docs)
    # Query-side concept mass: specificity prior x idf x (1 + log count).
    qmass = {
        c: mechanisms.weight(c) * _idf(df.get(c, 0), n) * (1.0 + math.log(qcounts[c]))
        for c in qcounts
    }
    # PostgreSQL's ts_rank lives on another scale than bm25; bring it roughly in line.
    lex_scale = 1.0 if vendor == "sqlite" else PG_LEXICAL_SCALE
    qstems = {stem(w) for w in qwords}
    scored = []
    for cand in cands:
        shared = {c: qmass[c] * min(cand.concepts[c], 3) / 3.0 for c in qmass if cand.concepts[c]}
        score = rp.lexical_weight * cand.lexical * lex_scale + sum(shared.values())
        scored.append((score, cand, shared))
    scored.sort(key=lambda x: (-x[0], x[1].id))
    by_id = {cand.id: (cand, shared) for _, cand, shared in scored}
    confs = {cand.id: 1.0 - math.exp(-score / rp.confidence_scale) for score, cand, _ in scored}
    ranked: list[tuple[int, float, float | None]]
    if use_dense:
        ranked = [
            (i, s, cos)
            for i, s, cos in hybrid.blend(cursor, vendor, text, confs, where, fparams, query_vector)
        ]
    else:
        ranked = [(i, c, None) for i, c in confs.items()]  # already in score order
    out = []
    for doc_id, value, cos in ranked:
        conf = round(value, 4)
        if conf < thr:
            continue
        reasons: list[str] = []
        if doc_id in by_id:
            cand, shared = by_id[doc_id]
            # Shared key words, for the reasons only: tokenised for shown results only.
            head = set(tokens(f"{cand.title} {cand.keywords} {cand.summary}"))
            terms = qstems & (head or set(tokens(cand.body_head)))
            reasons = _reasons(shared, terms, qwords)
        if cos is not None and cos >= SIMILAR_DESCRIPTION:
            reasons.append("similar description")
        out.append((doc_id, conf, reasons))
        if len(out) >= limit:
            break
    return out


__all__ = [
    "DEFAULT_CANDIDATES",
    "DEFAULT_THRESHOLD",
    "FTS_COLUMNS",
    "RankingParams",
    "SearchHit",
    "VENDORS",
    "check_integrity",
    "concepts_field",
    "create_schema",
    "ddl",
    "delete_document",
    "placeholder",
    "rebuild",
    "related",
    "search",
    "upsert_document",
    "words",
]
