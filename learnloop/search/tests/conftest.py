"""Search tests name things by their text: these fixtures bind the builders of
``learnloop.testing.builders`` to Alpha and take the title and body positionally."""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from learnloop.accounts.models import Team
from learnloop.incidents.models import Incident
from learnloop.lessons.models import Lesson
from learnloop.reviews.models import Review
from learnloop.testing import builders


@pytest.fixture
def make_incident(alpha: Team) -> Callable[..., Incident]:
    def make(title: str, description: str = "", team: Team | None = None, **kw: Any) -> Incident:
        return builders.make_incident(team or alpha, title=title, description=description, **kw)

    return make


@pytest.fixture
def make_review(alpha: Team) -> Callable[..., Review]:
    def make(title: str, summary: str = "", team: Team | None = None, **kw: Any) -> Review:
        kw.setdefault("content", {"summary": summary})
        kw.setdefault("sections", [])
        return builders.make_review(team or alpha, title=title, **kw)

    return make


@pytest.fixture
def make_lesson(alpha: Team) -> Callable[..., Lesson]:
    def make(statement: str, context: str = "", team: Team | None = None, **kw: Any) -> Lesson:
        return builders.make_lesson(team or alpha, statement=statement, context=context, **kw)

    return make


POSTGRES_DSN = "postgresql://postgres@127.0.0.1:5432/postgres"


@pytest.fixture(scope="module")
def postgres_connection() -> Iterator[Any]:
    """An autocommit connection to the local PostgreSQL server with a throwaway schema first on
    its search path (dropped afterwards); skips, with the reason, when psycopg is missing or
    the server is not reachable at ``POSTGRES_DSN``."""
    psycopg = pytest.importorskip("psycopg", reason="psycopg is not installed")
    try:
        connection = psycopg.connect(POSTGRES_DSN, autocommit=True, connect_timeout=3)
    except Exception as exc:
        pytest.skip(f"PostgreSQL not reachable at {POSTGRES_DSN}: {exc}")
    schema = f"search_test_{uuid.uuid4().hex[:12]}"
    connection.execute(f"CREATE SCHEMA {schema}")
    connection.execute(f"SET search_path TO {schema}")
    yield connection
    connection.execute(f"DROP SCHEMA {schema} CASCADE")
    connection.close()


@pytest.fixture(params=["sqlite", "postgresql"])
def idx(request: pytest.FixtureRequest) -> Iterator[Any]:
    """A cursor on a freshly filled index (test_index.DOCS), once per vendor."""
    from learnloop.search.tests.test_index import Index, fill

    vendor = request.param
    if vendor == "sqlite":
        connection = sqlite3.connect(":memory:")
        cursor = connection.cursor()
        fill(cursor, vendor)
        yield Index(vendor, cursor)
        connection.close()
    else:
        cursor = request.getfixturevalue("postgres_connection").cursor()
        cursor.execute("DROP TABLE IF EXISTS search_vector, search_vector_state, search_document")
        fill(cursor, vendor)
        yield Index(vendor, cursor)
