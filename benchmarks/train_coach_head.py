"""Train the blame coach's learned stage (learnloop/coach/engine/learned.py, decision 0227).

A logistic-regression head on the sentence embeddings of the dense stage of related
suggestions (all-MiniLM-L6-v2 int8 ONNX, packaged) plus four 0/1 features of the parse
(``learned.features``: the actor in the first clause, a condition, a standing consequence,
harm in plain words). Training data (decision 0227): every
labelled sentence written for the coach except the dev set, which stays a check (since round
14, decision 0229, fresh set 5 is training material too; since round 16, sets 6 and 7;
since round 17, set 8; since round 18, set 9 and the sixth blind training file):

- the training files ``learnloop/coach/tests/data/implicit_train*.jsonl`` (written for
  training, in domains no evaluation set uses; the third file, round 13, holds the same
  event told with blame and with its conditions in ten more domains; the fourth, round 14,
  ten more domains with neutral accounts of people at work and factual questions as hard
  negatives; the fifth, round 16, twelve more; ``implicit_train6a``-``6e``, round 17,
  decision 0242: five files of 480 sentences (216 blame, 264 blameless, mostly hard), each
  in twelve more domains, written by five engineers who never read or ran the coach);
- the fresh sets ``learnloop/coach/tests/data/fresh1-5.jsonl`` and issue 18's sets 1-9
  (``benchmarks/data/coach_fresh_eval{,2,...,9}.jsonl``; sets 6 and 7 since round 16, decision
  0237, set 8 since round 17, decision 0242, set 9 since round 18, decision 0249): all of them
  have been read and tuned on, so they are training material now;
- ``benchmarks/data/coach_train6f_unused.jsonl`` (round 18, decision 0249): the sixth blind
  training file, which came after round 17's runs;
- unlabelled corpus sentences (``../shared/corpus/postmortems``, read in place, never
  copied) that no rule flags, as negatives (a few may be blameful).

Only sentences of the shape the stage reads at run time are used (no rule flags them and
``learned.undecided`` accepts them). Everything is chosen by cross-validation on this
material, with rules fixed in advance:

- leave-one-set-out: each labelled file is held out in turn (and the same share of the corpus),
  the head is trained on the rest, and the held-out file is scored with the rules plus the
  head; this is the estimate for a set nobody tuned on;
- the threshold is the lowest (grid 0.30-0.99) whose pooled out-of-fold false positives are
  at most 1% of all labelled blameless sentences and at most 0.3% of the corpus negatives;
- L2 from a small grid: the highest pooled out-of-fold F1 of rules + head at that threshold.

Writes ``learnloop/coach/engine/learned_head.json``: the head on main is round 18's (25 files,
decision 0249); use ``--dry-run`` to read the cross-validation only.

    python benchmarks/train_coach_head.py [--shared ../shared] [--dry-run] [--why]
        [--dump FILE] [--learn-from-unflagged]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import coach_prose  # noqa: E402

from learnloop.coach.engine import analyse, learned  # noqa: E402
from learnloop.coach.engine.checks.conditions import COND_AFTER  # noqa: E402
from learnloop.coach.engine.exemptions import _ACTION, _CLAIM  # noqa: E402
from learnloop.coach.engine.quotes import mask  # noqa: E402
from learnloop.coach.engine.sentence import Sentence  # noqa: E402
from learnloop.search import dense  # noqa: E402

DATA = ROOT / "learnloop" / "coach" / "tests" / "data"
BENCH = ROOT / "benchmarks" / "data"
TRAIN_FILES = (
    *sorted(DATA.glob("implicit_train*.jsonl")),
    *sorted(DATA.glob("fresh[1-5].jsonl")),
    *(BENCH / f"coach_fresh_eval{n}.jsonl" for n in ("", "2", "3", "4", "5", "6", "7", "8", "9")),
    BENCH / "coach_train6f_unused.jsonl",
)
POSITIVE_WEIGHT = 2.0
CORPUS_WEIGHT = 1.0
L2_GRID = (0.03, 0.1, 0.3)
MAX_FP_SHARE = 0.01
MAX_CORPUS_FPR = 0.003
GRID = [round(0.30 + 0.01 * i, 2) for i in range(70)]


def eligible(text: str) -> bool:
    """The stage would read the sentence if no rule flagged it."""
    return learned.undecided(mask(text), frozenset(), text) is not None


def gate_reason(text: str) -> str:
    """Why the stage would not read ``text`` (the first check of ``learned.undecided`` that
    keeps it out), or "read" (``--why``, decision 0229's error analysis)."""
    raw = mask(text)
    if raw != text:
        return "quoted words"
    if not learned._MIN_WORDS <= len(raw.split()) <= learned._MAX_WORDS:
        return "length"
    checks = (
        ("timeline or clock time", (learned._TIMELINE, learned._CLOCK)),
        ("action item", (_ACTION,)),
        ("blame vocabulary or negation", (learned._LABEL,)),
        ("not a verdict (raised, perceived, intent, metric ...)", (learned._NOT_A_VERDICT,)),
        ("someone else's claim", (_CLAIM,)),
        ("question", (learned._QUESTION,)),
        ("condition or plan", (learned._CONDITION, COND_AFTER)),
        ('"would have"', (learned._WOULD_HAVE,)),
    )
    cond = learned._without_blame_context(raw, Sentence(raw, frozenset()))
    for why, patterns in checks:
        if any(p.search(cond if why == "condition or plan" else raw) for p in patterns):
            return why
    return "read" if eligible(text) else "no person found, or reported"


@dataclass
class Material:
    """Labelled sentences as the stage sees them, and the corpus negatives with their folds."""

    #: ``text``, ``blame``, ``hard``, ``group`` (the file's stem), ``rules`` (a rule flags it),
    #: ``gate`` (no rule flags it and the stage would read it).
    rows: list[dict[str, Any]]
    #: Corpus sentences no rule flags that the stage would read (negatives).
    corpus: list[str]
    #: Each corpus sentence's fold (seed 18).
    corpus_fold: np.ndarray

    def column(self, key: str) -> np.ndarray:
        return np.array([r[key] for r in self.rows])


def load(files: Iterable[Path], shared: Path, folds: int | None = None) -> Material:
    """The one loader of the learned stage's training scripts (this one and
    ``train_coach_reader.py``): every sentence of the JSON-lines ``files``, the rules' and the
    gate's view of each, and the corpus negatives under ``shared``, each given one of ``folds``
    folds (default: one per file that has sentences)."""
    rows: list[dict[str, Any]] = []
    for path in files:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                r = json.loads(line)
                rows.append(
                    {
                        "text": r["text"],
                        "blame": r["label"] == "blame",
                        "hard": bool(r.get("hard")),
                        "group": path.stem,
                    }
                )
    for r in rows:
        r["rules"] = bool(analyse(r["text"], learned=False))
        r["gate"] = not r["rules"] and eligible(r["text"])
    corpus = [
        t
        for _k, t, signals in coach_prose.corpus_sentences(shared / "corpus", learned=False)
        if not signals and eligible(t)
    ]
    if folds is None:
        folds = len(dict.fromkeys(r["group"] for r in rows))
    fold_c = np.random.default_rng(18).integers(0, folds, len(corpus))
    return Material(rows, corpus, fold_c)


def embedded(
    texts: list[str], gate: np.ndarray, corpus: list[str]
) -> tuple[np.ndarray, np.ndarray]:
    """The stage's input (``learned.vectors``) for the sentences it reads (zeros for the rest)
    and for the corpus negatives."""
    x = np.zeros((len(texts), dense.DIMS + learned.N_FEATURES))
    x[gate] = learned.vectors([t for t, g in zip(texts, gate, strict=True) if g])
    return x, learned.vectors(corpus)


def out_of_fold(
    x: np.ndarray,
    xc: np.ndarray,
    y: np.ndarray,
    gate: np.ndarray,
    fold: np.ndarray,
    fold_c: np.ndarray,
    folds: int,
    l2: float,
    learn: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Each of ``folds`` folds' sentences (those the stage reads) and corpus negatives scored by
    a head trained on the other folds' ``learn`` sentences (default: those the stage reads):
    the out-of-fold probabilities of both."""
    learn = gate if learn is None else learn
    p, pc = np.zeros(len(y)), np.zeros(len(xc))
    for i in range(folds):
        beta = train(x[learn & (fold != i)], y[learn & (fold != i)], xc[fold_c != i], l2)
        p[(fold == i) & gate] = prob(beta, x[(fold == i) & gate])
        pc[fold_c == i] = prob(beta, xc[fold_c == i])
    return p, pc


def fit(x: np.ndarray, y: np.ndarray, w: np.ndarray, l2: float) -> np.ndarray:
    """L2-regularised logistic regression by Newton's method; returns weights + bias."""
    x1 = np.hstack([x, np.ones((len(x), 1))])
    beta = np.zeros(x1.shape[1])
    reg = np.r_[np.full(x.shape[1], l2), 0.0]
    for _ in range(30):
        p = 1.0 / (1.0 + np.exp(-(x1 @ beta)))
        grad = x1.T @ (w * (p - y)) + reg * beta
        hess = (x1 * (w * p * (1 - p))[:, None]).T @ x1 + np.diag(reg)
        step = np.linalg.solve(hess, grad)
        beta -= step
        if np.abs(step).max() < 1e-6:
            break
    return beta


def prob(beta: np.ndarray, x: np.ndarray) -> np.ndarray:
    out: np.ndarray = 1.0 / (1.0 + np.exp(-(x @ beta[:-1] + beta[-1])))
    return out


def train(xt: np.ndarray, yt: np.ndarray, xc: np.ndarray, l2: float) -> np.ndarray:
    x = np.vstack([xt, xc])
    y = np.r_[yt, np.zeros(len(xc))].astype(float)
    w = np.r_[np.where(yt, POSITIVE_WEIGHT, 1.0), np.full(len(xc), CORPUS_WEIGHT)]
    return fit(x, y, w, l2)


def prf(y: np.ndarray, pred: np.ndarray, hard: np.ndarray) -> dict[str, Any]:
    tp, fp = int((pred & y).sum()), int((pred & ~y).sum())
    fn = int((~pred & y).sum())
    p, r = tp / max(tp + fp, 1), tp / max(tp + fn, 1)
    return {
        "precision": round(p, 3),
        "recall": round(r, 3),
        "f1": round(2 * p * r / max(p + r, 1e-9), 3),
        "hard_fp": [int((pred & ~y & hard).sum()), int((~y & hard).sum())],
    }


def dump(
    path: Path,
    rows: list[dict[str, Any]],
    y: np.ndarray,
    pred: np.ndarray,
    rules: np.ndarray,
    gate: np.ndarray,
) -> None:
    """``--dump``: each out-of-fold miss and false positive, with why (round 16)."""
    with path.open("w", encoding="utf-8") as out:
        for r, yi, pi, ri, gi in zip(rows, y, pred, rules, gate, strict=True):
            if yi != pi:
                why = "read" if gi else gate_reason(r["text"])
                kind = "miss" if yi else ("fp-rules" if ri else "fp-head")
                out.write(json.dumps({**r, "kind": kind, "why": why}) + "\n")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", default=str(ROOT.parent / "shared"))
    ap.add_argument("--dry-run", action="store_true", help="report, do not write the weights")
    ap.add_argument(
        "--why", action="store_true", help="break the out-of-fold misses and false positives down"
    )
    ap.add_argument("--dump", help="write each out-of-fold miss and false positive (JSONL)")
    ap.add_argument(
        "--learn-from-unflagged",
        action="store_true",
        help="train on every labelled sentence no rule flags, not only those the stage reads"
        " (it still scores only those; round 17's configuration C1, decision 0242, not adopted)",
    )
    args = ap.parse_args()
    t0 = time.process_time()
    data = load(TRAIN_FILES, Path(args.shared))
    rows, corpus, fold_c = data.rows, data.corpus, data.corpus_fold
    y, hard, group = data.column("blame"), data.column("hard"), data.column("group")
    rules, gate = data.column("rules"), data.column("gate")
    if not corpus:
        print(f"no corpus sentences under {args.shared}/corpus", file=sys.stderr)
        return 2
    learn = ~rules if args.learn_from_unflagged else gate
    x, xc = embedded([r["text"] for r in rows], learn, corpus)
    names = list(dict.fromkeys(group.tolist()))
    fold = np.array([names.index(g) for g in group.tolist()])
    print(
        f"labelled sentences {len(rows)} in {len(names)} files ({int(y.sum())} blame); the"
        f" stage reads {int(gate.sum())} ({int((gate & y).sum())} blame) of those no rule"
        f" flags; corpus negatives {len(corpus)}"
    )
    n_neg = int((~y).sum())
    best: tuple[float, int, float, float, np.ndarray] | None = None
    for l2 in L2_GRID:
        p, pc = out_of_fold(x, xc, y, gate, fold, fold_c, len(names), l2, learn)
        t = next(
            (
                t
                for t in GRID
                if int((gate & ~y & (p >= t)).sum()) <= MAX_FP_SHARE * n_neg
                and int((pc >= t).sum()) <= MAX_CORPUS_FPR * len(corpus)
            ),
            GRID[-1],
        )
        pred = rules | (gate & (p >= t))
        m = prf(y, pred, hard)
        print(
            f"  L2 {l2}: threshold {t}; leave-one-set-out rules + head P {m['precision']}"
            f" R {m['recall']} F1 {m['f1']} hard FP {m['hard_fp'][0]}/{m['hard_fp'][1]};"
            f" corpus FP {int((pc >= t).sum())}/{len(corpus)}"
        )
        if best is None or (m["f1"], -m["hard_fp"][0]) > (best[0], -best[1]):
            best = (m["f1"], m["hard_fp"][0], l2, t, pred)
    assert best is not None
    _f1, _hfp, l2, chosen, pred = best
    per_set = {
        name: {"rules": prf(y[group == name], rules[group == name], hard[group == name])}
        | {"rules_and_head": prf(y[group == name], pred[group == name], hard[group == name])}
        for name in names
    }
    pooled = {"rules": prf(y, rules, hard), "rules_and_head": prf(y, pred, hard)}
    print(f"chosen: L2 {l2}, threshold {chosen}")
    print("| file (held out) | rules F1 | rules + head: P | R | F1 | hard FP |")
    print("|---|---|---|---|---|---|")
    for name, m in [*per_set.items(), ("pooled", pooled)]:
        a, b = m["rules"], m["rules_and_head"]
        print(
            f"| {name} | {a['f1']} | {b['precision']} | {b['recall']} | {b['f1']}"
            f" | {b['hard_fp'][0]}/{b['hard_fp'][1]} |"
        )
    if args.why:
        why: dict[str, int] = {}
        for r, yi, pi, ri, gi in zip(rows, y, pred, rules, gate, strict=True):
            if yi and not pi:
                key = "missed: " + ("read, below the threshold" if gi else gate_reason(r["text"]))
            elif pi and not yi:
                key = f"false positive ({'hard' if r['hard'] else 'easy'}): " + (
                    "rules" if ri else "head"
                )
            else:
                continue
            why[key] = why.get(key, 0) + 1
        for key, n in sorted(why.items(), key=lambda kv: (kv[0][:6], -kv[1])):
            print(f"  {n:4d}  {key}")
    if args.dump:
        dump(Path(args.dump), rows, y, pred, rules, gate)
    beta = train(x[learn], y[learn], xc, l2)
    head = {
        "model": dense.MODEL_ID,
        "features": learned.N_FEATURES,
        "trained_on": {
            "labelled_sentences": len(rows),
            "read_by_the_stage": int(gate.sum()),
            "blame": int((gate & y).sum()),
            "corpus_negatives": len(corpus),
        },
        "l2": l2,
        "threshold": chosen,
        "cv_leave_one_set_out": {"pooled": pooled, "per_set": per_set},
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
