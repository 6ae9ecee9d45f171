"""Computed figures are kept per process until the organisation's data changes (decision 0078):
a write shows on the next view, for the writer and everyone else (read-your-writes); views
without a write in between share one computation; another organisation's writes change
nothing here."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from learnloop.metrics.catalogue import board
from learnloop.metrics.scope import organisation_scope
from learnloop.testing.builders import make_incident
from learnloop.web.data_version import attribute_to


def _reports(client, path: str) -> float | None:
    body = client.get(f"{path}/near-miss-share").json()
    series = next(s for s in body["series"] if s["label"] == "Reports")
    values: list[float | None] = series["values"]
    return values[-1]


def _now() -> dt.datetime:
    return timezone.now() - dt.timedelta(seconds=5)


def test_a_write_shows_on_the_next_view_of_the_team_and_organisation_figures(
    client_for, alice, bob, alpha
) -> None:
    alice.is_org_admin = True
    alice.save(update_fields=["is_org_admin"])
    reader, writer = client_for(alice), client_for(bob)
    assert _reports(reader, "/api/metrics/teams/alpha") is None
    assert _reports(reader, "/api/metrics/organisation") is None
    response = writer.post(
        "/api/incidents",
        {
            "team": "alpha",
            "title": "Queue stalled",
            "description": "No jobs ran.",
            "kind": "near_miss",
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert _reports(reader, "/api/metrics/teams/alpha") == 1
    assert _reports(reader, "/api/metrics/organisation") == 1
    assert _reports(writer, "/api/metrics/teams/alpha") == 1


def test_views_share_one_computation_until_the_organisation_writes(alice, alpha, mallory) -> None:
    alice.is_org_admin = True
    alice.save(update_fields=["is_org_admin"])
    make_incident(alpha, kind="near_miss", created_at=_now())
    first = board(organisation_scope(alice))
    with CaptureQueriesContext(connection) as ctx:
        again = board(organisation_scope(alice))
    assert again.computed_at == first.computed_at
    assert 1 <= len(ctx.captured_queries) <= 2  # the teams and the data version; nothing computed
    # Another organisation's write, in its own request, leaves these figures in place.
    with attribute_to(SimpleNamespace(user=mallory)):
        make_incident(mallory.memberships.get().team, kind="near_miss", created_at=_now())
    assert board(organisation_scope(alice)).computed_at == first.computed_at
    make_incident(alpha, kind="near_miss", created_at=_now())
    fresh = board(organisation_scope(alice))
    assert fresh.computed_at > first.computed_at
    near = fresh.get("near-miss-share").series[1].values
    assert near[-1] == 2
