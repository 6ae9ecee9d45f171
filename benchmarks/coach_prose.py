"""The blame coach on real prose nobody tuned it on: the 242 corpus postmortems.

Reads every ``postmortems/*.md`` of the shared corpus (``../shared/corpus``; the text is
read in place and never copied into this repository), drops the YAML front matter except
the ``summary:`` field, and splits the summary and the Markdown body into sentences with
the coach's own splitter (``learnloop.coach.sentences.split_sentences``: Markdown blocks,
bullets and headings are separate blocks, fenced code is skipped, sentence-final
punctuation splits except after abbreviations and initials). Each document is analysed
whole (so a rule that looks at the previous sentence sees it), and each finding is
mapped to its sentence.

It prints the number of sentences and flags, the flags per signal, and, against the
reader's judgements in ``benchmarks/data/coach_prose_judgements.json``, how many flags a
careful reader calls blameful, borderline or neutral. The judgements are keyed by
``<uuid>:<first 12 hex digits of sha1(sentence)>`` and hold no corpus text; a flag with
no judgement is listed as "unjudged" (``--show`` prints those sentences, to the terminal
only, so that someone reads them and adds a judgement).

The product's coach is measured: the rules and the learned stage (decision 0227);
``--rules-only`` leaves the learned stage out.

Usage: python benchmarks/coach_prose.py [--shared PATH] [--show] [--show-all] [--rules-only]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from learnloop.coach.engine import analyse  # noqa: E402
from learnloop.coach.sentences import split_sentences  # noqa: E402

JUDGEMENTS = ROOT / "benchmarks" / "data" / "coach_prose_judgements.json"
VERDICTS = ("blame", "borderline", "neutral")


def prose_parts(raw: str) -> list[str]:
    """The summary (from the front matter) and the Markdown body of one corpus file."""
    parts: list[str] = []
    body = raw
    if raw.startswith("---"):
        end = raw.find("\n---", 3)
        if end != -1:
            front, body = raw[3:end], raw[end + 4 :]
            for line in front.splitlines():
                if line.startswith("summary:"):
                    parts.append(line[len("summary:") :].strip())
    parts.append(body)
    return [p for p in parts if p.strip()]


def sentence_key(uuid: str, sentence: str) -> str:
    digest = hashlib.sha1(sentence.strip().encode("utf-8")).hexdigest()[:12]
    return f"{uuid}:{digest}"


def corpus_sentences(
    corpus: Path, *, learned: bool | None = None
) -> list[tuple[str, str, list[str]]]:
    """``(key, sentence, signals)`` for every sentence of the corpus (signals empty when the
    coach does not flag it); the product's coach (the rules and, since decision 0227, the
    learned stage), ``learned=False`` the rules alone."""
    out: list[tuple[str, str, list[str]]] = []
    for path in sorted((corpus / "postmortems").glob("*.md")):
        uuid = path.stem
        for part in prose_parts(path.read_text(encoding="utf-8")):
            spans = split_sentences(part)
            flagged: dict[tuple[int, int], list[str]] = {}
            for f in analyse(part, learned=learned):
                flagged[(f.sentence_start, f.sentence_end)] = list(f.signals)
            for start, end in spans:
                text = part[start:end]
                out.append((sentence_key(uuid, text), text, flagged.get((start, end), [])))
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=ROOT / ".." / "shared")
    ap.add_argument("--show", action="store_true", help="print unjudged flagged sentences")
    ap.add_argument("--show-all", action="store_true", help="print every flagged sentence")
    ap.add_argument("--rules-only", action="store_true", help="the rules without the learned stage")
    args = ap.parse_args()
    corpus = args.shared / "corpus"
    if not (corpus / "postmortems").is_dir():
        print(f"corpus not found at {corpus}", file=sys.stderr)
        return 2
    t0, c0 = time.perf_counter(), time.process_time()
    rows = corpus_sentences(corpus, learned=False if args.rules_only else None)
    elapsed, cpu = time.perf_counter() - t0, time.process_time() - c0
    judged: dict[str, str] = {}
    if JUDGEMENTS.exists():
        judged = json.loads(JUDGEMENTS.read_text(encoding="utf-8"))["judgements"]
    flags = [(k, t, s) for k, t, s in rows if s]
    verdicts: Counter[str] = Counter()
    per_signal: Counter[str] = Counter()
    for key, text, signals in flags:
        verdicts[judged.get(key, "unjudged")] += 1
        per_signal.update(signals)
        if args.show_all or (args.show and key not in judged):
            print(f"{key}\t{judged.get(key, '?')}\t{','.join(signals)}\t{text.strip()}")
    n = len(flags)
    size = sum(len(t.encode("utf-8")) for _k, t, _s in rows) / 1_000_000
    print(
        f"## Coach on the corpus ({len(rows)} sentences, {size:.2f} MB;"
        f" {elapsed:.1f} s wall, {cpu:.1f} s CPU = {size / max(cpu, 1e-9):.3f} MB/s CPU)\n"
    )
    print(f"- flagged sentences: {n}")
    for v in (*VERDICTS, "unjudged"):
        print(f"- reader says {v}: {verdicts[v]}")
    if n:
        print(f"- share the reader calls blameful: {verdicts['blame'] / n:.2f}")
        print(
            f"- share blameful or borderline: {(verdicts['blame'] + verdicts['borderline']) / n:.2f}"
        )
    print("- flags per signal: " + ", ".join(f"{s} {c}" for s, c in per_signal.most_common()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
