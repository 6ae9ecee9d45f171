"""Related-postmortem benchmark: Learnloop vs a plain BM25 baseline, scored officially.

Default (the product path): a fresh data dir, ``learnloop migrate``, ``learnloop createadmin``,
``learnloop import --team corpus ../shared/corpus/postmortems/*.md``, ``learnloop worker
--burst`` (the import leaves the dense vectors to the worker's jobs), then
``learnloop related --jsonl --limit 10`` on the dev queries (and once more with
``--threshold 0`` for the "no threshold" row). With ``--vendor postgresql`` the same commands
run against a throwaway PostgreSQL database (``DATABASE_URL``). BM25
(benchmarks/bm25_baseline.py) reads the corpus files directly. Every figure comes from
../shared/eval/score-related.py. The corpus (GPL data) is read at run time, never copied.

``--direct`` skips Django and indexes the files with learnloop.search.index (fast, for
tuning the core; not the reported figures).

    python benchmarks/related_eval.py [--vendor sqlite|postgresql] [--direct] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bm25_baseline import BM25  # noqa: E402

from learnloop.search import dense, hybrid, index  # noqa: E402

# ../shared next to the main checkout; /work/shared from a worktree under /work/wt/<name>.
SHARED = next(
    (p for p in (ROOT.parent / "shared", ROOT.parent.parent / "shared") if p.is_dir()),
    ROOT.parent / "shared",
)
CORPUS = SHARED / "corpus" / "postmortems"
QUERIES = SHARED / "eval" / "related-dev.jsonl"
SCORER = SHARED / "eval" / "score-related.py"
PG_DSN = "postgresql://postgres@127.0.0.1:5432/postgres"


def parse_postmortem(text: str) -> dict[str, Any]:
    """Tiny front-matter parser: single-line scalars and ``- item`` lists only."""
    meta: dict[str, Any] = {}
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


def load_corpus() -> list[dict[str, Any]]:
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


def load_queries() -> list[dict[str, Any]]:
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


def run_ours(vendor: str, docs, queries, params=None) -> list[dict[str, Any]]:
    return run_variants(vendor, docs, queries, {"": params})[""]


def run_variants(
    vendor: str,
    docs: list[dict[str, Any]],
    queries: list[dict[str, Any]],
    variants: dict[str, index.RankingParams | None],
) -> dict[str, list[dict[str, Any]]]:
    """Index once (with dense vectors when the dense stage is installed), then rank the
    queries once per ``{name: RankingParams}``."""
    conn, cur, close = connect(vendor)
    try:
        index.create_schema(cur, vendor)
        id_to_uuid = {}
        t0, c0 = time.perf_counter(), time.process_time()
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
        print(
            f"indexed {len(docs)} documents in {time.perf_counter() - t0:.1f} s wall,"
            f" {time.process_time() - c0:.1f} s CPU (dense vectors: {dense.enabled()})",
            file=sys.stderr,
        )
        out = {}
        for name, params in variants.items():
            results = []
            times = []
            c1 = time.process_time()
            for q in queries:
                t1 = time.perf_counter()
                hits = index.related(
                    cur,
                    vendor,
                    q["title"],
                    q["description"],
                    limit=10,
                    threshold=0.0,
                    params=params,
                )
                times.append(time.perf_counter() - t1)
                results.append(
                    {
                        "id": q["id"],
                        "ranked": [id_to_uuid[h[0]] for h in hits],
                        "scores": [h[1] for h in hits],
                        "reasons": [h[2] for h in hits],
                    }
                )
            times.sort()
            print(
                f"{name or 'default'}: median {1000 * times[len(times) // 2]:.1f} ms,"
                f" p95 {1000 * times[int(len(times) * 0.95)]:.1f} ms per query (wall);"
                f" {1000 * (time.process_time() - c1) / len(queries):.1f} ms CPU per query",
                file=sys.stderr,
            )
            out[name] = results
        return out
    finally:
        close()


LEARNLOOP = (
    [str(ROOT / ".venv" / "bin" / "learnloop")]
    if (ROOT / ".venv" / "bin" / "learnloop").exists()
    # A worktree without its own venv: this interpreter, with the checkout on PYTHONPATH.
    else [sys.executable, "-c", "from learnloop.cli import main; main()"]
)
PG_SERVER = "postgresql://postgres@127.0.0.1:5432"


def _cli(env: dict[str, Any], *args: str, stdin: str | None = None) -> str:
    proc = subprocess.run(
        [*LEARNLOOP, *args], env=env, input=stdin, capture_output=True, text=True, timeout=3600
    )
    if proc.returncode != 0:
        raise SystemExit(f"learnloop {' '.join(args[:2])} failed:\n{proc.stderr[-3000:]}")
    return proc.stdout


@contextmanager
def _timed(what: str) -> Iterator[None]:
    """Print the wall and CPU time (of the child processes) spent in the block."""
    t0 = time.perf_counter()
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    yield
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)
    print(
        f"{what}: {time.perf_counter() - t0:.1f} s wall, {cpu:.1f} s CPU"
        f" (load average {os.getloadavg()[0]:.1f})",
        file=sys.stderr,
    )


def run_product(
    vendor: str, queries, keep: str | None = None
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Import the corpus with ``learnloop import`` and ask ``learnloop related --jsonl``."""
    data_dir = Path(keep) if keep else Path(tempfile.mkdtemp(prefix="learnloop-eval-"))
    env = {
        k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")
    }
    env["LEARNLOOP_DATA_DIR"] = str(data_dir)
    env["LEARNLOOP_ADMIN_PASSWORD"] = "eval-admin-password-123"
    db_name = None
    if vendor == "postgresql":
        import psycopg

        db_name = f"learnloop_eval_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as c:
            c.execute(f"CREATE DATABASE {db_name}")
        env["DATABASE_URL"] = f"{PG_SERVER}/{db_name}"
    try:
        fresh = not (data_dir / "learnloop.sqlite3").exists() or vendor == "postgresql"
        if fresh:
            t0 = time.perf_counter()
            _cli(env, "migrate", "-v0")
            _cli(env, "createadmin", "--email", "eval@example.org", "--organisation", "Eval")
            files = sorted(str(p) for p in CORPUS.glob("*.md"))
            with _timed(f"learnloop import of {len(files)} files"):
                _cli(env, "import", "--team", "corpus", "--no-progress", *files)
            # The import leaves the dense vectors to the worker (decision 0074): run its jobs.
            with _timed("learnloop worker --burst (search.embed jobs)"):
                _cli(env, "worker", "--burst")
            print(
                f"imported {len(files)} files in {time.perf_counter() - t0:.0f} s", file=sys.stderr
            )
        stdin = "".join(
            json.dumps({k: q[k] for k in ("id", "title", "description")}) + "\n" for q in queries
        )
        runs = []
        for extra in ((), ("--threshold", "0")):
            out = _cli(env, "related", "--jsonl", "--limit", "10", "--scores", *extra, stdin=stdin)
            runs.append([json.loads(line) for line in out.splitlines() if line.strip()])
        return runs[0], runs[1]
    finally:
        if db_name:
            import psycopg

            with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as c:
                c.execute(f"DROP DATABASE IF EXISTS {db_name} WITH (FORCE)")
        if not keep:
            shutil.rmtree(data_dir, ignore_errors=True)


