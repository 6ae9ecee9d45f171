"""Background work of the search app: dense vectors for documents written in bulk, and for
documents whose vectors came from another model."""

from __future__ import annotations

import datetime as dt

from learnloop.search import dense, index, sync
from learnloop.tasks.registry import job

#: Documents re-embedded per run of ``search.reembed_stale`` (two model runs each: about a
#: minute of one core at most; the rest wait for the next run).
REEMBED_LIMIT = 2000


@job("search.embed")
def embed_documents(doc_ids: list[int]) -> int:
    """The dense vectors of documents ``learnloop import`` wrote without them (decision 0074)."""
    return sync.embed_documents([int(i) for i in doc_ids])


@job("search.reembed_stale", every=dt.timedelta(minutes=10))
def reembed_stale(limit: int = REEMBED_LIMIT) -> int:
    """Recompute the vectors stored under another model id than ``dense.MODEL_ID`` (the
    model's fingerprint: it changes whenever the model's outputs do, decision 0228), oldest
    documents first, ``sync.EMBED_BATCH`` per transaction; return how many. Until then
    related suggestions score those documents lexically: vectors of two models are never
    compared. The ids stay inside this job (an anonymous report's document id is its random
    id and never goes into job arguments)."""
    if not dense.enabled():
        return 0
    done = 0
    while done < limit:
        with sync.raw_cursor() as cur:
            p = index.placeholder(sync.vendor())
            cur.execute(
                f"SELECT doc_id FROM search_vector WHERE model <> {p} ORDER BY doc_id LIMIT {p}",
                (dense.MODEL_ID, min(sync.EMBED_BATCH, limit - done)),
            )
            ids = [int(r[0]) for r in cur.fetchall()]
        written = sync.embed_documents(ids) if ids else 0
        if not written:
            break
        done += written
    return done
