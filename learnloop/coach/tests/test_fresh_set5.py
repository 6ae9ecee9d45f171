"""Fresh set 5 (issue 18, round 5): 150 sentences in ten domains that no earlier set, the dev
set or any training file uses, written and committed before any round-13 engine change.

Until its first score it is only checked for shape and separation; no item's result is read.
"""

from __future__ import annotations

import difflib
from pathlib import Path

from learnloop.coach.evaluation import read_jsonl

ROOT = Path(__file__).resolve().parents[3]
DATA = ROOT / "benchmarks" / "data"
TRAIN_DIR = Path(__file__).parent / "data"
FRESH_EVAL5 = DATA / "coach_fresh_eval5.jsonl"
EARLIER = [DATA / f"coach_fresh_eval{n}.jsonl" for n in ("", "2", "3", "4")]
EARLIER += sorted(TRAIN_DIR.glob("*.jsonl"))


def test_fresh_set_5_is_well_formed_and_kept_apart() -> None:
    rows = read_jsonl(FRESH_EVAL5)
    assert len(rows) == 150 and len({r["id"] for r in rows}) == 150
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
