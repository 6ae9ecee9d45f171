"""Latency of search() and related() on 100,000 synthetic documents.

Documents are generated deterministically from word lists and the mechanism lexicon's
labels (no corpus text), spread over 50 teams of one organisation, indexed into an SQLite
file under /tmp (or a throwaway PostgreSQL schema with --vendor postgresql), then a few
hundred varied queries are timed with the product's visibility condition
(learnloop.accounts.visibility.visibility_sql: a member of 2 teams) applied inside the SQL, as
learnloop.search.selectors does. Pass --reuse to time again without re-indexing; --profile
adds each stage's CPU time per related call.

    python benchmarks/search_speed.py [--docs 100000] [--queries 300] [--vendor sqlite] [--profile]
"""

from __future__ import annotations

import argparse
import os
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import django

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
# The visibility rule lives with the accounts models, so Django is set up (no database is used:
# the index below is a file of its own); the data dir is a throwaway one.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "learnloop.settings")
os.environ.setdefault("LEARNLOOP_DATA_DIR", tempfile.mkdtemp(prefix="ll-search-speed-"))
django.setup()

from learnloop.accounts.visibility import visibility_sql  # noqa: E402
from learnloop.search import dense, index, mechanisms  # noqa: E402
from learnloop.search.mechanism_lexicon import LEXICON  # noqa: E402

PG_DSN = "postgresql://postgres@127.0.0.1:5432/postgres"

COMPONENTS = [
    "api",
    "gateway",
    "checkout",
    "search",
    "billing",
    "login",
    "profile",
    "storage",
    "queue",
    "scheduler",
    "database",
    "cache",
    "proxy",
    "load",
    "balancer",
    "dns",
    "resolver",
    "cdn",
    "edge",
    "worker",
    "pipeline",
    "build",
    "runner",
    "registry",
    "kubernetes",
    "cluster",
    "node",
    "pod",
    "container",
    "network",
    "router",
    "switch",
    "firewall",
    "vpn",
    "certificate",
    "token",
    "vault",
    "backup",
    "replica",
    "primary",
    "shard",
    "index",
    "ingest",
    "stream",
    "kafka",
    "broker",
    "mobile",
    "app",
    "web",
    "frontend",
    "notification",
    "email",
    "payments",
    "ledger",
    "analytics",
    "warehouse",
    "report",
    "export",
]
VERBS = [
    "failed",
    "stalled",
    "crashed",
    "degraded",
    "timed",
    "out",
    "overloaded",
    "restarted",
    "drifted",
    "leaked",
    "expired",
    "filled",
    "throttled",
    "rejected",
    "dropped",
    "duplicated",
    "corrupted",
    "hung",
    "flapped",
    "diverged",
]
FILLER = [
    "team",
    "engineers",
    "noticed",
    "alerts",
    "customers",
    "users",
    "impact",
    "minutes",
    "hours",
    "region",
    "service",
    "deploy",
    "change",
    "config",
    "rollback",
    "fix",
    "monitoring",
    "dashboard",
    "latency",
    "errors",
    "traffic",
    "peak",
    "investigation",
    "mitigation",
    "follow-up",
    "action",
    "owner",
    "review",
    "timeline",
    "detection",
    "response",
    "root",
    "contributing",
    "factor",
    "learning",
    "runbook",
    "on-call",
    "escalation",
    "status",
    "page",
    "communication",
    "capacity",
    "limit",
    "retry",
    "backoff",
    "health",
    "check",
    "failover",
    "replication",
    "lag",
    "disk",
    "memory",
    "cpu",
    "release",
    "version",
    "upgrade",
    "migration",
    "schema",
    "query",
    "plan",
    "lock",
    "timeout",
    "connection",
    "pool",
]


def synthetic_words(rng: random.Random, n: int) -> list[str]:
    """Pseudo-words give a realistic long tail of rare terms."""
    syll = ["ka", "ro", "mi", "te", "lu", "sa", "vo", "ne", "di", "pa", "zu", "fe", "gi", "to"]
    return ["".join(rng.choice(syll) for _ in range(rng.randint(2, 4))) for _ in range(n)]


