"""The dashboard at scale (docs/decisions/0072): a default 12-month window with a selector, the
figures cached for a few minutes with their time on the page, new rows shown at once."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import caches
from django.utils import timezone

from learnloop.incidents import metrics
from learnloop.incidents.tests.factories import make_incident

pytestmark = pytest.mark.django_db


def _incident(team, *, days_ago: int, detect_minutes: int = 10):  # noqa: ANN001, ANN202
    started = timezone.now() - dt.timedelta(days=days_ago)
    return make_incident(
        team, started_at=started, detected_at=started + dt.timedelta(minutes=detect_minutes)
    )


def test_it_starts_windows_on_whole_months() -> None:
    now = dt.datetime(2026, 3, 15, 8, 0, tzinfo=dt.UTC)
    assert metrics.window_start(12, now=now) == dt.datetime(2025, 4, 1, tzinfo=dt.UTC)
    assert metrics.window_start(1, now=now) == dt.datetime(2026, 3, 1, tzinfo=dt.UTC)
    assert metrics.window_start(24, now=now) == dt.datetime(2024, 4, 1, tzinfo=dt.UTC)
    assert metrics.window_start(0, now=now) is None


def test_it_shows_the_last_twelve_months_by_default_with_a_selector(client_for, alice, alpha):  # noqa: ANN001
    _incident(alpha, days_ago=3)
    _incident(alpha, days_ago=500)  # older than 12 months, within 24
    _incident(alpha, days_ago=900)
    client = client_for(alice)
    body = client.get("/incidents/dashboard/").content.decode()
    assert "1 incident you can see that started in the last 12 months" in body
    assert '<option value="12" selected>Last 12 months</option>' in body
    assert (
        "2 incidents you can see" in client.get("/incidents/dashboard/?months=24").content.decode()
    )
    body = client.get("/incidents/dashboard/?months=0").content.decode()
    assert (
        "3 incidents you can see" in body and '<option value="0" selected>All time</option>' in body
    )
    body = client.get("/incidents/dashboard/?months=7").content.decode()  # not offered: default
    assert "1 incident you can see that started in the last 12 months" in body


def test_it_says_when_the_figures_were_computed(client_for, alice, alpha):  # noqa: ANN001
    _incident(alpha, days_ago=3)
    body = client_for(alice).get("/incidents/dashboard/").content.decode()
    assert "Figures as of <time datetime=" in body
    assert f"recomputed at most every {metrics.CACHE_SECONDS // 60} minutes" in body


def test_it_caches_the_figures_but_shows_new_incidents_at_once(client_for, alice, alpha):  # noqa: ANN001
    first = _incident(alpha, days_ago=3, detect_minutes=10)
    client = client_for(alice)
    assert "1 incident you can see" in client.get("/incidents/dashboard/").content.decode()
    _incident(alpha, days_ago=2)  # a new row: a new cache key
    assert "2 incidents you can see" in client.get("/incidents/dashboard/").content.decode()
    # An edit to an existing row waits for the cache to expire (the page says so).
    first.detected_at = first.started_at + dt.timedelta(minutes=50)
    first.save()
    before = client.get("/incidents/dashboard/").context["data"]
    assert before["durations"]["detect"]["overall"]["mean"] == 10
    caches["local"].clear()
    after = client.get("/incidents/dashboard/").context["data"]
    assert after["durations"]["detect"]["overall"]["mean"] == 30


def test_it_keeps_cached_figures_apart_per_visibility(client_for, alice, charlie, alpha, beta):  # noqa: ANN001
    make_incident(alpha, started_at=timezone.now(), visibility="team")
    make_incident(alpha, started_at=timezone.now(), visibility="organisation")
    org = alice.organisation
    org_teams = [alpha, beta]
    a = metrics.cached_dashboard_metrics(user=alice, teams=org_teams, months=12)
    c = metrics.cached_dashboard_metrics(user=charlie, teams=org_teams, months=12)
    assert (a["incident_count"], c["incident_count"]) == (2, 1)
    assert org.pk == charlie.organisation.pk
