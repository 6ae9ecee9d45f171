"""Scoring the blame coach on labelled sentences: the one scorer behind
``benchmarks/blame_eval.py`` and the quality tests (``tests/test_engine.py``,
``tests/test_generalisation.py``).

The definitions are those of ``shared/eval/score-blame.py`` (the benchmark runs it as a
cross-check): the 'blame' class at sentence level; false positives counted separately on the
hard and the easy blameless sentences; per signal, the share of blame sentences carrying it
that were flagged. Pure standard library, like the engine.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

from learnloop.coach.engine import SIGNALS, is_blameful

# First-pass scores of the fresh sets (tests/data/fresh*.jsonl), recorded when each set was
# first scored, before any fix (the honest numbers; see docs/benchmarks.md).
FIRST_PASS = {
    "fresh1": {"precision": 1.000, "recall": 0.686, "f1": 0.814, "hard_fp": "0/54"},
    "fresh2": {"precision": 0.944, "recall": 0.315, "f1": 0.472, "hard_fp": "1/42"},
    "fresh3": {"precision": 0.875, "recall": 0.483, "f1": 0.622, "hard_fp": "2/24"},
    "fresh4": {"precision": 0.978, "recall": 0.570, "f1": 0.720, "hard_fp": "1/53"},
    "fresh5": {"precision": 1.000, "recall": 0.469, "f1": 0.639, "hard_fp": "0/38"},
}
# Sets that have had no fixes since their first pass: fresh5 was written after the round-8
# fixes and has not been tuned on, so it is the best estimate of the held-out score.
UNTUNED = {"fresh5"}


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    """The labelled rows of a JSONL file (``id``, ``text``, ``label``, ``hard``, ``signals``)."""
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]


def rows_from_triples(items: Iterable[tuple[str, bool, bool]]) -> list[dict[str, Any]]:
    """``(text, is_blame, hard)`` triples as labelled rows; the id is the position."""
    return [
        {"id": str(i), "text": t, "label": "blame" if gold else "blameless", "hard": hard}
        for i, (t, gold, hard) in enumerate(items)
    ]


def score(rows: list[dict[str, Any]], flagged: Mapping[str, bool]) -> dict[str, Any]:
    """Precision, recall, F1, hard/easy blameless false-positive rates, hard-blame recall and
    per-signal accuracy of the predictions ``flagged`` (id -> flagged; a missing id counts as
    not flagged) against ``rows``."""
    tp = fp = fn = tn = 0
    hn = hn_fp = en = en_fp = hp = hp_tp = 0
    sig = {s: [0, 0] for s in SIGNALS}
    for r in rows:
        gold = r["label"] == "blame"
        got = flagged.get(r["id"], False)
        tp += gold and got
        fn += gold and not got
        fp += (not gold) and got
        tn += (not gold) and not got
        if not gold:
            if r.get("hard"):
                hn += 1
                hn_fp += got
            else:
                en += 1
                en_fp += got
        else:
            if r.get("hard"):
                hp += 1
                hp_tp += got
            for s in r.get("signals", []):
                sig.setdefault(s, [0, 0])
                sig[s][1] += 1
                sig[s][0] += got
    p = tp / (tp + fp) if tp + fp else 0.0
    rc = tp / (tp + fn) if tp + fn else 0.0
    return {
        "precision": p,
        "recall": rc,
        "f1": 2 * p * rc / (p + rc) if p + rc else 0.0,
        "hard_blameless_fpr": hn_fp / hn if hn else 0.0,
        "hard_fp": (hn_fp, hn),
        "easy_blameless_fpr": en_fp / en if en else 0.0,
        "easy_fp": (en_fp, en),
        "hard_blame_recall": hp_tp / hp if hp else 0.0,
        "hard_tp": (hp_tp, hp),
        "per_signal": {s: (a / b if b else 0.0, a, b) for s, (a, b) in sig.items()},
        "counts": (tp, fp, fn, tn),
    }


def predict(
    rows: list[dict[str, Any]], flag: Callable[[str], bool] = is_blameful
) -> dict[str, bool]:
    """id -> whether ``flag`` (the engine by default) flags the row's text."""
    return {r["id"]: flag(r["text"]) for r in rows}


def score_engine(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """:func:`score` of the engine's predictions on ``rows``."""
    return score(rows, predict(rows))
