"""Query plans (not timings) of reads whose cost grew with the data (decision 0177).

SQLite's ``ANALYZE`` describes a plain index on a column that is NULL in nearly every row as one
value covering the whole table, and the planner then walks another index over every row. The
columns below have partial indexes (``IS NOT NULL``) instead; these tests fill a table with
NULLs, run ``ANALYZE`` and check that the reads use them. On PostgreSQL, whose statistics know
the NULL fraction, they check that the partial index can serve the same reads.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.db.models import QuerySet

from learnloop.experiments import selectors as experiment_selectors
from learnloop.experiments.models import Experiment
from learnloop.lessons.models import Lesson
from learnloop.retros.models import Retro
from learnloop.testing.builders import (
    make_experiment,
    make_organisation,
    make_retro,
    make_team,
    make_user,
)

pytestmark = pytest.mark.django_db


def _plan(qs: QuerySet[Any]) -> str:
    sql, params = qs.query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("ANALYZE")
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        else:
            cursor.execute("ANALYZE")
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(str(row[-1]) for row in cursor.fetchall())


@pytest.fixture
def filled() -> dict[str, Any]:
    """Many lessons and experiments, all but one of each linked to nothing."""
    org = make_organisation()
    team = make_team(org)
    first = make_experiment(team)
    linked = make_experiment(team, previous=first)
    retro = make_retro(team)
    Lesson.objects.bulk_create(
        Lesson(team=team, organisation=org, statement=f"Lesson {i}") for i in range(300)
    )
    Lesson.objects.bulk_create(
        [
            Lesson(team=team, organisation=org, statement="From a test", source_experiment=first),
            Lesson(team=team, organisation=org, statement="From a retro", source_retro=retro),
        ]
    )
    Experiment.objects.bulk_create(
        Experiment(team=team, title=f"Card {i}", hypothesis="h", test="t", metric="m")
        for i in range(300)
    )
    return {"first": first, "linked": linked, "retro": retro}


def test_lessons_of_an_experiment_or_a_retro_use_their_partial_index(
    filled: dict[str, Any],
) -> None:
    by_experiment = Lesson.objects.filter(source_experiment=filled["first"]).order_by(
        "-created_at", "-id"
    )
    by_retro = Lesson.objects.filter(source_retro_id=filled["retro"].pk).order_by(
        "-created_at", "-id"
    )
    assert "lesson_source_experiment" in _plan(by_experiment.values("pk"))
    assert "lesson_source_retro" in _plan(by_retro.values("pk"))
    assert [lesson.statement for lesson in by_experiment] == ["From a test"]
    assert [lesson.statement for lesson in by_retro] == ["From a retro"]


def test_the_next_iteration_of_an_experiment_uses_its_partial_index(
    filled: dict[str, Any],
) -> None:
    qs = Experiment.objects.filter(previous=filled["first"]).order_by("created_at", "id")
    assert "experiment_previous" in _plan(qs)
    assert list(qs) == [filled["linked"]]


def test_unlinking_a_deleted_source_still_finds_its_rows(filled: dict[str, Any]) -> None:
    """``on_delete=SET_NULL`` looks the rows up by the column: the partial index serves it."""
    filled["retro"].delete()
    assert not Lesson.objects.filter(statement="From a retro", source_retro__isnull=False).exists()
    assert Lesson.objects.filter(statement="From a retro").exists()
    assert Retro.objects.count() == 0


def test_the_experiment_list_counts_cycles_for_the_rows_shown(filled: dict[str, Any]) -> None:
    """Decision 0185: the learning cycles are a correlated count, evaluated for the page's rows
    after the sort and limit, not ``Count`` over a join that grouped every visible experiment
    (a temporary B-tree for the GROUP BY and another for the ORDER BY on SQLite; an aggregate
    node on PostgreSQL). The API's list counts nothing."""
    team = filled["first"].team
    user = make_user("reader@example.org", team.organisation, team=team)
    page = experiment_selectors.with_cycles(
        experiment_selectors.experiments_filtered(user=user, team=team)
    )[:50]
    api = experiment_selectors.experiments_filtered(user=user)[:50]
    for qs in (page, api):
        plan = _plan(qs)
        # The outer query's part of the plan: the per-row count (SQLite's correlated scalar
        # subquery, PostgreSQL's SubPlan) aggregates one experiment's cards by its index.
        outer = plan.split("CORRELATED SCALAR SUBQUERY")[0].split("SubPlan")[0]
        assert "GROUP BY" not in outer and "Aggregate" not in outer, plan
    assert "learningcard" in _plan(page) and "learningcard" not in _plan(api)
    rows: list[Any] = list(page)  # annotated with ``cycles``
    assert len(rows) == 50 and {e.cycles for e in rows} == {0}


def test_the_bell_reads_a_bounded_number_of_unread_rows_by_its_index() -> None:
    """Decision 0240: the bell is on every page; an exact unread count read every unread row of
    the person (1,352 rows, 948 table pages for the benchmark user at 1M rows on PostgreSQL). The
    bell's query reads the (recipient, read_at) index with a LIMIT of BELL_CAP + 1."""
    from django.test.utils import CaptureQueriesContext

    from learnloop.notifications.models import Notification
    from learnloop.notifications.selectors import BELL_CAP, bell_count

    org = make_organisation()
    team = make_team(org)
    reader = make_user("bell@example.org", org, team=team)
    other = make_user("other@example.org", org, team=team)
    Notification.objects.bulk_create(
        Notification(recipient=person, text=f"n{i}")
        for i in range(300)
        for person in (reader, other)
    )
    with CaptureQueriesContext(connection) as captured:
        assert bell_count(user=reader) == BELL_CAP + 1
    (query,) = [q["sql"] for q in captured.captured_queries if "notification" in q["sql"]]
    assert f"LIMIT {BELL_CAP + 1}" in query and "COUNT" not in query.upper()
    sql, params = (
        Notification.objects.filter(recipient_id=reader.pk, read_at__isnull=True)
        .order_by()
        .values("pk")[: BELL_CAP + 1]
        .query.sql_with_params()
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        if connection.vendor == "sqlite":
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        else:
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(str(row[-1]) for row in cursor.fetchall())
    if connection.vendor == "sqlite":
        assert "notification_unread" in plan, plan
    else:
        # On a test-sized table PostgreSQL may take the recipient's own index and filter
        # read_at (as here, 300 rows); at 1M rows it takes notification_unread (checked by hand,
        # decision 0240). Either way the read is by index and stops at the LIMIT.
        assert "Seq Scan" not in plan and "Limit" in plan, plan
        assert "notification_unread" in plan or "recipient_id" in plan, plan
