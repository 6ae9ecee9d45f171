"""The metrics' own query-count guard, without the cache: computing every metric runs the same
number of queries (or fewer) whatever the number of teams, rows and months with data (the page guards in
``devtools/tests/test_query_counts.py`` meet the cache after their warm-up request)."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from learnloop.metrics.catalogue import compute
from learnloop.metrics.scope import organisation_scope
from learnloop.testing.builders import (
    make_action,
    make_campaign,
    make_incident,
    make_review,
    make_team,
)


def _queries(user) -> int:
    with CaptureQueriesContext(connection) as ctx:
        compute(organisation_scope(user, months=24))
    return len(ctx.captured_queries)


def _fill(team, months: int) -> None:
    now = timezone.now()
    for i in range(months):
        at = now - dt.timedelta(days=31 * i)
        make_incident(team, kind="near_miss", created_at=at, started_at=at, resolved_at=at)
        make_review(team, status="published", created_at=at, published_at=at)
        make_action(team, due_date=at.date())
        make_campaign(team, ran_on=at.date())


def test_computing_every_metric_takes_a_fixed_number_of_queries(alice, org, alpha) -> None:
    alice.is_org_admin = True
    alice.save(update_fields=["is_org_admin"])
    _fill(alpha, 1)
    few = _queries(alice)
    for name in ("Gamma", "Delta", "Epsilon"):
        _fill(make_team(org, name=name), 12)
    _fill(alpha, 12)
    assert _queries(alice) <= few
    assert few <= 45, few
