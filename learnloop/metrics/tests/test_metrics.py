"""The learning metrics through their public interfaces (page, exports, API), on hand-computed
data; every metric starts as an honest "no data yet"; other teams get 404."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from learnloop.coach import services as coach_services
from learnloop.experiments.models import ApprovalRequest, LearningCard
from learnloop.metrics.catalogue import KEYS
from learnloop.testing.builders import (
    make_action,
    make_campaign,
    make_experiment,
    make_incident,
    make_lesson,
    make_review,
    make_transcript,
    make_user,
)

NOW = timezone.now()
THIS_MONTH = f"{NOW.astimezone(dt.UTC):%Y-%m}"


def _at(days: float) -> dt.datetime:
    """``days`` ago, kept inside this calendar month (UTC) so every row lands in one bucket."""
    start = NOW.astimezone(dt.UTC).replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    return max(NOW - dt.timedelta(days=days), start + dt.timedelta(minutes=1))


def _metric(client, path: str, key: str) -> dict[str, Any]:
    response = client.get(f"{path}/{key}")
    assert response.status_code == 200, response.content
    body: dict[str, Any] = response.json()
    return body


def _value(metric: dict[str, Any], label: str, month: str = THIS_MONTH):
    series = next(s for s in metric["series"] if s["label"] == label)
    return series["values"][metric["months"].index(month)]


def test_every_metric_is_an_honest_no_data_yet_on_an_empty_team(client_for, alice) -> None:
    client = client_for(alice)
    body = client.get("/api/metrics/teams/alpha").json()
    assert [m["key"] for m in body["metrics"]] == KEYS
    states = {m["key"]: m["state"] for m in body["metrics"]}
    assert set(states.values()) == {"no_data"}, states
    page = client.get("/metrics/teams/alpha/")
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count("No data yet") >= len(KEYS)
    assert "Is our loop working?" in html


def test_near_miss_share_and_reviews_published_are_counted_by_hand(
    client_for, alice, alpha
) -> None:
    for kind in ("near_miss", "near_miss", "mistake", "service_incident"):
        make_incident(alpha, kind=kind, created_at=_at(1))
    make_review(alpha, status="published", published_at=_at(1), created_at=_at(2))
    make_review(alpha, status="draft", created_at=_at(2))
    make_review(alpha, status="in_review", created_at=_at(2))
    make_review(alpha, status="published", is_historical=True, created_at=_at(2))
    client = client_for(alice)
    near = _metric(client, "/api/metrics/teams/alpha", "near-miss-share")
    assert _value(near, "Near-miss share") == 0.5  # 2 of 4
    assert _value(near, "Reports") == 4
    assert "healthy sign" in near["reading"]
    published = _metric(client, "/api/metrics/teams/alpha", "reviews-published")
    assert _value(published, "Published") == pytest.approx(1 / 3, abs=1e-4)  # historical left out
    assert published["reading"].startswith("33% of the 3 reviews")


def test_incident_times_are_the_dashboards_own_numbers(client_for, alice, alpha) -> None:
    start = _at(3)
    for minutes in (10, 20, 30, 40):
        make_incident(
            alpha,
            started_at=start,
            detected_at=start + dt.timedelta(minutes=minutes),
            acknowledged_at=start + dt.timedelta(minutes=minutes + 5),
            resolved_at=start + dt.timedelta(minutes=minutes * 6),
        )
    client = client_for(alice)
    detect = _metric(client, "/api/metrics/teams/alpha", "time-to-detect")
    assert _value(detect, "Median", f"{start.astimezone(dt.UTC):%Y-%m}") == 25  # (20 + 30) / 2
    assert _value(detect, "p90", f"{start.astimezone(dt.UTC):%Y-%m}") == 40  # nearest rank
    resolve = _metric(client, "/api/metrics/teams/alpha", "time-to-resolve")
    assert _value(resolve, "Median", f"{start.astimezone(dt.UTC):%Y-%m}") == 150
    ack = _metric(client, "/api/metrics/teams/alpha", "time-to-acknowledge")
    assert _value(ack, "Median", f"{start.astimezone(dt.UTC):%Y-%m}") == 5


def test_action_follow_through_and_age(client_for, alice, alpha) -> None:
    today = timezone.localdate()
    due = today - dt.timedelta(days=1)
    if due.month != today.month:
        due = today
    done = timezone.make_aware(dt.datetime.combine(due, dt.time(9)))
    make_action(alpha, status="done", due_date=due, done_at=done)
    make_action(alpha, status="done", due_date=due, done_at=done + dt.timedelta(days=3))
    make_action(alpha, status="open", due_date=today - dt.timedelta(days=40))
    make_action(alpha, status="wont_do", due_date=due)
    client = client_for(alice)
    follow = _metric(client, "/api/metrics/teams/alpha", "action-follow-through")
    month = f"{due:%Y-%m}"
    assert _value(follow, "Done on time", month) == 1
    assert _value(follow, "Done late", month) == 1
    assert _value(follow, "On time (share of due)", month) == 0.5
    assert "is overdue now" in follow["reading"]
    age = _metric(client, "/api/metrics/teams/alpha", "action-age")
    assert age["state"] == "ok"
    assert age["reading"].startswith("1 action is open, a median 0.0 d old")


def test_learning_yield_reuse_and_coach_flags(client_for, alice, alpha) -> None:
    first = make_review(alpha, status="published", published_at=_at(1), created_at=_at(2))
    make_review(alpha, status="published", published_at=_at(1), created_at=_at(2))
    for text in ("Alerts need owners.", "Rollbacks need a rehearsal.", "Runbooks age fast."):
        make_lesson(alpha, statement=text, source_review=first, source_kind="review")
    coach_services.coach_check(
        user=alice,
        text="Dave should have double-checked the config before pushing.",
        target_type="review",
        target_id=first.pk,
        field_key="c-summary#0",
    )
    client = client_for(alice)
    yield_ = _metric(client, "/api/metrics/teams/alpha", "learning-yield")
    assert _value(yield_, "Per review") == 1.5  # 3 lessons / 2 published reviews
    assert _value(yield_, "Per retro") is None
    flags = _metric(client, "/api/metrics/teams/alpha", "coach-flags")
    assert _value(flags, "Reviews started") == 2
    assert _value(flags, "Flags per review") == 0.5  # one flag over two reviews


def test_experiments_approval_lead_time_and_exploration_share(client_for, alice, alpha) -> None:
    small = make_experiment(
        alpha,
        state="decided",
        decision="stop",
        decided_at=_at(1),
        person_days=Decimal("3"),
        phase="explore",
        created_at=_at(5),
    )
    make_experiment(
        alpha, state="running", phase="execute", person_days=Decimal("9"), created_at=_at(5)
    )
    LearningCard.objects.create(experiment=small, observed="o", learned="l", decision="stop")
    make_experiment(alpha, state="decided", decision="pivot", decided_at=_at(1))
    efficiency = make_experiment(alpha, kind="efficiency", state="approved")
    for experiment, kind, hours in ((small, "experiment", 48), (efficiency, "efficiency", 2)):
        ApprovalRequest.objects.create(
            experiment=experiment,
            team=alpha,
            kind=kind,
            phase="explore",
            budget=Decimal("9000"),
            approval="one",
            submitted_at=_at(3),
            decided_at=_at(1),
            outcome="approved",
            lead_time_seconds=hours * 3600,
        )
    client = client_for(alice)
    lead = _metric(client, "/api/metrics/teams/alpha", "approval-lead-time")
    assert _value(lead, "Experiment, median") == 48
    assert _value(lead, "Efficiency change, median") == 2
    assert "new ideas wait longer" in lead["reading"]
    share = _metric(client, "/api/metrics/teams/alpha", "exploration-share")
    assert _value(share, "Exploration share") == 0.25  # 3 of 12 person-days
    assert _value(share, "Target") == 0.1
    cards = _metric(client, "/api/metrics/teams/alpha", "experiment-learning-cards")
    assert _value(cards, "With a learning card") == 0.5  # stop with a card, pivot without


def test_drill_report_rate_is_people_weighted(client_for, alice, alpha) -> None:
    ran = _at(2).date()
    make_campaign(alpha, ran_on=ran, reported=5, clicked=0, ignored=5, minutes_to_first_report=4)
    make_campaign(alpha, ran_on=ran, reported=1, clicked=4, ignored=5, minutes_to_first_report=30)
    drills = _metric(client_for(alice), "/api/metrics/teams/alpha", "drill-reports")
    assert _value(drills, "Report rate", f"{ran:%Y-%m}") == pytest.approx(6 / 20)
    assert _value(drills, "Minutes to first report (median)", f"{ran:%Y-%m}") == 30


def test_exports_carry_the_same_numbers_as_the_api(client_for, alice, alpha) -> None:
    for kind in ("near_miss", "mistake", "mistake", "mistake"):
        make_incident(alpha, kind=kind, created_at=_at(1))
    client = client_for(alice)
    api = _metric(client, "/api/metrics/teams/alpha", "near-miss-share")
    exported = client.get("/metrics/teams/alpha/near-miss-share.json").json()
    assert exported == api
    response = client.get("/metrics/teams/alpha/near-miss-share.csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = {r["month"]: r for r in csv.DictReader(io.StringIO(response.content.decode()))}
    assert float(rows[THIS_MONTH]["Near-miss share (share)"]) == 0.25
    assert rows[THIS_MONTH]["Reports (count)"] == "4"


@pytest.mark.parametrize(
    "path",
    [
        "/metrics/teams/alpha/",
        "/metrics/teams/alpha/near-miss-share.csv",
        "/metrics/teams/alpha/near-miss-share.json",
        "/api/metrics/teams/alpha",
        "/api/metrics/teams/alpha/near-miss-share",
    ],
)
def test_another_teams_user_gets_404(client_for, alice, charlie, mallory, path) -> None:
    assert client_for(alice).get(path).status_code == 200
    assert client_for(charlie).get(path).status_code == 404
    assert client_for(mallory).get(path).status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/metrics/organisation/",
        "/metrics/organisation/lesson-reuse.csv",
        "/api/metrics/organisation",
    ],
)
def test_the_organisation_page_is_for_organisation_admins(
    client_for, alice, bob, mallory, path
) -> None:
    assert client_for(bob).get(path).status_code == 404
    assert client_for(alice).get(path).status_code == 404  # a team admin, not an org admin
    alice.is_org_admin = True
    alice.save(update_fields=["is_org_admin"])
    assert client_for(alice).get(path).status_code == 200
    # mallory is an organisation admin of another organisation: her own page, not Acme's
    assert client_for(mallory).get("/api/metrics/teams/alpha").status_code == 404


def test_unknown_metrics_and_periods_are_404_or_422(client_for, alice) -> None:
    client = client_for(alice)
    assert client.get("/metrics/teams/alpha/no-such.csv").status_code == 404
    assert client.get("/api/metrics/teams/alpha/no-such").status_code == 404
    assert client.get("/api/metrics/teams/alpha?months=7").status_code == 404
    assert client.get("/api/metrics/teams/alpha?months=x").status_code == 422
    assert client.get("/metrics/teams/alpha/?months=x").status_code == 200  # the default period


def test_the_index_sends_leaders_to_the_organisation_and_members_to_their_team(
    client_for, alice, bob
) -> None:
    assert client_for(bob).get("/metrics/")["Location"] == "/metrics/teams/alpha/"
    alice.is_org_admin = True
    alice.save(update_fields=["is_org_admin"])
    assert client_for(alice).get("/metrics/")["Location"] == "/metrics/organisation/"


def test_recognition_spread_is_for_team_admins_and_names_nobody(
    client_for, alice, bob, org, alpha
) -> None:
    from learnloop.applause.models import Reaction

    people = [alice, bob] + [
        make_user(f"{n}@example.org", org, team=alpha, display_name=f"Zephyrine {n.title()}")
        for n in ("carol", "dan", "erin")
    ]
    for giver in people[:2]:
        for person in people[2:]:
            Reaction.objects.create(
                kind="entry",
                object_id=person.pk,
                team=alpha,
                recipient=person,
                emoji="clap",
                user=giver,
            )
    admin = client_for(alice)
    spread = _metric(admin, "/api/metrics/teams/alpha", "recognition-spread")
    assert spread["state"] == "ok"
    assert _value(spread, "Alpha") == pytest.approx(0.4)  # counts 0, 0, 2, 2, 2
    member = _metric(client_for(bob), "/api/metrics/teams/alpha", "recognition-spread")
    assert member["state"] == "restricted"
    for path in ("/metrics/teams/alpha/", "/api/metrics/teams/alpha"):
        text = admin.get(path).content.decode()
        for person in people[1:]:  # everyone but the viewer herself
            assert person.display_name not in text and person.email not in text, path
    csv_text = admin.get("/metrics/teams/alpha/recognition-spread.csv").content.decode()
    assert "Zephyrine" not in csv_text and "Bob" not in csv_text


def test_turn_taking_is_the_transcripts_balance_trend_without_names(
    client_for, alice, alpha
) -> None:
    first = make_transcript(alpha, actor=alice, held_on=_at(2).date(), title="Review meeting")
    second = make_transcript(alpha, actor=alice, held_on=_at(1).date(), title="Retro")
    client = client_for(alice)
    metric = _metric(client, "/api/metrics/teams/alpha", "turn-taking")
    month = f"{_at(1):%Y-%m}"
    assert _value(metric, "Meetings", month) == 2
    assert _value(metric, "Mean balance", month) == pytest.approx(
        round((first.balance + second.balance) / 2, 3)
    )
    speakers = {s.name for s in first.speakers.all()} | {s.name for s in second.speakers.all()}
    text = client.get("/metrics/teams/alpha/").content.decode()
    assert speakers and not any(name in text for name in speakers)


def test_cached_figures_are_never_shared_between_different_visibility(
    client_for, alice, org, alpha
) -> None:
    """Two organisation admins, one in Alpha and one not: Alpha's team-only reports count for
    the first only, even right after the other's page filled the cache."""
    outsider = make_user("olga@example.org", org, is_org_admin=True)
    alice.is_org_admin = True
    alice.save(update_fields=["is_org_admin"])
    make_incident(alpha, kind="near_miss", created_at=_at(1))  # team-only
    make_incident(alpha, kind="mistake", created_at=_at(1), visibility="organisation")
    path = "/api/metrics/organisation"
    seen_by_alice = _metric(client_for(alice), path, "near-miss-share")
    seen_by_olga = _metric(client_for(outsider), path, "near-miss-share")
    assert _value(seen_by_alice, "Reports") == 2
    assert _value(seen_by_olga, "Reports") == 1
    assert _value(seen_by_olga, "Near-miss share") == 0
    page = client_for(outsider).get("/metrics/organisation/").content.decode()
    assert "Figures as of" in page


def test_someone_in_no_team_is_told_there_are_no_team_metrics(client_for, org) -> None:
    loner = make_user("lone@example.org", org)
    response = client_for(loner).get("/metrics/")
    assert response.status_code == 200
    assert "not in a team yet" in response.content.decode()
    assert client_for(loner).get("/metrics/teams/alpha/").status_code == 404
