"""Train the blame coach's learned stage (learnloop/coach/engine/learned.py, decision 0223).

A logistic-regression head on the sentence embeddings of the dense stage of related
suggestions (all-MiniLM-L6-v2 int8 ONNX, packaged). Training data:

- ``learnloop/coach/tests/data/implicit_train.jsonl``: sentences written for training
  (never copied from an evaluation set), blame and blameless, many blameless ones the same
  slip told with its condition;
- unlabelled corpus sentences (``../shared/corpus/postmortems``, read in place, never copied)
  that no rule flags, as negatives with a lower weight (a few may be blameful).

Only sentences of the shape the stage reads at run time are used (``learned.undecided``: a
person is in them, no condition, report, timeline stamp or action item), whether or not a rule
flags them (the stage itself only reads those no rule flags). The
threshold is chosen by 5-fold cross-validation, fixed in advance: the lowest threshold whose
pooled out-of-fold false positives are at most 2.5% of all the training file's blameless
sentences (the README's false-positive rate counts every blameless sentence, most of which the
stage never reads) and at most 0.3% of the corpus negatives. Writes ``learnloop/coach/engine/learned_head.json``.

    python benchmarks/train_coach_head.py [--shared ../shared] [--dry-run]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import coach_prose  # noqa: E402

from learnloop.coach.engine import analyse, learned  # noqa: E402
from learnloop.coach.engine.parse import mask  # noqa: E402
from learnloop.search import dense  # noqa: E402

TRAIN = ROOT / "learnloop" / "coach" / "tests" / "data" / "implicit_train.jsonl"
L2 = 0.03
POSITIVE_WEIGHT = 2.0
CORPUS_WEIGHT = 0.3
MAX_TRAIN_FPR = 0.025
MAX_CORPUS_FPR = 0.003
GRID = [round(0.50 + 0.02 * i, 2) for i in range(25)]


def eligible(text: str) -> bool:
    """The stage would read the sentence if no rule flagged it. Sentences the rules flag are
    kept for training (without them too few blame examples are left to learn from); the
    cross-validated figures are reported for those the stage actually reads."""
    return learned.undecided(mask(text), frozenset()) is not None


def fit(x: np.ndarray, y: np.ndarray, w: np.ndarray, l2: float = L2) -> np.ndarray:
    """L2-regularised logistic regression by Newton's method; returns weights + bias."""
    x1 = np.hstack([x, np.ones((len(x), 1))])
    beta = np.zeros(x1.shape[1])
    reg = np.r_[np.full(x.shape[1], l2), 0.0]
    for _ in range(100):
        p = 1.0 / (1.0 + np.exp(-(x1 @ beta)))
        grad = x1.T @ (w * (p - y)) + reg * beta
        hess = (x1 * (w * p * (1 - p))[:, None]).T @ x1 + np.diag(reg)
        step = np.linalg.solve(hess, grad)
        beta -= step
        if np.abs(step).max() < 1e-9:
            break
    return beta


def prob(beta: np.ndarray, x: np.ndarray) -> np.ndarray:
    out: np.ndarray = 1.0 / (1.0 + np.exp(-(x @ beta[:-1] + beta[-1])))
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", default=str(ROOT.parent / "shared"))
    ap.add_argument("--dry-run", action="store_true", help="report, do not write the weights")
    args = ap.parse_args()
    t0 = time.process_time()
    rows = [json.loads(x) for x in TRAIN.read_text(encoding="utf-8").splitlines() if x.strip()]
    train = [r for r in rows if eligible(r["text"])]
    corpus = [
        t
        for _k, t, signals in coach_prose.corpus_sentences(Path(args.shared) / "corpus")
        if not signals and learned.undecided(mask(t), frozenset()) is not None
    ]
    yt = np.array([r["label"] == "blame" for r in train])
    ruled = np.array([bool(analyse(r["text"])) for r in train])
    xt, xc = dense.encode([r["text"] for r in train]), dense.encode(corpus)
    print(
        f"training sentences {len(rows)}, read by the stage {len(train)}"
        f" ({int(yt.sum())} blame); corpus negatives {len(corpus)}"
    )
    rng = np.random.default_rng(18)
    ft, fc = rng.integers(0, 5, len(train)), rng.integers(0, 5, len(corpus))
    pt, pc = np.zeros(len(train)), np.zeros(len(corpus))
    for k in range(5):
        x = np.vstack([xt[ft != k], xc[fc != k]])
        y = np.r_[yt[ft != k], np.zeros(int((fc != k).sum()))].astype(float)
        w = np.r_[
            np.where(yt[ft != k], POSITIVE_WEIGHT, 1.0),
            np.full(int((fc != k).sum()), CORPUS_WEIGHT),
        ]
        beta = fit(x, y, w)
        pt[ft == k], pc[fc == k] = prob(beta, xt[ft == k]), prob(beta, xc[fc == k])
    n_neg = int((~yt).sum())
    all_neg = sum(r["label"] != "blame" for r in rows)
    chosen = GRID[-1]
    for t in GRID:
        if ((pt >= t) & ~yt).sum() <= MAX_TRAIN_FPR * all_neg and (
            pc >= t
        ).sum() <= MAX_CORPUS_FPR * len(corpus):
            chosen = t
            break
    left = ~ruled
    for t in GRID[::3]:
        print(
            f"  t={t}: recall {int(((pt >= t) & yt).sum())}/{int(yt.sum())}"
            f" (of those no rule flags: {int(((pt >= t) & yt & left).sum())}/{int((yt & left).sum())}),"
            f" training FP {int(((pt >= t) & ~yt).sum())}/{n_neg}, corpus FP {int((pc >= t).sum())}"
        )
    cv_tp = int(((pt >= chosen) & yt & left).sum())
    cv_fp = int(((pt >= chosen) & ~yt).sum())
    cv_cfp = int((pc >= chosen).sum())
    print(
        f"threshold {chosen} (5-fold CV): blame no rule flags, caught {cv_tp}/{int((yt & left).sum())},"
        f" false positives {cv_fp}/{n_neg} training blameless it reads ({all_neg} in all),"
        f" {cv_cfp}/{len(corpus)} corpus"
    )
    x = np.vstack([xt, xc])
    y = np.r_[yt, np.zeros(len(corpus))].astype(float)
    w = np.r_[np.where(yt, POSITIVE_WEIGHT, 1.0), np.full(len(corpus), CORPUS_WEIGHT)]
    beta = fit(x, y, w)
    head = {
        "model": dense.MODEL_ID,
        "trained_on": {
            "training_sentences": len(train),
            "blame": int(yt.sum()),
            "corpus_negatives": len(corpus),
        },
        "l2": L2,
        "threshold": chosen,
        "cv": {
            "recall_of_rule_misses": [cv_tp, int((yt & left).sum())],
            "fp": [cv_fp, n_neg],
            "corpus_fp": [cv_cfp, len(corpus)],
        },
        "bias": round(float(beta[-1]), 6),
        "weights": [round(float(v), 6) for v in beta[:-1]],
    }
    print(f"{time.process_time() - t0:.1f} s CPU")
    if not args.dry_run:
        learned.WEIGHTS.write_text(json.dumps(head) + "\n", encoding="utf-8")
        print(f"wrote {learned.WEIGHTS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