def make_docs(n: int, seed: int = 7):
    rng = random.Random(seed)
    tail = synthetic_words(rng, 20_000)
    labels = [mechanisms.label(c) for c in LEXICON]
    for i in range(n):
        mech = rng.sample(labels, 2)
        comp = rng.choice(COMPONENTS)
        title = f"{comp.capitalize()} {rng.choice(VERBS)} after {mech[0]}"
        summary = (
            f"The {comp} {rng.choice(VERBS)} because of {mech[0]} and {mech[1]}; "
            f"{rng.choice(FILLER)} {rng.choice(FILLER)} for {rng.randint(2, 300)} minutes."
        )
        body_words = []
        for _ in range(rng.randint(60, 250)):
            r = rng.random()
            body_words.append(
                rng.choice(FILLER)
                if r < 0.55
                else rng.choice(COMPONENTS)
                if r < 0.7
                else tail[int(rng.paretovariate(1.1)) % len(tail)]
            )
        body_words[rng.randrange(len(body_words))] = mech[0]
        yield {
            "kind": "review",
            "object_id": str(i),
            "title": title,
            "summary": summary,
            "keywords": ", ".join(rng.sample(COMPONENTS, 3)),
            "body": " ".join(body_words),
            "team_id": rng.randint(1, 50),
            "visibility": rng.choice(["organisation", "organisation", "team"]),
        }


