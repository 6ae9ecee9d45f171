"""Metrics on hand-computed data."""

import datetime as dt
from typing import Any

import pytest

from learnloop.incidents import metrics
from learnloop.incidents.charts import format_minutes

T = dt.datetime(2026, 1, 10, 12, 0, tzinfo=dt.UTC)


def m(minutes: float) -> dt.datetime:
    return T + dt.timedelta(minutes=minutes)


def test_it_summarizes_with_mean_median_and_nearest_rank_p90():
    # 1..10: mean 5.5, median (5+6)/2 = 5.5, p90 = sorted[ceil(9)-1] = 9
    assert metrics.summarize(range(1, 11)) == {"count": 10, "mean": 5.5, "median": 5.5, "p90": 9}
    # 10, 20, 60: mean 30, median 20, p90 = sorted[ceil(2.7)-1] = sorted[2] = 60
    assert metrics.summarize([60, 10, 20]) == {"count": 3, "mean": 30, "median": 20, "p90": 60}
    assert metrics.summarize([7]) == {"count": 1, "mean": 7, "median": 7, "p90": 7}
    assert metrics.summarize([]) == {"count": 0, "mean": None, "median": None, "p90": None}


def test_it_computes_times_to_detect_acknowledge_and_resolve_by_severity_and_month():
    feb = T + dt.timedelta(days=30)  # 2026-02-09
    rows = [
        {
            "severity": "sev1",
            "started_at": T,
            "detected_at": m(10),
            "acknowledged_at": m(15),
            "resolved_at": m(70),
        },
        {
            "severity": "sev1",
            "started_at": T,
            "detected_at": m(30),
            "acknowledged_at": m(60),
            "resolved_at": m(130),
        },
        {
            "severity": "sev2",
            "started_at": feb,
            "detected_at": feb + dt.timedelta(minutes=60),
            "acknowledged_at": None,
            "resolved_at": None,
        },
        {
            "severity": "",
            "started_at": None,
            "detected_at": m(5),
            "acknowledged_at": m(6),
            "resolved_at": m(100),
        },
        # out of order (imported data): ignored
        {
            "severity": "sev2",
            "started_at": m(10),
            "detected_at": T,
            "acknowledged_at": None,
            "resolved_at": None,
        },
    ]
    out = metrics.incident_durations(rows)
    detect = out["detect"]
    # detect: 10, 30 (sev1, Jan) and 60 (sev2, Feb)
    assert detect["overall"] == {"count": 3, "mean": 33.33, "median": 30, "p90": 60}
    assert detect["by_severity"]["sev1"] == {"count": 2, "mean": 20, "median": 20, "p90": 30}
    assert detect["by_severity"]["sev2"]["count"] == 1
    assert detect["by_month"] == {
        "2026-01": {"count": 2, "mean": 20, "median": 20, "p90": 30},
        "2026-02": {"count": 1, "mean": 60, "median": 60, "p90": 60},
    }
    # acknowledge: 5, 30 (sev1) and 1 (no severity, grouped under "")
    ack = out["acknowledge"]
    assert ack["overall"] == {"count": 3, "mean": 12, "median": 5, "p90": 30}
    assert ack["by_severity"][""] == {"count": 1, "mean": 1, "median": 1, "p90": 1}
    # resolve: started→resolved 70, 130
    assert out["resolve"]["overall"] == {"count": 2, "mean": 100, "median": 100, "p90": 130}


def test_it_computes_time_from_resolution_to_published_review():
    pairs = [(T, m(60 * 24)), (T, m(60 * 48)), (T, None), (None, T), (m(10), T)]
    out = metrics.review_lag(pairs)
    assert out["overall"] == {"count": 2, "mean": 2160, "median": 2160, "p90": 2880}
    assert list(out["by_month"]) == ["2026-01"]


def test_it_counts_actions_done_on_time_late_and_overdue_per_month():
    today = dt.date(2026, 2, 15)
    due = dt.date(2026, 2, 10)
    rows = [
        {"due_date": due, "status": "done", "done_at": dt.datetime(2026, 2, 10, 23, tzinfo=dt.UTC)},
        {"due_date": due, "status": "done", "done_at": dt.datetime(2026, 2, 11, 1, tzinfo=dt.UTC)},
        {"due_date": due, "status": "open", "done_at": None},
        {"due_date": due, "status": "in_progress", "done_at": None},
        {"due_date": dt.date(2026, 2, 20), "status": "open", "done_at": None},
        {"due_date": dt.date(2026, 1, 5), "status": "done", "done_at": None},
        {"due_date": due, "status": "wont_do", "done_at": None},
        {"due_date": None, "status": "open", "done_at": None},
    ]
    assert metrics.action_follow_through(rows, today=today) == {
        "2026-01": {"on_time": 1, "late": 0, "overdue": 0, "open": 0},
        "2026-02": {"on_time": 1, "late": 1, "overdue": 2, "open": 1},
    }


