"""The nudge: after N quiet days (team setting, default 7, 0 = off) the people on an active
deliverable are reminded once, in the app and by email over real SMTP through the job queue."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from django.utils import timezone

from learnloop.core.errors import PermissionDenied
from learnloop.core.versioning import StaleVersion
from learnloop.debriefs.models import Deliverable
from learnloop.debriefs.nudges import nudge_days, nudge_days_set, send_nudges
from learnloop.notifications.models import Notification
from learnloop.tasks.registry import enqueue
from learnloop.tasks.worker import run_due_jobs

pytestmark = pytest.mark.django_db


@pytest.fixture
def smtp(smtp_server, settings):
    settings.BASE_URL = "https://learnloop.example.org"
    return smtp_server


def _quiet(deliverable: Deliverable, days: int) -> None:
    Deliverable.objects.filter(pk=deliverable.pk).update(
        last_activity_at=timezone.now() - dt.timedelta(days=days)
    )


def _run(capture) -> None:
    with capture(execute=True):
        enqueue("debriefs.send_nudges")
    with capture(execute=True):
        run_due_jobs()
    run_due_jobs()  # the emails queued on commit


def test_quiet_deliverables_nudge_their_people_once(
    smtp, alice, bob, deliverable, django_capture_on_commit_callbacks
) -> None:
    _quiet(deliverable, 6)
    _run(django_capture_on_commit_callbacks)
    assert not Notification.objects.exists()  # 6 < 7 days
    _quiet(deliverable, 8)
    _run(django_capture_on_commit_callbacks)
    _run(django_capture_on_commit_callbacks)  # again: still once
    smtp.wait_for_count(2)
    time.sleep(0.1)
    assert sorted(r[0] for r in smtp.recipients) == ["alice@example.org", "bob@example.org"]
    body = smtp.messages[0].get_body(preferencelist=("plain",)).get_content()
    assert f"https://learnloop.example.org/deliverables/{deliverable.pk}/" in body
    notes = Notification.objects.filter(key__startswith="debrief-nudge:")
    assert notes.count() == 2 and "Checkout redesign" in notes[0].text


def test_a_nudged_stretch_is_not_read_again_and_new_activity_starts_a_new_one(
    alice, bob, deliverable, django_assert_max_num_queries
) -> None:
    _quiet(deliverable, 8)
    assert send_nudges() == 2
    deliverable.refresh_from_db()
    assert deliverable.last_nudged_at >= deliverable.last_activity_at
    with django_assert_max_num_queries(1):  # the one read, no per-deliverable work
        assert send_nudges() == 0
    _quiet(deliverable, 9)  # activity moves (here: back); this is a new quiet stretch
    Deliverable.objects.filter(pk=deliverable.pk).update(
        last_nudged_at=timezone.now() - dt.timedelta(days=10)
    )
    assert send_nudges() == 2
    assert Notification.objects.filter(key__startswith="debrief-nudge:").count() == 4


def test_closed_deliverables_and_teams_that_turned_it_off_are_left_alone(
    alice, bob, alpha, deliverable, django_capture_on_commit_callbacks
) -> None:
    _quiet(deliverable, 30)
    nudge_days_set(actor=alice, team=alpha, days=0, version=alpha.version)
    alpha.refresh_from_db()
    assert nudge_days(alpha) == 0
    _run(django_capture_on_commit_callbacks)
    assert not Notification.objects.exists()
    nudge_days_set(actor=alice, team=alpha, days=7, version=alpha.version)
    Deliverable.objects.filter(pk=deliverable.pk).update(status="closed")
    _run(django_capture_on_commit_callbacks)
    assert not Notification.objects.exists()


def test_the_setting_is_for_team_admins_and_refuses_stale_saves(
    client_for, api, alice, bob, charlie, alpha
) -> None:
    with pytest.raises(PermissionDenied):
        nudge_days_set(actor=bob, team=alpha, days=3, version=alpha.version)
    version = alpha.version
    nudge_days_set(actor=alice, team=alpha, days=3, version=version)
    with pytest.raises(StaleVersion):
        nudge_days_set(actor=alice, team=alpha, days=5, version=version)
    client = client_for(alice)
    page = client.get("/deliverables/settings/alpha/")
    assert page.status_code == 200 and 'value="3"' in page.content.decode()
    bad = client.post("/deliverables/settings/alpha/", {"days": "365", "version": version + 1})
    assert bad.status_code == 400
    assert client_for(bob).get("/deliverables/settings/alpha/").status_code == 404
    assert client_for(charlie).get("/deliverables/settings/alpha/").status_code == 404
    body = api(alice).get("/api/debriefs/teams/alpha/nudge").json()
    assert body["days"] == 3
    stale = api(alice).put("/api/debriefs/teams/alpha/nudge", {"days": 4, "version": version})
    assert stale.status_code == 409
    done = api(alice).put(
        "/api/debriefs/teams/alpha/nudge", {"days": 4, "version": body["version"]}
    )
    assert done.status_code == 200 and done.json()["days"] == 4
    assert (
        api(bob)
        .put("/api/debriefs/teams/alpha/nudge", {"days": 1, "version": body["version"] + 1})
        .json()["error"]["code"]
        == "permission_denied"
    )
    assert api(charlie).get("/api/debriefs/teams/alpha/nudge").status_code == 404