def run_bm25(docs, queries) -> list[dict[str, Any]]:
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


def score(results: list[dict[str, Any]], threshold: float | None) -> dict[str, Any]:
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False) as f:
        for r in results:
            f.write(json.dumps({k: r[k] for k in ("id", "ranked", "scores") if k in r}) + "\n")
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
    ap.add_argument("--direct", action="store_true", help="index the files without Django")
    ap.add_argument("--keep", help="product path: keep (and reuse) this SQLite data dir")
    args = ap.parse_args()

    docs, queries = load_corpus(), load_queries()
    base = run_bm25(docs, queries)
    extra_rows: list[tuple[str, dict[str, Any]]] = []
    if args.direct:
        runs = run_variants(
            args.vendor,
            docs,
            queries,
            {"hybrid": None, "lexical": index.RankingParams(dense=False)},
        )
        ours = runs["hybrid"]
        label = f"learnloop core, direct ({args.vendor})"
        thr = hybrid.HYBRID_THRESHOLD if dense.enabled() else index.DEFAULT_THRESHOLD
        cut: tuple[list[dict[str, Any]], float | None] = (ours, thr)
        uncut: tuple[list[dict[str, Any]], float | None] = (ours, None)
        if dense.enabled():
            lex = runs["lexical"]
            extra_rows = [
                ("lexical stage alone, no threshold", score(lex, None)),
                (
                    f"lexical stage alone, threshold {index.DEFAULT_THRESHOLD:g}",
                    score(lex, index.DEFAULT_THRESHOLD),
                ),
            ]
    else:
        shown, every = run_product(args.vendor, queries, args.keep)
        ours = shown
        label = f"learnloop related --jsonl ({args.vendor})"
        cut, uncut = (shown, None), (every, None)
    if args.dump:
        with open(args.dump, "w", encoding="utf-8") as f:
            for r in ours:
                f.write(json.dumps(r) + "\n")
    rows = [
        ("BM25 baseline, no threshold", score(base, None)),
        (f"BM25 baseline, threshold {args.bm25_threshold:g}", score(base, args.bm25_threshold)),
        *extra_rows,
        (f"{label}, no threshold", score(*uncut)),
        (
            f"{label}, threshold {cut[1] if cut[1] is not None else 'default'} (default)",
            score(*cut),
        ),
    ]
    print(f"{len(docs)} documents, {len(queries)} dev queries; figures from score-related.py")
    print(f"| system | {' | '.join(h for _, h in COLUMNS)} |")
    print(f"|---|{'---|' * len(COLUMNS)}")
    for name, s in rows:
        print(f"| {name} | " + " | ".join(f"{s[k]:.3f}" for k, _ in COLUMNS) + " |")


if __name__ == "__main__":
    main()
