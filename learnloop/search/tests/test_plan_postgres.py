"""Bounded, idf-aware scoring on PostgreSQL (candidates.plan_pg / pg_scored), exercised on a
small index by lowering the size thresholds, like test_plan.py does for SQLite.

Skips when PostgreSQL is not reachable (the ``postgres_connection`` fixture in conftest.py).
"""

import pytest

from learnloop.search import candidates, index

PG = "postgresql"


@pytest.fixture
def cur(postgres_connection, monkeypatch):
    c = postgres_connection.cursor()
    c.execute("DROP TABLE IF EXISTS search_vector, search_vector_state, search_document")
    index.create_schema(c, PG)
    for i in range(20):
        index.upsert_document(
            c,
            PG,
            kind="review",
            object_id=str(i),
            title=f"Outage number {i}",
            body="the service was down " + ("zanzibar" if i == 3 else ""),
        )
    return c


@pytest.fixture
def small_thresholds(monkeypatch):
    monkeypatch.setattr(candidates, "PRUNE_MIN_DF", 3)
    monkeypatch.setattr(candidates, "PRUNE_FRACTION", 0.0)
    monkeypatch.setattr(candidates, "SCAN_BUDGET", 5)
    monkeypatch.setattr(candidates, "SCAN_WINDOW", 4)


def test_it_drops_common_terms_when_a_rare_one_exists(cur, small_thresholds):
    plan = candidates.plan_pg(cur, ["outage", "zanzibar"], [])
    assert plan.lexemes == ["zanzibar"] and not plan.window and not plan.head_only
    assert [h.id for h in index.search(cur, PG, "outage zanzibar")] == [4]


def test_it_scores_only_the_most_recent_matches_when_every_term_is_common(cur, small_thresholds):
    plan = candidates.plan_pg(cur, ["outage", "service"], [])
    assert plan.head_only and plan.window and plan.scan_recent
    assert "'outag':ABC" in plan.query
    hits = index.search(cur, PG, "outage service", limit=50)
    assert sorted(h.id for h in hits) == [17, 18, 19, 20]


def test_it_never_prunes_small_indexes(cur):
    plan = candidates.plan_pg(cur, ["outage", "service"], [])
    assert plan.lexemes == ["outag", "servic"] and not plan.window and not plan.head_only
    assert len(index.search(cur, PG, "outage service", limit=50)) == 20


def test_it_weights_rare_words_above_common_ones(cur):
    # "outage" is in all 20 titles (weight 4), "zanzibar" in one body (weight 1): with idf,
    # the rare word still decides; ts_rank (no idf) ranked the common title word first.
    hits = index.search(cur, PG, "outage zanzibar")
    assert hits[0].id == 4
    plan = candidates.plan_pg(cur, ["outage", "zanzibar"], [])
    idf = dict(zip(plan.lexemes, plan.idf, strict=True))
    assert idf["zanzibar"] > 2 > idf["outag"]


def test_it_pages_scores_and_highlights_only_the_page(cur):
    first = index.search(cur, PG, "outage", limit=5)
    second = index.search(cur, PG, "outage", limit=5, offset=5)
    assert len(first) == len(second) == 5
    assert not {h.id for h in first} & {h.id for h in second}
    assert all("<mark>Outage</mark>" in h.title_html for h in first + second)
    assert [h.score for h in first] == sorted((h.score for h in first), reverse=True)


LEXICAL = index.RankingParams(dense=False)


def test_it_returns_nothing_for_stop_words_and_unknown_words(cur):
    assert index.search(cur, PG, "the of and") == []
    assert index.search(cur, PG, "qwertyuiop") == []
    # No lexical candidate; the dense stage scores every document low, so the default
    # threshold shows nothing (with threshold=0 it would list its nearest documents).
    assert index.related(cur, PG, "qwertyuiop", "") == []
    assert index.related(cur, PG, "qwertyuiop", "", threshold=0, params=LEXICAL) == []


@pytest.fixture
def fresh_statistics(monkeypatch):
    """Large-index behaviour on the small one: statistics kept per process, empty."""
    monkeypatch.setattr(candidates, "STATS_MIN_DOCS", 5)
    monkeypatch.setattr(candidates, "_STATS", {})
    monkeypatch.setattr(candidates, "_PG_SAMPLE", {})
    monkeypatch.setattr(candidates, "_PG_KEPT", {})
    # The newest documents' sample misses every lexeme (as when they are of another kind).
    monkeypatch.setattr(candidates, "_pg_common_lexemes", lambda *a: {})


def test_a_lexeme_postgresql_knows_to_be_common_is_not_probed(cur, fresh_statistics):
    # "outage" is in every document, "zanzibar" in one.
    assert candidates._pg_kept_common(cur, 20, 4) == frozenset()  # never analysed
    assert candidates._pg_dfs(cur, ["outag", "zanzibar"], 20, 4) == {"outag": 5, "zanzibar": 1}
    cur.execute("ANALYZE search_document")
    candidates._PG_KEPT.clear()
    assert "outag" in candidates._pg_kept_common(cur, 20, 4)
    probed: list[str] = []

    class Spy:
        def execute(self, sql, params=None):
            probed.extend(p for p in params or () if isinstance(p, str))
            return cur.execute(sql, params)

        def fetchone(self):
            return cur.fetchone()

        def fetchall(self):
            return cur.fetchall()

    candidates._STATS.clear()
    dfs = candidates._pg_dfs(Spy(), ["outag", "zanzibar"], 20, 4)
    # The count a capped probe would have given (max_df + 1), without the probe; the rare
    # lexeme is still counted exactly (decision 0248).
    assert dfs == {"outag": 5, "zanzibar": 1}
    assert "'zanzibar'" in probed and "'outag'" not in probed
