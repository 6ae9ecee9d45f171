"""Related-postmortem benchmark: our index vs a plain BM25 baseline, scored officially.

Loads ../shared/corpus/postmortems/*.md at run time (GPL data, never copied into the
project), indexes it with learnloop.search.index into an in-memory SQLite database (or a
throwaway PostgreSQL schema with --vendor postgresql), runs the dev queries through
related() and through benchmarks/bm25_baseline.py, writes result files and runs
../shared/eval/score-related.py on them, so the figures come from the official scorer.

    python benchmarks/related_eval.py [--vendor sqlite|postgresql] [--threshold 0.3]
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bm25_baseline import BM25  # noqa: E402

from learnloop.search import index  # noqa: E402

SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus" / "postmortems"
QUERIES = SHARED / "eval" / "related-dev.jsonl"
SCORER = SHARED / "eval" / "score-related.py"
PG_DSN = "postgresql://postgres@127.0.0.1:5432/postgres"


def parse_postmortem(text: str) -> dict:
    """Tiny front-matter parser: single-line scalars and ``- item`` lists only."""
    meta: dict = {}
    body = text
    lines = text.split("\n")
    if lines and lines[0].strip() == "---":
        end = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), None)
        if end is not None:
            key = None
            for line in lines[1:end]:
                if not line.strip():
                    continue
                if line.startswith("- ") and key:
                    meta.setdefault(key, [])
                    if isinstance(meta[key], list):
                        meta[key].append(_unquote(line[2:].strip()))
                    continue
                if ":" in line:
                    key, _, val = line.partition(":")
                    key, val = key.strip(), val.strip()
                    meta[key] = [] if val in ("", "[]") else _unquote(val)
            body = "\n".join(lines[end + 1 :])
    meta["body"] = body.strip()
    return meta


def _unquote(v: str) -> str:
    if len(v) >= 2 and v[0] == v[-1] and v[0] in "\"'":
        return v[1:-1]
    return v


def load_corpus() -> list[dict]:
    docs = []
    for path in sorted(CORPUS.glob("*.md")):
        m = parse_postmortem(path.read_text(encoding="utf-8"))
        kw = m.get("keywords") or []
        docs.append(
            {
                "uuid": m.get("uuid") or path.stem,
                "title": m.get("title") if isinstance(m.get("title"), str) else "",
                "summary": m.get("summary") if isinstance(m.get("summary"), str) else "",
                "keywords": ", ".join(kw) if isinstance(kw, list) else str(kw),
                "body": m["body"],
            }
        )
    return docs


def load_queries() -> list[dict]:
    return [json.loads(x) for x in QUERIES.read_text(encoding="utf-8").splitlines() if x.strip()]


def connect(vendor: str):
    if vendor == "sqlite":
        conn = sqlite3.connect(":memory:")
        return conn, conn.cursor(), lambda: conn.close()
    import psycopg  # optional

    conn = psycopg.connect(PG_DSN, autocommit=True)
    cur = conn.cursor()
    cur.execute("DROP SCHEMA IF EXISTS learnloop_related_eval CASCADE")
    cur.execute("CREATE SCHEMA learnloop_related_eval")
    cur.execute("SET search_path TO learnloop_related_eval")

    def close():
        cur.execute("DROP SCHEMA IF EXISTS learnloop_related_eval CASCADE")
        conn.close()

    return conn, cur, close


def run_ours(vendor: str, docs, queries, params=None) -> list[dict]:
    conn, cur, close = connect(vendor)
    try:
        index.create_schema(cur, vendor)
        id_to_uuid = {}
        for d in docs:
            i = index.upsert_document(
                cur,
                vendor,
                kind="postmortem",
                object_id=d["uuid"],
                title=d["title"],
                summary=d["summary"],
                keywords=d["keywords"],
                body=d["body"],
            )
            id_to_uuid[i] = d["uuid"]
        results = []
        for q in queries:
            hits = index.related(
                cur, vendor, q["title"], q["description"], limit=10, threshold=0.0, params=params
            )
            results.append(
                {
                    "id": q["id"],
                    "ranked": [id_to_uuid[h[0]] for h in hits],
                    "scores": [h[1] for h in hits],
                    "reasons": [h[2] for h in hits],
                }
            )
        return results
    finally:
        close()


def run_bm25(docs, queries) -> list[dict]:
    bm = BM25(
        {d["uuid"]: " ".join((d["title"], d["summary"], d["keywords"], d["body"])) for d in docs}
    )
    out = []
    for q in queries:
        ranked = bm.score(f"{q['title']} {q['description']}")[:10]
        out.append(
            {
                "id": q["id"],
                "ranked": [d for d, _ in ranked],
                "scores": [round(s, 4) for _, s in ranked],
            }
        )
    return out


def score(results: list[dict], threshold: float | None) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False) as f:
        for r in results:
            f.write(json.dumps({k: r[k] for k in ("id", "ranked", "scores")}) + "\n")
    cmd = [sys.executable, str(SCORER), str(QUERIES), "--results", f.name, "--json"]
    if threshold is not None:
        cmd += ["--threshold", str(threshold)]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True)
    Path(f.name).unlink()
    return json.loads(out.stdout)


COLUMNS = (
    ("ndcg@5", "nDCG@5"),
    ("recall@10", "recall@10"),
    ("recall@10_grade2", "recall@10 g2"),
    ("mrr", "MRR"),
    ("answered", "answered"),
    ("empty_query_precision", "empty-q prec"),
)


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--vendor", choices=index.VENDORS, default="sqlite")
    ap.add_argument("--threshold", type=float, default=index.DEFAULT_THRESHOLD)
    ap.add_argument("--bm25-threshold", type=float, default=15.0)
    ap.add_argument("--dump", help="write our per-query results (with reasons) to this JSONL file")
    args = ap.parse_args()

    docs, queries = load_corpus(), load_queries()
    ours = run_ours(args.vendor, docs, queries)
    base = run_bm25(docs, queries)
    if args.dump:
        with open(args.dump, "w", encoding="utf-8") as f:
            for r in ours:
                f.write(json.dumps(r) + "\n")
    rows = [
        ("BM25 baseline, no threshold", score(base, None)),
        (f"BM25 baseline, threshold {args.bm25_threshold:g}", score(base, args.bm25_threshold)),
        (f"learnloop ({args.vendor}), no threshold", score(ours, None)),
        (f"learnloop ({args.vendor}), threshold {args.threshold:g}", score(ours, args.threshold)),
    ]
    print(f"{len(docs)} documents, {len(queries)} dev queries; figures from score-related.py")
    print(f"| system | {' | '.join(h for _, h in COLUMNS)} |")
    print(f"|---|{'---|' * len(COLUMNS)}")
    for name, s in rows:
        print(f"| {name} | " + " | ".join(f"{s[k]:.3f}" for k, _ in COLUMNS) + " |")


if __name__ == "__main__":
    main()
