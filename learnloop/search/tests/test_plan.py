"""Bounded scoring on large indexes (candidates.plan_sqlite), exercised on a small one by
lowering the size thresholds."""

import sqlite3

import pytest

from learnloop.search import candidates, index, mechanisms


@pytest.fixture
def cur(monkeypatch):
    monkeypatch.setattr(candidates, "PRUNE_MIN_DF", 3)
    monkeypatch.setattr(candidates, "PRUNE_FRACTION", 0.0)
    monkeypatch.setattr(candidates, "SCAN_BUDGET", 5)
    monkeypatch.setattr(candidates, "SCAN_WINDOW", 4)
    c = sqlite3.connect(":memory:").cursor()
    index.create_schema(c, "sqlite")
    for i in range(20):
        index.upsert_document(
            c,
            "sqlite",
            kind="review",
            object_id=str(i),
            title=f"Outage number {i}",
            body="the service was down " + ("zanzibar" if i == 3 else ""),
        )
    return c


def test_it_drops_common_terms_when_a_rare_one_exists(cur):
    plan = candidates.plan_sqlite(cur, ["outage", "zanzibar"], [])
    assert plan.match == '"zanzibar"' and plan.min_rowid is None
    hits = index.search(cur, "sqlite", "outage zanzibar")
    assert [h.id for h in hits] == [4]


def test_it_scores_only_a_recent_window_when_every_term_is_common(cur):
    plan = candidates.plan_sqlite(cur, ["outage", "service"], [])
    assert plan.match.startswith("{title summary keywords concepts}")
    assert plan.min_rowid == 17
    hits = index.search(cur, "sqlite", "outage service", limit=50)
    assert sorted(h.id for h in hits) == [17, 18, 19, 20]


def test_it_never_prunes_small_indexes(cur, monkeypatch):
    monkeypatch.setattr(candidates, "PRUNE_MIN_DF", 2000)
    plan = candidates.plan_sqlite(cur, ["outage", "service"], [])
    assert plan.match == '"outage" OR "service"' and plan.min_rowid is None


def test_common_concept_tokens_need_no_column_filter_and_rank_the_same(cur):
    text = "The TLS certificate expired overnight."
    for i in range(20, 30):
        index.upsert_document(
            cur, "sqlite", kind="review", object_id=str(i), title=f"Outage {i}", body=text
        )
    token = mechanisms.token_for(mechanisms.concepts_for(text)[0])
    plan = candidates.plan_sqlite(cur, ["outage"], [token])
    assert plan is not None
    # Both terms are common: the word is matched in the head fields only, the concept token
    # (found in the concepts column alone) without a column filter.
    assert plan.match == f'"{token}" OR {{title summary keywords concepts}} : ("outage")'
    assert plan.min_rowid is not None
    filtered = candidates._Plan(
        f'{{title summary keywords concepts}} : ("{token}" OR "outage")',
        plan.min_rowid,
        plan.n_docs,
    )
    got = candidates.ranked_ids(cur, plan, "", [], 50)
    assert got and got == candidates.ranked_ids(cur, filtered, "", [], 50)
