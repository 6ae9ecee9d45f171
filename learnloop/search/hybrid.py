"""Hybrid related ranking: the lexical confidence blended with dense similarity.

The one scoring path of ``index.related`` when the dense stage is available
(``dense.enabled()`` and the index holds vectors)::

    candidates = lexical candidates (bm25 + shared mechanisms, index.related)
               | the DENSE_CANDIDATES documents nearest to the query's embedding
    score(doc) = LEXICAL_WEIGHT * lexical confidence(doc) + DENSE_WEIGHT * cosine(doc)
    shown      = score >= HYBRID_THRESHOLD, best first

``cosine`` is the query embedding against the document's best stored chunk; a candidate
found only by the dense stage has lexical confidence 0; a document without vectors (indexed
before the dense stage, or bulk-seeded) is scored by its lexical confidence alone. The
weights and the threshold were chosen on the dev set (docs/search.md, docs/benchmarks.md);
the threshold sits in the gap between the best score of the dev queries the corpus does not
cover (0.30 at most) and the lowest top score of a covered query (0.38), nearer the uncovered
side, so that a query with a good answer is not left empty.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from . import dense

LEXICAL_WEIGHT = 0.4
DENSE_WEIGHT = 0.6
HYBRID_THRESHOLD = 0.33
DENSE_CANDIDATES = 50


def available(cursor: Any, vendor: str) -> bool:
    """Dense scoring can run: the model is installed and some document has vectors of this
    model (vectors of an earlier model wait for ``search.reembed_stale``, decision 0228)."""
    if not dense.enabled():
        return False
    p = "?" if vendor == "sqlite" else "%s"
    cursor.execute(f"SELECT 1 FROM search_vector WHERE model = {p} LIMIT 1", (dense.MODEL_ID,))
    return cursor.fetchone() is not None


_pool: ThreadPoolExecutor | None = None


def embed_query(text: str) -> Future[Any]:
    """Start embedding the query on a worker thread, so that the model (which releases the
    GIL) runs while the lexical stage queries the database; :func:`blend` waits for it."""
    global _pool
    if _pool is None:
        _pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="dense-query")
    return _pool.submit(lambda: dense.encode([text], query=True)[0])


def blend(
    cursor: Any,
    vendor: str,
    text: str,
    lexical: dict[int, float],
    where: str,
    params: Sequence[Any],
    query_vector: Future[Any] | None = None,
) -> list[tuple[int, float, float]]:
    """``[(doc_id, hybrid score, cosine)]`` for the lexical candidates (``{id: confidence}``)
    and the dense stage's nearest visible documents, best first. ``query_vector`` is the
    :func:`embed_query` of ``text`` when it was started earlier."""
    future = query_vector or embed_query(text)
    query = future.result()
    near = dense.nearest(cursor, vendor, query, DENSE_CANDIDATES)
    extra = [i for i in near if i not in lexical]
    visible = _visible(cursor, vendor, extra, where, params)
    ids = list(lexical) + [i for i in extra if i in visible]
    cosines = dense.best_chunk_similarities(query, dense.vectors_for(cursor, vendor, ids), ids)
    out = []
    for doc_id, cos in zip(ids, cosines, strict=True):
        lex = lexical.get(doc_id, 0.0)
        if cos != cos:  # nan: no vectors, scored by its lexical confidence alone
            out.append((doc_id, lex, 0.0))
        else:
            out.append((doc_id, LEXICAL_WEIGHT * lex + DENSE_WEIGHT * cos, cos))
    out.sort(key=lambda x: (-x[1], x[0]))
    return out


def _visible(
    cursor: Any, vendor: str, ids: list[int], where: str, params: Sequence[Any]
) -> set[int]:
    """Those of ``ids`` the caller may see (the same filter as the lexical stage)."""
    if not ids:
        return set()
    p = "?" if vendor == "sqlite" else "%s"
    # SQLite: NOT INDEXED keeps the rowid lookups but stops the planner from walking the team
    # index for the visibility condition (13 ms instead of 1 ms at 100,000 documents).
    hint = " NOT INDEXED" if vendor == "sqlite" else ""
    cursor.execute(
        f"SELECT d.id FROM search_document d{hint}"
        f" WHERE d.id IN ({', '.join([p] * len(ids))}){where}",
        [*ids, *params],
    )
    return {int(r[0]) for r in cursor.fetchall()}