@pytest.mark.django_db
def test_the_database_counts_actions_as_the_python_rule_does(alice, alpha):
    """Decision 0174: the dashboard counts follow-through in SQL; the same rows give the same
    counts as :func:`metrics.action_follow_through` (done by the end of the due day in UTC is on
    time, a minute later is late; no due date and "won't do" left out)."""
    from learnloop.actions.models import Action

    today = dt.date(2026, 2, 15)
    due = dt.date(2026, 2, 10)
    rows: list[dict[str, Any]] = [
        {"due_date": due, "status": "done", "done_at": dt.datetime(2026, 2, 10, 23, 59, 59, 999999, tzinfo=dt.UTC)},
        {"due_date": due, "status": "done", "done_at": dt.datetime(2026, 2, 11, 0, 0, tzinfo=dt.UTC)},
        {"due_date": due, "status": "done", "done_at": dt.datetime(2026, 2, 3, 8, tzinfo=dt.UTC)},
        {"due_date": due, "status": "open", "done_at": None},
        {"due_date": due, "status": "in_progress", "done_at": None},
        {"due_date": today, "status": "open", "done_at": None},
        {"due_date": dt.date(2026, 2, 20), "status": "open", "done_at": None},
        {"due_date": dt.date(2026, 1, 31), "status": "done", "done_at": None},
        {"due_date": dt.date(2025, 12, 31), "status": "done", "done_at": dt.datetime(2026, 1, 1, 0, 30, tzinfo=dt.UTC)},
        {"due_date": due, "status": "wont_do", "done_at": None},
        {"due_date": None, "status": "open", "done_at": None},
    ]  # fmt: skip
    for i, row in enumerate(rows):
        Action.objects.create(team=alpha, title=f"A{i}", **row)
    expected = metrics.action_follow_through(rows, today=today)
    counted = metrics._follow_through_in_sql(Action.objects.filter(team=alpha), today=today)
    assert counted == expected
    assert counted["2026-02"] == {"on_time": 2, "late": 1, "overdue": 2, "open": 2}


@pytest.mark.django_db
def test_it_computes_dashboard_metrics_from_the_database(alice, alpha):
    from learnloop.actions.models import Action
    from learnloop.reviews.models import Review
    from learnloop.testing.builders import make_incident

    incident = make_incident(
        alpha, severity="sev1", started_at=T, detected_at=m(12), resolved_at=m(60)
    )
    Review.objects.create(
        team=alpha, incident=incident, title="R1", status="published", published_at=m(60 + 120)
    )
    Review.objects.create(
        team=alpha, incident=incident, title="R2", status="published", published_at=m(60 + 600)
    )
    Action.objects.create(team=alpha, title="A", due_date=dt.date(2026, 1, 20), status="open")
    data = metrics.dashboard_metrics(user=alice, teams=[alpha], today=dt.date(2026, 2, 1))
    assert data["incident_count"] == 1
    assert data["durations"]["detect"]["overall"]["mean"] == 12
    assert data["review_lag"]["overall"]["median"] == 120  # the first published review counts
    assert data["actions"]["2026-01"]["overdue"] == 1


@pytest.mark.django_db
def test_it_renders_accessible_svg_charts_with_data_tables(client_for, alice, alpha):
    from learnloop.testing.builders import make_incident

    make_incident(alpha, severity="sev1", started_at=T, detected_at=m(90), resolved_at=m(200))
    body = client_for(alice).get("/incidents/dashboard/?team=alpha").content.decode()
    assert body.count("<svg") >= 4
    assert "<title id=" in body and "<desc id=" in body
    assert "Time to detect by severity" in body
    assert '<th scope="row">SEV1 · critical</th>' in body
    assert "1 h 30 min" in body


def test_it_formats_durations_for_people():
    assert [format_minutes(v) for v in (None, 0.2, 42, 60, 185, 60 * 50)] == [
        "–",
        "< 1 min",
        "42 min",
        "1 h",
        "3 h 5 min",
        "2 d 2 h",
    ]
