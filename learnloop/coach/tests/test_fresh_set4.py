"""Fresh set 4 (issue 18, round 4): 120 sentences in ten domains that no earlier set, the dev
set or any training file uses, written and committed before any round-12 engine change.

Until its first score it is only checked for shape and separation; no item's result is read.
"""

from __future__ import annotations

import difflib
from pathlib import Path

from learnloop.coach.evaluation import read_jsonl

ROOT = Path(__file__).resolve().parents[3]
DATA = ROOT / "benchmarks" / "data"
TRAIN_DIR = Path(__file__).parent / "data"
FRESH_EVAL4 = DATA / "coach_fresh_eval4.jsonl"
EARLIER = [DATA / f"coach_fresh_eval{n}.jsonl" for n in ("", "2", "3")]
EARLIER += sorted(TRAIN_DIR.glob("*.jsonl"))


def test_fresh_set_4_is_well_formed_and_kept_apart() -> None:
    rows = read_jsonl(FRESH_EVAL4)
    assert len(rows) == 120 and len({r["id"] for r in rows}) == 120
    domains = {r["domain"] for r in rows}
    assert len(domains) == 10
    earlier = [r for path in EARLIER for r in read_jsonl(path)]
    assert not domains & {r.get("domain") for r in earlier}
    blame = [r for r in rows if r["label"] == "blame"]
    blameless = [r for r in rows if r["label"] == "blameless"]
    assert len(blame) + len(blameless) == len(rows)
    assert 0.40 <= len(blame) / len(rows) <= 0.50
    assert sum(r["hard"] for r in blameless) >= 0.7 * len(blameless)
    assert all(r["signals"] for r in blame) and not any(r["signals"] for r in blameless)
    # No near-paraphrase of an earlier set or a training sentence: word-level difflib ratio
    # (the character-level check, ratio > 0.7, was run when the set was written).
    earlier_words = [r["text"].lower().split() for r in earlier]
    for r in rows:
        m = difflib.SequenceMatcher(None, b=r["text"].lower().split())
        close = []
        for words in earlier_words:
            m.set_seq1(words)
            if m.real_quick_ratio() > 0.6 and m.quick_ratio() > 0.6 and m.ratio() > 0.6:
                close.append(" ".join(words))
        assert not close, (r["id"], close)


#: First score with the round-12 rules (2026-12-04, commit 6732c9f = main 89898d1): P 0.929,
#: R 0.481, F1 0.634, hard FP 2/47 (when the set was written, main 74ad754: F1 0.545, hard FP
#: 2/47). A floor against regressions, not an estimate after any later change.
FRESH_EVAL4_FLOORS = {"precision": 0.90, "f1": 0.62, "hard_blameless_fpr": 0.043}


def test_fresh_set_4_stays_above_its_first_score() -> None:
    from learnloop.coach.evaluation import score_engine

    m = score_engine(read_jsonl(FRESH_EVAL4))
    assert m["precision"] >= FRESH_EVAL4_FLOORS["precision"], m
    assert m["f1"] >= FRESH_EVAL4_FLOORS["f1"], m
    assert m["hard_blameless_fpr"] <= FRESH_EVAL4_FLOORS["hard_blameless_fpr"], m
