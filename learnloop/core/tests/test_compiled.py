"""``core.compiled``: a query compiled once per connection answers what its QuerySet answers,
for every value it is run with, and keeps no value of any run (decision 0183)."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection, connections
from django.db.models import BigIntegerField, CharField
from django.test.utils import CaptureQueriesContext

from learnloop.core.compiled import SHAPES_KEPT, Compiled, Param
from learnloop.core.models import RateLimitWindow


def _windows() -> None:
    RateLimitWindow.objects.bulk_create(
        RateLimitWindow(scope=scope, seconds=60, window=w, ends_at=w * 60 + 60, key=f"k{w}")
        for scope in ("sign-in", "report")
        for w in range(1, 8)
    )


def _build(low: int, high: int) -> Any:
    return (
        RateLimitWindow.objects.filter(scope=Param("scope", CharField()))
        .filter(window__gte=Param("from", BigIntegerField()))
        .order_by("-window", "id")
        .values("scope", "window", "key")[low:high]
    )


def _expected(scope: str, start: int, low: int, high: int) -> list[Any]:
    return list(
        RateLimitWindow.objects.filter(scope=scope, window__gte=start)
        .order_by("-window", "id")
        .values("scope", "window", "key")[low:high]
    )


@pytest.mark.django_db
def test_its_rows_are_the_querysets_for_every_value_and_shape() -> None:
    _windows()
    compiled = Compiled(_build)
    for scope, start, low, high in [
        ("sign-in", 1, 0, 3),
        ("report", 4, 0, 3),
        ("report", 1, 2, 5),
        ("sign-in", 6, 0, 10),
        ("nobody", 1, 0, 3),
    ]:
        got = compiled.rows(shape=(low, high), scope=scope, **{"from": start})
        assert got == _expected(scope, start, low, high)
    assert compiled.rows(shape=(0, 3), scope="nobody", **{"from": 1}) == []


@pytest.mark.django_db
def test_it_runs_one_query_and_keeps_only_sql_and_the_builders_constants() -> None:
    _windows()
    compiled = Compiled(_build)
    compiled.rows(shape=(0, 3), scope="report", **{"from": 2})
    with CaptureQueriesContext(connection) as ctx:
        assert compiled.rows(shape=(0, 3), scope="sign-in", **{"from": 5})[0]["window"] == 7
    assert len(ctx.captured_queries) == 1
    (statement,) = compiled._kept[connections["default"]].values()
    assert all(isinstance(p, Param) for p in statement.params)
    assert "sign-in" not in statement.sql and "report" not in statement.sql


@pytest.mark.django_db
def test_it_keeps_a_bounded_number_of_shapes() -> None:
    _windows()
    compiled = Compiled(_build)
    for low in range(SHAPES_KEPT + 5):
        compiled.rows(shape=(low, low + 1), scope="report", **{"from": 1})
    assert len(compiled._kept[connections["default"]]) == SHAPES_KEPT
    assert compiled.rows(shape=(0, 1), scope="report", **{"from": 1}) == _expected(
        "report", 1, 0, 1
    )


def test_it_refuses_a_query_that_is_not_values() -> None:
    compiled = Compiled(lambda: RateLimitWindow.objects.filter(scope=Param("s", CharField())))
    with pytest.raises(TypeError):
        compiled.rows(s="x")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_each_threads_connection_compiles_its_own() -> None:
    _windows()
    compiled = Compiled(_build)
    compiled.rows(shape=(0, 2), scope="report", **{"from": 1})
    mine = compiled._kept[connections["default"]][(0, 2)]
    seen: list[Any] = []

    def other() -> None:
        try:
            seen.append(compiled.rows(shape=(0, 2), scope="report", **{"from": 1}))
            seen.append(compiled._kept[connections["default"]][(0, 2)] is not mine)
        finally:
            connections.close_all()

    thread = threading.Thread(target=other)
    thread.start()
    thread.join()
    assert seen == [_expected("report", 1, 0, 2), True]
