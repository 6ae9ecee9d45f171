"""PostgreSQL index: same guarantees as SQLite, on a throwaway schema.

Skips (with the reason) when psycopg is missing or the server is not reachable at
postgresql://postgres@127.0.0.1:5432/postgres.
"""

import uuid

import pytest

from learnloop.search import index
from learnloop.search.tests.test_index_sqlite import DOCS
from learnloop.search.tests.test_text import NASTY

DSN = "postgresql://postgres@127.0.0.1:5432/postgres"

psycopg = pytest.importorskip("psycopg", reason="psycopg is not installed")


@pytest.fixture(scope="module")
def conn():
    try:
        c = psycopg.connect(DSN, autocommit=True, connect_timeout=3)
    except Exception as exc:  # noqa: BLE001 - any connection problem means "skip"
        pytest.skip(f"PostgreSQL not reachable at {DSN}: {exc}")
    schema = f"search_test_{uuid.uuid4().hex[:12]}"
    c.execute(f"CREATE SCHEMA {schema}")
    c.execute(f"SET search_path TO {schema}")
    yield c
    c.execute(f"DROP SCHEMA {schema} CASCADE")
    c.close()


@pytest.fixture
def cur(conn):
    c = conn.cursor()
    c.execute("DROP TABLE IF EXISTS search_document")
    index.create_schema(c, "postgresql")
    for oid, title, summary, keywords, body in DOCS:
        index.upsert_document(
            c,
            "postgresql",
            kind="review",
            object_id=oid,
            title=title,
            summary=summary,
            keywords=keywords,
            body=body,
            team_id=1 if oid != "4" else 2,
            visibility="org" if oid != "4" else "team",
        )
    return c


def matching(c, word):
    c.execute(
        "SELECT id FROM search_document WHERE search_vector @@ plainto_tsquery('english', %s)"
        " ORDER BY id",
        [word],
    )
    return [r[0] for r in c.fetchall()]


def test_index_is_in_step_after_insert_update_delete(cur):
    cur.execute("SELECT id FROM search_document WHERE object_id = '2'")
    doc_id = cur.fetchone()[0]
    assert doc_id in matching(cur, "leap")
    assert (
        index.upsert_document(
            cur,
            "postgresql",
            kind="review",
            object_id="2",
            title="Quota exhaustion",
            body="hit its quota",
        )
        == doc_id
    )
    assert doc_id not in matching(cur, "leap")
    assert matching(cur, "quota") == [doc_id]
    assert index.delete_document(cur, "postgresql", kind="review", object_id="2")
    assert matching(cur, "quota") == []


def test_search_ranks_highlights_and_escapes(cur):
    hits = index.search(cur, "postgresql", "certificate")
    assert hits[0].id == min(h.id for h in hits) or "certificate" in hits[0].title_html.lower()
    assert "<mark>" in hits[0].snippet_html + hits[0].title_html
    hits = index.search(cur, "postgresql", "rotation misconfigured")
    out = " ".join(h.snippet_html + h.title_html for h in hits)
    assert "<script>" not in out
    assert "<" not in out.replace("<mark>", "").replace("</mark>", "")


def test_visibility_filter(cur):
    sql, params = "d.visibility = 'org' OR d.team_id = %s", [1]
    hits = index.search(
        cur, "postgresql", "disk full logging", visibility_sql=sql, visibility_params=params
    )
    cur.execute("SELECT id FROM search_document WHERE object_id = '4'")
    assert cur.fetchone()[0] not in [h.id for h in hits]


@pytest.mark.parametrize("text", NASTY)
def test_nasty_queries_never_raise(cur, text):
    index.search(cur, "postgresql", text)
    index.related(cur, "postgresql", text, text)


def test_related_and_threshold(cur):
    res = index.related(
        cur,
        "postgresql",
        "Internal calls refused at midnight",
        "Service-to-service calls failed with handshake errors: the issuing "
        "CA certificate reached the end of its validity window.",
        threshold=0.0,
    )
    cur.execute("SELECT id FROM search_document WHERE object_id = '1'")
    assert res[0][0] == cur.fetchone()[0]
    assert (
        index.related(
            cur,
            "postgresql",
            "Quarterly picnic menu",
            "We should order more lemon cake and fewer sandwiches.",
        )
        == []
    )
