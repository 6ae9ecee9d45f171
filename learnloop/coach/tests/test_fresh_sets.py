"""The fresh evaluation sets of issue 18 that are still kept apart: each was written in ten
domains no earlier set, the dev set or any training file uses, and committed before the engine
change it was then scored on once (set 4: round 12; set 5: round 13; set 6: round 14; set 7: round 14 again, while round 15
was tried apart and not adopted; set 8: round 16; set 9: round 16, as round 17 changed no
engine code; set 10: round 18; set 11: round 19; sets 12 and 13: round 20).

Each is checked for shape and separation, and its first score is a floor against regressions.
"""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest

from learnloop.coach.evaluation import read_jsonl

ROOT = Path(__file__).resolve().parents[3]
DATA = ROOT / "benchmarks" / "data"
TRAIN_DIR = Path(__file__).parent / "data"
#: Set number -> its size and the floors taken from its first score.
FRESH_SETS = {
    # First score with the round-12 rules (2026-12-04, commit 6732c9f = main 89898d1): P 0.929,
    # R 0.481, F1 0.634, hard FP 2/47 (when the set was written, main 74ad754: F1 0.545, hard
    # FP 2/47).
    4: (120, {"precision": 0.90, "f1": 0.62, "hard_blameless_fpr": 0.043}),
    # First score with the round-13 engine, the product's coach (rules + learned stage, commit
    # ad5e304, 2026-12-04 21:39 UTC): P 0.880, R 0.647, F1 0.746, hard FP 6/62 (rules alone: P
    # 0.905, R 0.559, F1 0.691, hard FP 4/62, the same as when the set was written). The head
    # retrained on decision 0228's model vectors (same script and rules) reads P 0.900, F1
    # 0.763, hard FP 5/62.
    5: (150, {"precision": 0.88, "f1": 0.74, "hard_blameless_fpr": 0.097}),
    # Written by an engineer who never read or ran the coach, sealed outside the repository
    # (sha256 recorded in 5ccb249) while round 14 was made without it, committed after round 14
    # landed (86f5cc9) and scored once (2026-12-05 00:15 UTC): the product's coach P 0.951,
    # R 0.644, F1 0.768, hard FP 3/83 (rules alone F1 0.699, 3/83; round 13 when sealed: F1
    # 0.776, 3/83).
    6: (200, {"precision": 0.95, "f1": 0.76, "hard_blameless_fpr": 0.037}),
    # Written by an engineer who never read or ran the coach, sealed outside the repository
    # (sha256 recorded in 82562be) while round 15 (decision 0233) was made without it; round 14
    # on main scored once (2026-12-05 03:42 UTC): the product's coach P 0.915, R 0.600, F1
    # 0.725, hard FP 5/80 (rules alone F1 0.667, 4/80). Round 15's reader was not adopted.
    7: (200, {"precision": 0.91, "f1": 0.72, "hard_blameless_fpr": 0.063}),
    # Written blind by an engineer who never read or ran the coach, sealed outside the
    # repository (sha256 recorded in 95eabc6) while round 16 (decision 0237) was made without
    # it. Round 14 on main scored once at 21:31 UTC (F1 0.770, hard FP 1/85); round 16, once
    # it had landed (6b59661), scored once at 22:21 UTC: the product's coach P 0.984, R 0.667,
    # F1 0.795, hard FP 1/85 (rules alone F1 0.762, 1/85).
    8: (200, {"precision": 0.98, "f1": 0.79, "hard_blameless_fpr": 0.012}),
    # Written blind (2026-12-06, 00:26-01:07 UTC) and sealed outside the repository (sha256
    # 3dc5ce1b...) while round 17 (decision 0242, no engine change) was made without it; round
    # 16 on main (4b68b13) scored once at 01:08 UTC: the product's coach P 0.982, R 0.622, F1
    # 0.762, hard FP 1/85 (rules alone F1 0.709, 1/85).
    9: (200, {"precision": 0.98, "f1": 0.76, "hard_blameless_fpr": 0.012}),
    # Written blind (2026-12-06, 03:35-03:39 UTC; 20 near-paraphrases of earlier items reworded
    # by another engineer by 04:01) and sealed outside the repository (sha256 3e57efe3...)
    # while round 18 (decision 0249) was made without it; round 18 on main (1b2548e) scored
    # once at 04:02 UTC: the product's coach P 0.967, R 0.656, F1 0.781, hard FP 2/85 (rules
    # alone F1 0.686, 2/85); round 17's engine (9343149) read F1 0.760, hard FP 2/85.
    10: (200, {"precision": 0.96, "f1": 0.78, "hard_blameless_fpr": 0.024}),
    # Written blind (2026-12-06, 07:02-07:20 UTC; 4 near-paraphrases of earlier items reworded
    # by the writer) and sealed outside the repository (sha256 2f9315af...) while round 19
    # (decision 0251, the fine-tuned reader) was made without it; round 19 (reader 72d920f1...)
    # scored once at 08:19 UTC: the product's coach P 0.940, R 0.867, F1 0.902, hard FP 5/85
    # (rules alone F1 0.776, 3/85); round 18's engine, read afterwards: F1 0.838, 3/85.
    11: (200, {"precision": 0.93, "f1": 0.90, "hard_blameless_fpr": 0.059}),
    # Written blind (2026-12-06, 10:00-10:21 UTC; 11 near-paraphrases of earlier items reworded
    # by the writer) and sealed outside the repository (sha256 3c789b4f..., recorded in c966bd6)
    # while round 20 (decision 0256) was made without it; round 20 (reader a0099d95..., commit
    # 977fb5f) scored once at 10:54 UTC: the product's coach P 0.962, R 0.833, F1 0.893, hard
    # FP 3/85 (rules alone F1 0.690, 3/85); round 19's reader, read afterwards: F1 0.894, 4/85.
    12: (200, {"precision": 0.96, "f1": 0.89, "hard_blameless_fpr": 0.036}),
    # Written blind (2026-12-06, 10:58-11:00 UTC; 6 near-paraphrases reworded by the writer) and
    # sealed outside the repository (sha256 fe8a6779...) while round 21 (decision 0257, not
    # adopted) was made without it; round 20 on main (726b8d7, reader a0099d95...) scored once
    # at 11:40 UTC: the product's coach P 0.953, R 0.900, F1 0.926, hard FP 4/85 (rules alone
    # F1 0.743, 3/85); round 21's reader, read afterwards: F1 0.913, 4/85.
    13: (200, {"precision": 0.95, "f1": 0.92, "hard_blameless_fpr": 0.048}),
}


def _path(number: int) -> Path:
    return DATA / f"coach_fresh_eval{number if number > 1 else ''}.jsonl"


@pytest.mark.parametrize("number", sorted(FRESH_SETS))
def test_a_fresh_set_is_well_formed_and_kept_apart(number: int) -> None:
    size, _ = FRESH_SETS[number]
    rows = read_jsonl(_path(number))
    assert len(rows) == size and len({r["id"] for r in rows}) == size
    domains = {r["domain"] for r in rows}
    assert len(domains) == 10
    earlier_paths = [_path(n) for n in range(1, number)] + sorted(TRAIN_DIR.glob("*.jsonl"))
    earlier = [r for path in earlier_paths for r in read_jsonl(path)]
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


@pytest.mark.parametrize("number", sorted(FRESH_SETS))
def test_a_fresh_set_stays_above_its_first_score(number: int) -> None:
    from learnloop.coach.evaluation import score_engine

    _, floors = FRESH_SETS[number]
    m = score_engine(read_jsonl(_path(number)))
    assert m["precision"] >= floors["precision"], m
    assert m["f1"] >= floors["f1"], m
    assert m["hard_blameless_fpr"] <= floors["hard_blameless_fpr"], m
