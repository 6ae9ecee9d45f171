"""``core.compiled.CompiledObjects`` (decision 0234), tested on the incident read the incident
page makes on every view: the objects are the QuerySet's, one query runs, and what is kept
holds no value of any run (not the id of the anonymous report read)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection, connections
from django.db.models import BigIntegerField, Count
from django.test.utils import CaptureQueriesContext

from learnloop.core.compiled import CompiledObjects, Param
from learnloop.incidents.models import Incident
from learnloop.testing.builders import make_incident, make_organisation, make_team, make_user


def _fields(obj: Any) -> dict[str, Any]:
    """A model object's loaded field values (what ``from_db`` set), without its state."""
    return {k: v for k, v in obj.__dict__.items() if k != "_state"}


@pytest.mark.django_db
def test_compiled_objects_are_the_querysets_objects_with_their_related_and_deferred_fields() -> (
    None
):
    org = make_organisation(name="Compiled")
    team = make_team(org, name="Compiled team")
    reporter = make_user("compiled@example.org", org, team=team)
    named = make_incident(team, title="Named", reporter=reporter)
    anonymous = make_incident(team, title="Anonymous", is_anonymous=True, reporter=None)

    def build() -> Any:
        return Incident.objects.select_related("team__organisation", "reporter").filter(
            pk=Param("pk", BigIntegerField())
        )[:1]

    compiled = CompiledObjects(build)
    narrow = CompiledObjects(
        lambda: Incident.objects.filter(pk=Param("pk", BigIntegerField())).only("title")
    )
    for pk in (named.pk, anonymous.pk, named.pk + anonymous.pk + 10**6):
        expected = list(
            Incident.objects.select_related("team__organisation", "reporter").filter(pk=pk)[:1]
        )
        got = compiled.objects(pk=pk)
        assert [_fields(o) for o in got] == [_fields(o) for o in expected]
        for g, e in zip(got, expected, strict=True):
            assert _fields(g.team) == _fields(e.team)
            assert _fields(g.team.organisation) == _fields(e.team.organisation)
            assert (g.reporter and _fields(g.reporter)) == (e.reporter and _fields(e.reporter))
            assert g._state.db == e._state.db and g._state.adding is False
        (only,) = narrow.objects(pk=named.pk)
        if pk == named.pk:
            assert (
                only.get_deferred_fields()
                == Incident.objects.only("title").get(pk=pk).get_deferred_fields()
            )
            assert only.title == "Named"


@pytest.mark.django_db
def test_compiled_objects_run_one_query_and_keep_no_value_of_a_run() -> None:
    """What is kept is SQL with placeholders: not the id of the (anonymous) report read."""
    team = make_team(make_organisation(name="Kept"), name="Kept team")
    report = make_incident(team, title="Kept nothing", is_anonymous=True, reporter=None)
    compiled = CompiledObjects(
        lambda: Incident.objects.select_related("team").filter(pk=Param("pk", BigIntegerField()))
    )
    compiled.objects(pk=report.pk + 1)
    with CaptureQueriesContext(connection) as ctx:
        assert compiled.objects(pk=report.pk)[0].title == "Kept nothing"
    assert len(ctx.captured_queries) == 1
    (statement,) = compiled._kept[connections["default"]].values()
    assert all(isinstance(p, Param) for p in statement.params)
    assert str(abs(report.pk)) not in statement.sql
    assert not any(str(abs(report.pk)) in repr(v) for v in vars(statement).values())


def test_compiled_objects_refuse_what_they_do_not_build() -> None:
    pk = Param("pk", BigIntegerField())
    builds: list[Any] = [
        lambda: Incident.objects.filter(pk=pk).values("title"),
        lambda: Incident.objects.filter(pk=pk).prefetch_related("tags"),
        lambda: Incident.objects.filter(pk=pk).annotate(n=Count("tags")),
    ]
    for build in builds:
        with pytest.raises(TypeError):
            CompiledObjects(build).objects(pk=1)