def make_queries(n: int, seed: int = 11) -> list[tuple[str, str]]:
    rng = random.Random(seed)
    labels = [mechanisms.label(c) for c in LEXICON]
    out = []
    for i in range(n):
        kind = i % 5
        comp = rng.choice(COMPONENTS)
        if kind == 0:
            out.append((f"{comp} {rng.choice(VERBS)}", ""))
        elif kind == 1:
            out.append(
                (
                    f"{comp} {rng.choice(VERBS)} during peak",
                    f"After a {rng.choice(labels)} the {comp} {rng.choice(VERBS)} and "
                    f"{rng.choice(FILLER)} {rng.choice(FILLER)} until we rolled back.",
                )
            )
        elif kind == 2:
            out.append((rng.choice(labels), " ".join(rng.choice(FILLER) for _ in range(40))))
        elif kind == 3:
            out.append((f'"{comp}" AND NEAR(x) OR title:* ^{rng.choice(VERBS)} 🔥', ""))
        else:
            out.append(
                (
                    f"{comp} outage",
                    " ".join(rng.choice(FILLER + COMPONENTS) for _ in range(rng.randint(100, 400))),
                )
            )
    return out


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--vendor", choices=index.VENDORS, default="sqlite")
    ap.add_argument("--docs", type=int, default=100_000)
    ap.add_argument("--queries", type=int, default=300)
    ap.add_argument("--db", default="/tmp/learnloop_search_speed.sqlite3")
    ap.add_argument("--reuse", action="store_true", help="reuse an existing index if present")
    ap.add_argument(
        "--profile",
        action="store_true",
        help="also print each stage's CPU time per hybrid related call (see profile_stages)",
    )
    args = ap.parse_args()

    if args.vendor == "sqlite":
        if not args.reuse and os.path.exists(args.db):
            os.remove(args.db)
        conn = sqlite3.connect(args.db)
        cur = conn.cursor()
        # The product's connection settings (learnloop/settings.py).
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA cache_size=-20000")
    else:
        import psycopg

        conn = psycopg.connect(PG_DSN)
        cur = conn.cursor()
        cur.execute("CREATE SCHEMA IF NOT EXISTS learnloop_search_speed")
        cur.execute("SET search_path TO learnloop_search_speed")
        if not args.reuse:
            cur.execute("DROP TABLE IF EXISTS search_vector, search_vector_state, search_document")
    index.create_schema(cur, args.vendor)
    cur.execute(
        "CREATE TABLE IF NOT EXISTS accounts_team (id INTEGER PRIMARY KEY, organisation_id INTEGER)"
    )
    cur.execute("DELETE FROM accounts_team")
    for t in range(1, 61):  # teams 1-50 hold the documents; 51-60 are another organisation
        cur.execute(
            f"INSERT INTO accounts_team (id, organisation_id) VALUES ({t}, {1 if t <= 50 else 2})"
        )
    conn.commit()
    vis_sql, vis_params = visibility_sql(args.vendor, 1, [3, 17])
    cur.execute("SELECT count(*) FROM search_document")
    have = cur.fetchone()[0]
    if have < args.docs:
        t0 = time.perf_counter()
        for n, doc in enumerate(make_docs(args.docs)):
            if n < have:
                continue
            index.upsert_document(cur, args.vendor, embed=False, **doc)
            if n % 10_000 == 9_999:
                conn.commit()
                print(f"  indexed {n + 1}", file=sys.stderr, flush=True)
        conn.commit()
        print(f"indexed {args.docs} documents in {time.perf_counter() - t0:.0f} s")
    if dense.enabled():
        fill_vectors(cur, args.vendor, args.docs)
        conn.commit()
    if args.vendor == "postgresql":
        cur.execute("ANALYZE search_document")
    queries = make_queries(args.queries)
    timings: dict[str, list[float]] = {"search": [], "related": [], "related, lexical only": []}
    cpu: dict[str, list[float]] = {k: [] for k in timings}
    lexical_only = index.RankingParams(dense=False)
    for title, desc in queries[:10]:  # warm caches
        index.related(
            cur, args.vendor, title, desc, visibility_sql=vis_sql, visibility_params=vis_params
        )
    dense.clear_cache()  # time the model on every query, not the per-process embedding cache
    stages = profile_stages() if args.profile else None
    for title, desc in queries:
        t, c = time.perf_counter(), time.process_time()
        index.search(
            cur,
            args.vendor,
            f"{title} {desc}"[:200],
            visibility_sql=vis_sql,
            visibility_params=vis_params,
        )
        timings["search"].append((time.perf_counter() - t) * 1000)
        cpu["search"].append((time.process_time() - c) * 1000)
        if stages is not None:
            stages.new_call()
        t, c = time.perf_counter(), time.process_time()
        index.related(
            cur, args.vendor, title, desc, visibility_sql=vis_sql, visibility_params=vis_params
        )
        if stages is not None:
            stages.active = False
        timings["related"].append((time.perf_counter() - t) * 1000)
        cpu["related"].append((time.process_time() - c) * 1000)
        t_lex, c_lex = time.perf_counter(), time.process_time()
        index.related(
            cur,
            args.vendor,
            title,
            desc,
            visibility_sql=vis_sql,
            visibility_params=vis_params,
            params=lexical_only,
        )
        timings["related, lexical only"].append((time.perf_counter() - t_lex) * 1000)
        cpu["related, lexical only"].append((time.process_time() - c_lex) * 1000)
    conn.rollback()
    load = os.getloadavg()[0]
    print(
        f"{args.vendor}, {args.docs} documents, {len(queries)} queries (ms);"
        f" load average {load:.1f} on {os.cpu_count()} cores"
    )
    print(f"dense stage: {dense.enabled()}, model {dense.MODEL_ID}")
    print("| call | p50 | p95 | p99 | mean | CPU p50 | CPU p95 | CPU p99 |")
    print("|---|---|---|---|---|---|---|---|")
    for name, vals in timings.items():
        cv = cpu[name]
        print(
            f"| {name} | {pct(vals, 50):.1f} | {pct(vals, 95):.1f} | {pct(vals, 99):.1f} "
            f"| {statistics.mean(vals):.1f} | {pct(cv, 50):.1f} | {pct(cv, 95):.1f} "
            f"| {pct(cv, 99):.1f} |"
        )
    if stages is not None:
        stages.report()


