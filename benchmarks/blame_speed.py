"""Throughput of the blame coach engine, in MB of text per second on one core.

Builds a realistic multi-megabyte Markdown review document from sentences
written for this benchmark (not taken from any evaluation set): headings,
timeline bullets with timestamps, paragraphs, action checkboxes, quotes,
inline code and fenced code blocks, with roughly one blameful sentence in
twelve. Then runs ``analyse`` over it several times and reports the median.

The engine is single-threaded, so this is one core. On a shared machine the wall
clock includes time spent waiting for the CPU; the CPU-time figure is printed too.

Usage: python benchmarks/blame_speed.py [--mb 5] [--runs 5]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from learnloop.coach.engine import analyse

SUBJECTS = [
    "The checkout service",
    "Our billing export",
    "The night shift",
    "The infusion pump",
    "The CRM sync job",
    "Priya",
    "The on-call engineer",
    "The label printer",
    "The support macro",
    "The grading portal",
    "The forklift scanner",
    "The payment gateway",
    "Our onboarding checklist",
    "The triage nurse",
    "The account executive",
]
NEUTRAL = [
    "{s} restarted at {t} after the health check timed out.",
    "{s} reported a backlog of {n} items by {t}.",
    "At {t} {s} paged the database team and opened the incident channel.",
    "{s} did not show the plan tier, so the renewal date was not visible.",
    "The alert fired {n} times that week, most of them for disks that recovered on their own.",
    "We will add a dry-run step before every migration that touches more than {n} rows.",
    "The runbook still describes the old failover procedure from before the move.",
    "{s} followed the documented steps, and the documented steps skipped the EU shard.",
    "Customers saw a generic error message while the import retried {n} times.",
    "What in the release process made a Friday deploy look routine?",
    "The queue should drop messages older than a day once the new consumer ships.",
    "A row-count preview in the migration tool would have prompted a second look.",
    "Latency at the 99th percentile rose to {n} ms for about twenty minutes.",
    "This was not human error; the form accepted two identical account numbers.",
    "She said she assumed the flag was per region because that is how the UI displayed it.",
    "The warehouse count sheet had no row for partial pallets.",
    "Refund requests doubled after the pricing page showed the wrong currency.",
    "Training on the new triage screen is scheduled for all nurses next month.",
]
BLAME = [
    "{s} should have checked the replica lag before promoting the standby.",
    "Honestly, the night team was careless with the handover notes.",
    "Why didn't anyone read the deprecation notice?",
    "Root cause: operator error during the changeover.",
    "The rep simply ignored the discount ceiling.",
    "Whoever approved that change will be written up.",
]
WORDS = ["alpha", "beta", "gamma", "delta", "queue", "shard", "pallet", "invoice", "ticket"]


def paragraph(rng: random.Random) -> str:
    out = []
    for _ in range(rng.randint(3, 7)):
        pool = BLAME if rng.random() < 0.08 else NEUTRAL
        out.append(
            rng.choice(pool).format(
                s=rng.choice(SUBJECTS),
                t=f"{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}",
                n=rng.randint(2, 90000),
            )
        )
    return " ".join(out)


def make_document(target_bytes: int, seed: int = 7) -> str:
    """A Markdown review: headings, timeline bullets, paragraphs, actions, quotes, code."""
    rng = random.Random(seed)
    parts: list[str] = []
    size = 0
    section = 0
    while size < target_bytes:
        section += 1
        block = [f"## Section {section}: {rng.choice(WORDS)} {rng.choice(WORDS)}", ""]
        block.append(paragraph(rng))
        block.append("")
        for _ in range(rng.randint(2, 5)):
            block.append(
                f"- **{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}** " + paragraph(rng)
            )
        block.append("")
        block.append(f"> {paragraph(rng)} — {rng.choice(['Ana', 'Kofi', 'Lena'])}")
        block.append("")
        block.append(f"- [ ] Add an alert on `{rng.choice(WORDS)}_lag_seconds` above 300.")
        block.append("")
        if rng.random() < 0.3:
            block += ["```sh", "kubectl rollout undo deploy/api  # should have", "```", ""]
        text = "\n".join(block) + "\n"
        parts.append(text)
        size += len(text.encode("utf-8"))
    return "".join(parts)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mb", type=float, default=5.0, help="document size in MB (default 5)")
    ap.add_argument("--runs", type=int, default=5, help="timed runs (default 5)")
    args = ap.parse_args()
    doc = make_document(int(args.mb * 1_000_000))
    mb = len(doc.encode("utf-8")) / 1_000_000
    # The rules path (the learned stage, on in the product since decision 0227, is timed on
    # real prose by benchmarks/coach_prose.py: this document repeats sentences, which the
    # embedding cache would hide).
    analyse(doc[:200_000], learned=False)  # warm-up (regex compilation, caches)
    times, cpu = [], []
    findings = 0
    for _ in range(args.runs):
        t0, c0 = time.perf_counter(), time.process_time()
        findings = len(analyse(doc, learned=False))
        times.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    med, cmed = statistics.median(times), statistics.median(cpu)
    print(f"document: {mb:.2f} MB, {doc.count(chr(10))} lines, {findings} findings")
    print(
        f"wall: {', '.join(f'{t:.2f}s' for t in times)}; cpu: {', '.join(f'{t:.2f}s' for t in cpu)}"
    )
    print(f"median throughput: {mb / med:.2f} MB/s wall, {mb / cmed:.2f} MB/s CPU time (one core)")


if __name__ == "__main__":
    main()
