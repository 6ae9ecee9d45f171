"""Background work of the search app: dense vectors for documents written in bulk."""

from __future__ import annotations

from learnloop.search import sync
from learnloop.tasks.registry import job


@job("search.embed")
def embed_documents(doc_ids: list[int]) -> int:
    """The dense vectors of documents ``learnloop import`` wrote without them (decision 0074)."""
    return sync.embed_documents([int(i) for i in doc_ids])
