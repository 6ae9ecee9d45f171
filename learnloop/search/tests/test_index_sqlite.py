"""SQLite FTS5 index: exact sync with the table, safe search, related ranking."""

import sqlite3

import pytest

from learnloop.search import index
from learnloop.search.tests.test_text import NASTY

DOCS = [
    (
        "1",
        "Certificate expiry took down the API",
        "An expired TLS certificate on the load balancer broke every HTTPS handshake.",
        "tls, certificate, expiry",
        "The certificate had not been renewed. Clients failed the TLS handshake until the "
        "team rotated the cert. Renewal is now automated.",
    ),
    (
        "2",
        "Leap second crash",
        "A leap second made the clock go backwards and processes spun at 100% CPU.",
        "leap second, clock",
        "When the leap second was inserted, servers using the affected kernel livelocked.",
    ),
    (
        "3",
        "Retry storm after database failover",
        "Clients retried without backoff after the failover and overloaded the new primary.",
        "retry storm, failover",
        "A thundering herd of reconnecting clients saturated the database.",
    ),
    (
        "4",
        "Disk full on the logging host",
        "Verbose logs filled the disk and the service stopped writing.",
        "disk full, logging",
        "The log partition filled up; rotation was misconfigured. <script>alert(1)</script>",
    ),
]


@pytest.fixture
def cur():
    conn = sqlite3.connect(":memory:")
    c = conn.cursor()
    index.create_schema(c, "sqlite")
    for oid, title, summary, keywords, body in DOCS:
        index.upsert_document(
            c,
            "sqlite",
            kind="review",
            object_id=oid,
            title=title,
            summary=summary,
            keywords=keywords,
            body=body,
            team_id=1 if oid != "4" else 2,
            visibility="org" if oid != "4" else "team",
        )
    yield c
    conn.close()


def fts_ids(c, word):
    return sorted(
        r[0]
        for r in c.execute("SELECT rowid FROM search_fts WHERE search_fts MATCH ?", (f'"{word}"',))
    )


def test_it_creates_schema_idempotently(cur):
    index.create_schema(cur, "sqlite")
    index.check_integrity(cur, "sqlite")


def test_index_is_in_step_after_insert_update_delete(cur):
    index.check_integrity(cur, "sqlite")
    doc_id = cur.execute("SELECT id FROM search_document WHERE object_id = '2'").fetchone()[0]
    assert doc_id in fts_ids(cur, "leap")

    same_id = index.upsert_document(
        cur,
        "sqlite",
        kind="review",
        object_id="2",
        title="Quota exhaustion",
        body="the project hit its quota",
    )
    assert same_id == doc_id
    index.check_integrity(cur, "sqlite")
    assert doc_id not in fts_ids(cur, "leap")
    assert doc_id in fts_ids(cur, "quota")

    assert index.delete_document(cur, "sqlite", kind="review", object_id="2")
    assert not index.delete_document(cur, "sqlite", kind="review", object_id="2")
    index.check_integrity(cur, "sqlite")
    assert fts_ids(cur, "quota") == []
    total = cur.execute("SELECT count(*) FROM search_document").fetchone()[0]
    assert total == 3


def test_direct_sql_writes_keep_the_index_in_step(cur):
    cur.execute("UPDATE search_document SET body = 'zebra' WHERE object_id = '1'")
    cur.execute("DELETE FROM search_document WHERE object_id = '3'")
    index.check_integrity(cur, "sqlite")
    assert len(fts_ids(cur, "zebra")) == 1
    assert fts_ids(cur, "thundering") == []


def test_search_ranks_and_highlights(cur):
    hits = index.search(cur, "sqlite", "certificate")
    assert hits and hits[0].id == 1
    assert "<mark>" in hits[0].title_html
    assert "<mark>" in hits[0].snippet_html


def test_search_expands_mechanisms(cur):
    hits = index.search(cur, "sqlite", "our cert lapsed")
    assert hits[0].id == 1


def test_snippets_escape_html(cur):
    hits = index.search(cur, "sqlite", "rotation misconfigured")
    assert hits
    html_out = " ".join(h.snippet_html + h.title_html for h in hits)
    assert "<script>" not in html_out
    assert "&lt;script&gt;" in html_out or "rotation" in html_out
    stripped = html_out.replace("<mark>", "").replace("</mark>", "")
    assert "<" not in stripped


def test_search_applies_visibility_filter(cur):
    hits = index.search(
        cur,
        "sqlite",
        "disk full logging",
        visibility_sql="d.visibility = 'org' OR d.team_id = ?",
        visibility_params=[1],
    )
    assert 4 not in [h.id for h in hits]
    hits = index.search(
        cur,
        "sqlite",
        "disk full logging",
        visibility_sql="d.visibility = 'org' OR d.team_id = ?",
        visibility_params=[2],
    )
    assert hits[0].id == 4


@pytest.mark.parametrize("text", NASTY)
def test_nasty_queries_never_raise(cur, text):
    index.search(cur, "sqlite", text)
    index.related(cur, "sqlite", text, text)


def test_empty_query_returns_nothing(cur):
    assert index.search(cur, "sqlite", "") == []
    assert index.search(cur, "sqlite", "!!! ***") == []
    assert index.related(cur, "sqlite", "", "") == []


def test_related_finds_the_same_mechanism_in_other_words(cur):
    res = index.related(
        cur,
        "sqlite",
        "Internal calls refused at midnight",
        "Every service-to-service call failed with handshake errors: the "
        "issuing CA certificate reached the end of its validity window.",
        threshold=0.0,
    )
    assert res[0][0] == 1
    doc_id, conf, reasons = res[0]
    assert 0 < conf <= 1
    assert any("TLS" in r or "expiry" in r for r in reasons)


def test_related_excludes_ids_and_respects_visibility(cur):
    res = index.related(
        cur,
        "sqlite",
        "Log volume filled the disk",
        "",
        threshold=0.0,
        exclude_ids=[1, 2],
        visibility_sql="d.visibility = 'org'",
    )
    assert {r[0] for r in res} <= {3}


def test_threshold_returns_empty_for_unrelated_query(cur):
    assert (
        index.related(
            cur,
            "sqlite",
            "Quarterly picnic menu",
            "We should order more lemon cake and fewer sandwiches.",
        )
        == []
    )


def test_unknown_vendor_is_rejected(cur):
    with pytest.raises(ValueError):
        index.related(cur, "oracle", "x")
