"""Vectors stored by an earlier model are never compared with this model's query vectors and
are recomputed by the periodic ``search.reembed_stale`` job (decision 0228)."""

from __future__ import annotations

import numpy as np
import pytest

from learnloop.accounts.models import Team
from learnloop.search import dense, hybrid, index, jobs, sync
from learnloop.tasks.registry import PERIODIC
from learnloop.testing import builders

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not dense.enabled(), reason="dense stage not installed"),
]

EARLIER = "all-MiniLM-L6-v2-int8"  # the packaged file run as float32 products


def stored() -> dict[int, tuple[str, np.ndarray]]:
    with sync.raw_cursor() as cur:
        cur.execute("SELECT doc_id, model, vectors FROM search_vector")
        return {int(d): (m, dense.from_blob(v)) for d, m, v in cur.fetchall()}


def age_every_vector() -> None:
    """Make every stored vector look written by the earlier model (and wrong)."""
    p = index.placeholder(sync.vendor())
    with sync.raw_cursor() as cur:
        cur.execute("SELECT doc_id, vectors FROM search_vector")
        for doc_id, blob in cur.fetchall():
            zeros = dense.to_blob(np.zeros_like(dense.from_blob(blob)))
            cur.execute(
                f"UPDATE search_vector SET model = {p}, vectors = {p} WHERE doc_id = {p}",
                (EARLIER, zeros, doc_id),
            )


def test_vectors_of_an_earlier_model_are_recomputed_by_a_periodic_job(alpha: Team) -> None:
    builders.make_incident(
        alpha, title="TLS certificate expired", description="Every handshake failed at noon."
    )
    builders.make_incident(
        alpha, title="Disk filled up", description="The log volume ran out.", is_anonymous=True
    )
    fresh = stored()
    assert len(fresh) == 2
    assert {model for model, _ in fresh.values()} == {dense.MODEL_ID}
    age_every_vector()
    with sync.raw_cursor() as cur:
        # Only earlier vectors: related suggestions are the lexical ranking alone.
        assert not hybrid.available(cur, sync.vendor())
    assert "search.reembed_stale" in {periodic.name for periodic in PERIODIC}

    assert jobs.reembed_stale(limit=1) == 1
    assert sorted(model for model, _ in stored().values()) == [EARLIER, dense.MODEL_ID]
    assert jobs.reembed_stale() == 1
    again = stored()
    for doc_id, (model, vectors) in again.items():
        assert model == dense.MODEL_ID
        assert np.allclose(vectors, fresh[doc_id][1], atol=1e-5)
    with sync.raw_cursor() as cur:
        assert hybrid.available(cur, sync.vendor())
    assert jobs.reembed_stale() == 0
