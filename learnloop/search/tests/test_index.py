"""The search index on both vendors — SQLite FTS5 and PostgreSQL's tsvector: exact sync with
the table, safe search, related ranking. Every test runs once per vendor through the ``idx``
fixture; PostgreSQL runs on a throwaway schema (``postgres_connection`` in conftest.py) and skips,
with the reason, when the server is not reachable."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

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


@dataclass
class Index:
    """A cursor on a freshly filled index and the vendor it speaks."""

    vendor: str
    cur: Any

    def sql(self, query: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        """Rows of ``query`` written with ``?`` placeholders, on either vendor."""
        self.cur.execute(query.replace("?", index.placeholder(self.vendor)), params)
        return list(self.cur.fetchall()) if self.cur.description else []

    def doc_id(self, object_id: str) -> int:
        return int(
            self.sql("SELECT id FROM search_document WHERE object_id = ?", (object_id,))[0][0]
        )

    def matching(self, word: str) -> list[int]:
        """Ids of the documents the full-text index finds for ``word``, in order."""
        if self.vendor == "sqlite":
            query = "SELECT rowid FROM search_fts WHERE search_fts MATCH ?"
            return sorted(r[0] for r in self.sql(query, (f'"{word}"',)))
        query = (
            "SELECT id FROM search_document"
            " WHERE search_vector @@ plainto_tsquery('english', ?) ORDER BY id"
        )
        return [r[0] for r in self.sql(query, (word,))]


def fill(cursor: Any, vendor: str) -> None:
    index.create_schema(cursor, vendor)
    for oid, title, summary, keywords, body in DOCS:
        index.upsert_document(
            cursor,
            vendor,
            kind="review",
            object_id=oid,
            title=title,
            summary=summary,
            keywords=keywords,
            body=body,
            team_id=1 if oid != "4" else 2,
            visibility="org" if oid != "4" else "team",
        )


def test_it_creates_schema_idempotently(idx: Index) -> None:
    index.create_schema(idx.cur, idx.vendor)
    index.check_integrity(idx.cur, idx.vendor)


def test_index_is_in_step_after_insert_update_delete(idx: Index) -> None:
    cur, vendor = idx.cur, idx.vendor
    index.check_integrity(cur, vendor)
    doc_id = idx.doc_id("2")
    assert doc_id in idx.matching("leap")

    same_id = index.upsert_document(
        cur,
        vendor,
        kind="review",
        object_id="2",
        title="Quota exhaustion",
        body="the project hit its quota",
    )
    assert same_id == doc_id
    index.check_integrity(cur, vendor)
    assert doc_id not in idx.matching("leap")
    assert idx.matching("quota") == [doc_id]

    assert index.delete_document(cur, vendor, kind="review", object_id="2")
    assert not index.delete_document(cur, vendor, kind="review", object_id="2")
    index.check_integrity(cur, vendor)
    assert idx.matching("quota") == []
    assert idx.sql("SELECT count(*) FROM search_document")[0][0] == 3


def test_direct_sql_writes_keep_the_index_in_step(idx: Index) -> None:
    idx.sql("UPDATE search_document SET body = 'zebra' WHERE object_id = '1'")
    idx.sql("DELETE FROM search_document WHERE object_id = '3'")
    index.check_integrity(idx.cur, idx.vendor)
    assert len(idx.matching("zebra")) == 1
    assert idx.matching("thundering") == []


def test_search_ranks_and_highlights(idx: Index) -> None:
    hits = index.search(idx.cur, idx.vendor, "certificate")
    assert hits and hits[0].id == idx.doc_id("1")
    assert "<mark>" in hits[0].title_html
    assert "<mark>" in hits[0].snippet_html


def test_search_expands_mechanisms(idx: Index) -> None:
    hits = index.search(idx.cur, idx.vendor, "our cert lapsed")
    assert hits[0].id == idx.doc_id("1")


def test_snippets_escape_html(idx: Index) -> None:
    hits = index.search(idx.cur, idx.vendor, "rotation misconfigured")
    assert hits
    html_out = " ".join(h.snippet_html + h.title_html for h in hits)
    assert "<script>" not in html_out
    assert "&lt;script&gt;" in html_out or "rotation" in html_out
    stripped = html_out.replace("<mark>", "").replace("</mark>", "")
    assert "<" not in stripped


def test_search_applies_visibility_filter(idx: Index) -> None:
    visible = f"d.visibility = 'org' OR d.team_id = {index.placeholder(idx.vendor)}"
    hits = index.search(
        idx.cur, idx.vendor, "disk full logging", visibility_sql=visible, visibility_params=[1]
    )
    assert idx.doc_id("4") not in [h.id for h in hits]
    hits = index.search(
        idx.cur, idx.vendor, "disk full logging", visibility_sql=visible, visibility_params=[2]
    )
    assert hits[0].id == idx.doc_id("4")


@pytest.mark.parametrize("text", NASTY)
def test_nasty_queries_never_raise(idx: Index, text: str) -> None:
    index.search(idx.cur, idx.vendor, text)
    index.related(idx.cur, idx.vendor, text, text)


def test_empty_query_returns_nothing(idx: Index) -> None:
    assert index.search(idx.cur, idx.vendor, "") == []
    assert index.search(idx.cur, idx.vendor, "!!! ***") == []
    assert index.related(idx.cur, idx.vendor, "", "") == []


def test_related_finds_the_same_mechanism_in_other_words(idx: Index) -> None:
    res = index.related(
        idx.cur,
        idx.vendor,
        "Internal calls refused at midnight",
        "Every service-to-service call failed with handshake errors: the "
        "issuing CA certificate reached the end of its validity window.",
        threshold=0.0,
    )
    assert res[0][0] == idx.doc_id("1")
    doc_id, conf, reasons = res[0]
    assert 0 < conf <= 1
    assert any("TLS" in r or "expiry" in r for r in reasons)


def test_related_excludes_ids_and_respects_visibility(idx: Index) -> None:
    res = index.related(
        idx.cur,
        idx.vendor,
        "Log volume filled the disk",
        "",
        threshold=0.0,
        exclude_ids=[idx.doc_id("1"), idx.doc_id("2")],
        visibility_sql="d.visibility = 'org'",
    )
    assert {r[0] for r in res} <= {idx.doc_id("3")}


def test_threshold_returns_empty_for_unrelated_query(idx: Index) -> None:
    assert (
        index.related(
            idx.cur,
            idx.vendor,
            "Quarterly picnic menu",
            "We should order more lemon cake and fewer sandwiches.",
        )
        == []
    )


def test_unknown_vendor_is_rejected(idx: Index) -> None:
    with pytest.raises(ValueError):
        index.related(idx.cur, "oracle", "x")


def test_an_emoji_finds_the_document_that_contains_it(idx: Index) -> None:
    """Both engines drop emoji as separators; the index keeps them as tokens (decision 0113)."""
    doc_id = index.upsert_document(
        idx.cur,
        idx.vendor,
        kind="lesson",
        object_id="emoji-1",
        title="Celebrate the rollback 🎉",
        body="Thank everyone 🙏 who stayed late.",
    )
    assert [h.id for h in index.search(idx.cur, idx.vendor, "🎉")] == [doc_id]
    assert [h.id for h in index.search(idx.cur, idx.vendor, "thanks 🙏")][:1] == [doc_id]
    assert index.search(idx.cur, idx.vendor, "🚒") == []
