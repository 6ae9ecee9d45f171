"""Quality of the blame coach against the keyword baseline, on the shared dev set.

Runs the engine and the keyword baseline of ``shared/eval/README-blame.md`` over
``shared/eval/blame-dev.jsonl`` and prints a Markdown table (precision, recall,
F1, hard/easy blameless false-positive rates, hard-blame recall, per-signal
accuracy) for both, side by side. It then writes both prediction files and runs
the official ``score-blame.py`` on them as a cross-check, failing loudly if the
numbers disagree. Then it scores the author's own out-of-sample sentences
(``learnloop/coach/tests/test_engine.py:OUT_OF_SAMPLE``) and the fresh
generalisation sets ``learnloop/coach/tests/data/fresh*.jsonl`` (each written
before the engine was scored on it; the first-pass scores are recorded in
``docs/benchmarks.md`` and ``test_generalisation.py`` — what this prints is the
current engine, i.e. *after* fixes).

Usage: python benchmarks/blame_eval.py [--shared PATH] [--keep DIR]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from learnloop.coach.engine import SIGNALS, is_blameful  # noqa: E402
from learnloop.coach.evaluation import (  # noqa: E402
    FIRST_PASS,
    UNTUNED,
    predict,
    read_jsonl,
    rows_from_triples,
    score,
)

# README-blame.md: flag if any of these starts a word in the sentence.
BASELINE = re.compile(
    r"\b(?:should have|failed to|careless|human error|blame|fault|mistake|forgot|didn't)",
    re.IGNORECASE,
)


def baseline(text: str) -> bool:
    return bool(BASELINE.search(text))


def table(engine: dict[str, Any], base: dict[str, Any]) -> str:
    def cell(m: dict[str, Any], key: str, frac: str | None = None) -> str:
        v = f"{m[key]:.3f}"
        if frac:
            a, b = m[frac]
            v += f" ({a}/{b})"
        return v

    lines = [
        "| metric | engine | keyword baseline |",
        "|---|---|---|",
        f"| precision | {cell(engine, 'precision')} | {cell(base, 'precision')} |",
        f"| recall | {cell(engine, 'recall')} | {cell(base, 'recall')} |",
        f"| F1 | {cell(engine, 'f1')} | {cell(base, 'f1')} |",
        f"| hard-blameless FPR | {cell(engine, 'hard_blameless_fpr', 'hard_fp')} "
        f"| {cell(base, 'hard_blameless_fpr', 'hard_fp')} |",
        f"| easy-blameless FPR | {cell(engine, 'easy_blameless_fpr', 'easy_fp')} "
        f"| {cell(base, 'easy_blameless_fpr', 'easy_fp')} |",
        f"| hard-blame recall | {cell(engine, 'hard_blame_recall', 'hard_tp')} "
        f"| {cell(base, 'hard_blame_recall', 'hard_tp')} |",
    ]
    for s in SIGNALS:
        e, b = engine["per_signal"][s], base["per_signal"][s]
        lines.append(f"| signal: {s} | {e[0]:.3f} ({e[1]}/{e[2]}) | {b[0]:.3f} ({b[1]}/{b[2]}) |")
    return "\n".join(lines)


def official(scorer: Path, labels: Path, pred: dict[str, bool], out: Path) -> dict[str, Any]:
    with out.open("w", encoding="utf-8") as f:
        for i, v in pred.items():
            f.write(json.dumps({"id": i, "blame": v}) + "\n")
    res = subprocess.run(
        [sys.executable, str(scorer), str(labels), str(out), "--json"],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(res.stdout)


def out_of_sample() -> list[tuple[str, bool, bool]]:
    path = ROOT / "learnloop" / "coach" / "tests" / "test_engine.py"
    spec = importlib.util.spec_from_file_location("_coach_oos", path)
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod.OUT_OF_SAMPLE


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=ROOT / ".." / "shared")
    ap.add_argument("--keep", type=Path, help="directory to keep the prediction files in")
    args = ap.parse_args()
    labels = args.shared / "eval" / "blame-dev.jsonl"
    scorer = args.shared / "eval" / "score-blame.py"
    if not labels.exists():
        print(f"blame-dev.jsonl not found at {labels}", file=sys.stderr)
        return 2
    rows = read_jsonl(labels)
    eng_pred = predict(rows, is_blameful)
    base_pred = predict(rows, baseline)
    eng, base = score(rows, eng_pred), score(rows, base_pred)
    print(f"## Dev set ({len(rows)} sentences, {labels.name})\n")
    print(table(eng, base))

    if scorer.exists():
        outdir = args.keep or Path(tempfile.mkdtemp(prefix="blame-eval-"))
        outdir.mkdir(parents=True, exist_ok=True)
        for name, pred, mine in (("engine", eng_pred, eng), ("baseline", base_pred, base)):
            off = official(scorer, labels, pred, outdir / f"{name}-predictions.jsonl")
            for key in ("precision", "recall", "f1", "hard_blameless_fpr", "hard_blame_recall"):
                if abs(off[key] - mine[key]) > 1e-9:
                    print(f"MISMATCH {name} {key}: official {off[key]} vs {mine[key]}")
                    return 1
        print(f"\nCross-check: score-blame.py agrees on both ({outdir}).")
    else:
        print(f"\n(score-blame.py not found at {scorer}; cross-check skipped)")

    oos = out_of_sample()
    oos_rows = rows_from_triples(oos)
    oe = score(oos_rows, predict(oos_rows, is_blameful))
    ob = score(oos_rows, predict(oos_rows, baseline))
    print(f"\n## Author's out-of-sample sentences ({len(oos)}, written before dev tuning)\n")
    print("| metric | engine | keyword baseline |\n|---|---|---|")
    for key, frac in (
        ("precision", None),
        ("recall", None),
        ("f1", None),
        ("hard_blameless_fpr", "hard_fp"),
        ("easy_blameless_fpr", "easy_fp"),
    ):
        fe = f" ({oe[frac][0]}/{oe[frac][1]})" if frac else ""
        fb = f" ({ob[frac][0]}/{ob[frac][1]})" if frac else ""
        print(f"| {key} | {oe[key]:.3f}{fe} | {ob[key]:.3f}{fb} |")

    for path in sorted((ROOT / "learnloop" / "coach" / "tests" / "data").glob("fresh*.jsonl")):
        frows = read_jsonl(path)
        fe = score(frows, predict(frows, is_blameful))
        fb = score(frows, predict(frows, baseline))
        first = FIRST_PASS.get(path.stem)
        state = "untuned: still a first pass" if path.stem in UNTUNED else "after fixes"
        print(f"\n## Fresh set {path.name} ({len(frows)} sentences; current engine, {state})\n")
        if first:
            print(
                f"Recorded first pass: P {first['precision']:.3f}, R {first['recall']:.3f},"
                f" F1 {first['f1']:.3f}, hard-blameless FP {first['hard_fp']}\n"
            )
        print(table(fe, fb))
    fresh_eval = ROOT / "benchmarks" / "data" / "coach_fresh_eval.jsonl"
    if fresh_eval.exists():
        erows = read_jsonl(fresh_eval)
        ee = score(erows, predict(erows, is_blameful))
        eb = score(erows, predict(erows, baseline))
        print(f"\n## Issue-18 fresh evaluation set ({len(erows)} sentences, six new domains)\n")
        print(
            "Recorded first score (before the implicit rules): P 0.897, R 0.481, F1 0.627,"
            " hard-blameless FP 3/48\n"
        )
        print(table(ee, eb))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