class _Stages:
    """CPU time of each stage of one hybrid related call, on the thread that ran it."""

    def __init__(self) -> None:
        self.calls: list[dict[str, float]] = []
        self.active = False

    def new_call(self) -> None:
        self.calls.append({})
        self.active = True

    def wrap(self, module: Any, name: str, label: str) -> None:
        inner = getattr(module, name)

        def timed(*a: Any, **k: Any) -> Any:
            c = time.thread_time()
            try:
                return inner(*a, **k)
            finally:
                if self.active:
                    call = self.calls[-1]
                    call[label] = call.get(label, 0.0) + (time.thread_time() - c) * 1000

        setattr(module, name, timed)

    def report(self) -> None:
        print("| stage of a hybrid related call (CPU ms) | p50 | p95 | mean |")
        print("|---|---|---|---|")
        labels = dict.fromkeys(k for call in self.calls for k in call)
        for label in labels:
            vals = [call.get(label, 0.0) for call in self.calls]
            print(
                f"| {label} | {pct(vals, 50):.1f} | {pct(vals, 95):.1f}"
                f" | {statistics.mean(vals):.1f} |"
            )


def profile_stages() -> _Stages:
    """Wrap the stages of ``index.related`` with per-thread CPU timers (the query's model run
    is on a worker thread, so its time is its own row)."""
    from learnloop.search import candidates, hybrid

    stages = _Stages()
    stages.wrap(dense, "encode", "query embedding (worker thread)")
    stages.wrap(candidates, "plan_sqlite", "lexical: plan (frequencies, window)")
    stages.wrap(candidates, "ranked_ids", "lexical: FTS5 bm25 ranking")
    stages.wrap(index, "find_candidates", "lexical: candidates in all")
    stages.wrap(dense, "nearest", "dense: scan")
    stages.wrap(hybrid, "_visible", "dense: visibility of scan hits")
    stages.wrap(dense, "vectors_for", "dense: read candidates' vectors")
    stages.wrap(dense, "best_chunk_similarities", "dense: best-chunk cosines")
    stages.wrap(index, "related", "related, calling thread in all")
    return stages


def fill_vectors(cur: Any, vendor: str, n_docs: int, pool_size: int = 512) -> None:
    """Dense vectors for every document: the first ``pool_size`` synthetic documents are
    embedded for real, and every document gets one of those vectors with a little noise.
    Embedding 100,000 documents would take about an hour on this machine; the values do not
    change the cost of a query (one matrix product over every head vector, then the stored
    vectors of the candidates), which is what this measures. Vectors of another model
    (``dense.MODEL_ID`` changed since the index was built) are replaced, so ``--reuse`` times
    the current model."""
    import numpy as np

    p = index.placeholder(vendor)
    cur.execute(f"SELECT count(*) FROM search_vector WHERE model = {p}", (dense.MODEL_ID,))
    if cur.fetchone()[0] >= n_docs:
        return
    cur.execute(f"DELETE FROM search_vector WHERE model <> {p}", (dense.MODEL_ID,))
    t0 = time.perf_counter()
    pool_docs = list(make_docs(pool_size))
    pool = dense.encode(
        [
            " ".join(dense.chunks(d["title"], d["summary"], d["keywords"], d["body"])[:1])
            for d in pool_docs
        ]
    )
    rng = np.random.default_rng(1)
    cur.execute("SELECT id FROM search_document ORDER BY id")
    ids = [int(r[0]) for r in cur.fetchall()]
    sql = (
        f"INSERT INTO search_vector (doc_id, model, vectors) VALUES ({p}, {p}, {p})"
        " ON CONFLICT (doc_id) DO NOTHING"
    )
    for start in range(0, len(ids), 5000):
        rows = []
        for i in ids[start : start + 5000]:
            v = pool[i % pool_size] + rng.normal(0, 0.02, dense.DIMS).astype(np.float32)
            v /= np.linalg.norm(v)
            rows.append((i, dense.MODEL_ID, dense.to_blob(v[None, :])))
        cur.executemany(sql, rows)
    cur.execute("UPDATE search_vector_state SET generation = generation + 1 WHERE id = 1")
    print(f"vectors for {len(ids)} documents in {time.perf_counter() - t0:.0f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
