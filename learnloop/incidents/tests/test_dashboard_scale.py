"""The dashboard at scale (docs/decisions/0072): a default 12-month window with a selector, the
figures cached for a few minutes with their time on the page, new rows shown at once."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import caches
from django.utils import timezone

from learnloop.incidents import metrics
from learnloop.testing.builders import make_incident

pytestmark = pytest.mark.django_db


def _incident(team, *, days_ago: int, detect_minutes: int = 10):
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


def test_it_shows_the_last_twelve_months_by_default_with_a_selector(client_for, alice, alpha):
    _incident(alpha, days_ago=3)
    _incident(alpha, days_ago=500)  # older than 12 months, within 24
    _incident(alpha, days_ago=900)
    client = client_for(alice)
    body = client.get("/incidents/dashboard/").content.decode()
    assert "1 incident you can see from the last 12 months" in body
    assert '<option value="12" selected>Last 12 months</option>' in body
    assert (
        "2 incidents you can see" in client.get("/incidents/dashboard/?months=24").content.decode()
    )
    body = client.get("/incidents/dashboard/?months=0").content.decode()
    assert (
        "3 incidents you can see" in body and '<option value="0" selected>All time</option>' in body
    )
    body = client.get("/incidents/dashboard/?months=7").content.decode()  # not offered: default
    assert "1 incident you can see from the last 12 months" in body


def test_it_says_when_the_figures_were_computed(client_for, alice, alpha):
    _incident(alpha, days_ago=3)
    body = client_for(alice).get("/incidents/dashboard/").content.decode()
    assert "Figures as of <time datetime=" in body
    assert "recomputed on the first view after any change" in body
    assert f"kept at most {metrics.CACHE_SECONDS // 60} minutes" in body


def test_it_caches_the_figures_but_shows_new_incidents_at_once(client_for, alice, alpha):
    first = _incident(alpha, days_ago=3, detect_minutes=10)
    client = client_for(alice)
    assert "1 incident you can see" in client.get("/incidents/dashboard/").content.decode()
    _incident(alpha, days_ago=2)  # a new row: a new cache key
    assert "2 incidents you can see" in client.get("/incidents/dashboard/").content.decode()
    # An edit to an existing row shows on the next view too: the key holds the organisation's
    # data version, which every write moves (decision 0174).
    first.detected_at = first.started_at + dt.timedelta(minutes=50)
    first.save()
    after = client.get("/incidents/dashboard/").context["data"]
    assert after["durations"]["detect"]["overall"]["mean"] == 30


def test_it_keeps_cached_figures_apart_per_visibility(client_for, alice, charlie, alpha, beta):
    make_incident(alpha, started_at=timezone.now(), visibility="team")
    make_incident(alpha, started_at=timezone.now(), visibility="organisation")
    org = alice.organisation
    org_teams = [alpha, beta]
    a = metrics.cached_dashboard_metrics(user=alice, teams=org_teams, months=12)
    c = metrics.cached_dashboard_metrics(user=charlie, teams=org_teams, months=12)
    assert (a["incident_count"], c["incident_count"]) == (2, 1)
    assert org.pk == charlie.organisation.pk


def test_it_counts_a_report_without_a_start_time_by_its_report_date(client_for, alice, alpha):
    """A quick report has no start time: it counts in the month it was reported (issue 11,
    item 3), and the chart says so. An old start time still wins over a recent report."""
    make_incident(alpha)  # a quick report: no start time
    make_incident(alpha, created_at=timezone.now() - dt.timedelta(days=40))
    _incident(alpha, days_ago=3)
    _incident(alpha, days_ago=500)  # reported today, started long ago: outside 12 months
    body = client_for(alice).get("/incidents/dashboard/").content.decode()
    assert "3 incidents you can see from the last 12 months" in body
    assert '<h2 id="chart-h-1">Incidents by month</h2>' in body
    assert (
        "2 of 3 incidents have no start time and are counted in the month they were reported"
        in body
    )
    data = metrics.dashboard_metrics(user=alice, teams=[alpha], since=metrics.window_start(12))
    this_month = metrics.month_of(timezone.now())
    assert data["incidents_by_month"][this_month]["reported"] >= 1
    assert sum(c["reported"] for c in data["incidents_by_month"].values()) == 2
    assert sum(c["started"] for c in data["incidents_by_month"].values()) == 1
    everything = client_for(alice).get("/api/incidents/metrics?months=0").json()
    assert everything["incident_count"] == 4


def test_it_colours_each_action_state_the_same_and_overdue_never_green(client_for, alice, alpha):
    import re

    from learnloop.actions.models import Action
    from learnloop.incidents.charts import STATE_COLOURS

    today = timezone.localdate()
    Action.objects.create(team=alpha, title="Late", due_date=today - dt.timedelta(days=3))
    Action.objects.create(
        team=alpha, title="Done", due_date=today - dt.timedelta(days=2), status="done",
        done_at=timezone.now() - dt.timedelta(days=4),
    )  # fmt: skip
    Action.objects.create(team=alpha, title="Later", due_date=today + dt.timedelta(days=30))
    body = client_for(alice).get("/incidents/dashboard/").content.decode()
    fills = {
        state: set(re.findall(rf'fill="(#[0-9a-f]{{6}})"><title>[^<]*, {state}: ', body))
        for state in ("Done on time", "Done late", "Overdue", "Open")
    }
    assert fills["Overdue"] == {STATE_COLOURS["overdue"]}
    assert fills["Done on time"] == {STATE_COLOURS["on_time"]}
    assert fills["Open"] == {STATE_COLOURS["open"]}
    green = STATE_COLOURS["on_time"]
    # Green means "done on time" and nothing else, on every chart of the page.
    assert body.count(f'fill="{green}"><title>') == body.count(", Done on time: ")


def test_an_anonymous_report_s_id_never_enters_the_cache_key(alice, alpha):
    """The key names the newest *named* rows: an anonymous report's random negative id beside
    the entry's computed time would tie the two (decision 0010)."""
    caches["local"].clear()
    report = make_incident(alpha, is_anonymous=True, started_at=timezone.now())
    assert report.pk < 0
    data = metrics.cached_dashboard_metrics(user=alice, teams=[alpha], months=12)
    assert data["incident_count"] == 1
    keys = [k for k in caches["local"]._cache if "dashboard" in k]  # type: ignore[attr-defined]
    assert keys and not any(str(report.pk) in k for k in keys), keys
