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
from typing import Any

from . import dense

LEXICAL_WEIGHT = 0.4
DENSE_WEIGHT = 0.6
HYBRID_THRESHOLD = 0.33
DENSE_CANDIDATES = 50


def available(cursor: Any, vendor: str) -> bool:
    """Dense scoring can run: the model is installed and some document has vectors."""
    if not dense.enabled():
        return False
    cursor.execute("SELECT 1 FROM search_vector LIMIT 1")
    return cursor.fetchone() is not None


def blend(
    cursor: Any,
    vendor: str,
    text: str,
    lexical: dict[int, float],
    where: str,
    params: Sequence[Any],
) -> list[tuple[int, float, float]]:
    """``[(doc_id, hybrid score, cosine)]`` for the lexical candidates (``{id: confidence}``)
    and the dense stage's nearest visible documents, best first."""
    query = dense.encode([text])[0]
    near = dense.nearest(cursor, vendor, query, DENSE_CANDIDATES)
    extra = [i for i in near if i not in lexical]
    visible = _visible(cursor, vendor, extra, where, params)
    ids = list(lexical) + [i for i in extra if i in visible]
    vectors = dense.vectors_for(cursor, vendor, ids)
    out = []
    for doc_id in ids:
        lex = lexical.get(doc_id, 0.0)
        vec = vectors.get(doc_id)
        if vec is None:
            out.append((doc_id, lex, 0.0))
            continue
        cos = dense.best_chunk_similarity(query, vec)
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
    cursor.execute(
        f"SELECT d.id FROM search_document d WHERE d.id IN ({', '.join([p] * len(ids))}){where}",
        [*ids, *params],
    )
    return {int(r[0]) for r in cursor.fetchall()}
