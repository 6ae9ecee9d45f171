"""Reminders: one email over real SMTP and one notification per (action, kind, due date)."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from django.utils import timezone

from learnloop.actions.jobs import _send_one, reminder_for, send_reminders
from learnloop.actions.models import Action
from learnloop.actions.services import action_create, action_set_status
from learnloop.notifications.models import Notification
from learnloop.tasks.models import Job
from learnloop.tasks.registry import enqueue
from learnloop.tasks.worker import run_due_jobs
from learnloop.testing.concurrency import at_once


def _today() -> dt.date:
    return timezone.localdate()


@pytest.fixture
def smtp(smtp_server, settings):
    """The shared local SMTP server, with absolute links on the public base URL."""
    settings.BASE_URL = "https://learnloop.example.org"
    return smtp_server


def _run(capture) -> None:
    with capture(execute=True):
        enqueue("actions.send_reminders")
    with capture(execute=True):
        run_due_jobs()
    # The reminder job queued the emails on commit; send them.
    run_due_jobs()


def test_it_emails_due_soon_and_overdue_reminders_over_smtp(
    smtp, alice, bob, alpha, django_capture_on_commit_callbacks
) -> None:
    soon = action_create(
        actor=alice,
        team=alpha,
        title="Add disk alert",
        owner=bob,
        due_date=_today() + dt.timedelta(days=1),
    )
    late = action_create(
        actor=alice,
        team=alpha,
        title="Write runbook",
        owner=alice,
        due_date=_today() - dt.timedelta(days=3),
    )
    action_create(
        actor=alice,
        team=alpha,
        title="Far away",
        owner=bob,
        due_date=_today() + dt.timedelta(days=10),
    )
    action_create(actor=alice, team=alpha, title="Nobody owns me", due_date=_today())

    _run(django_capture_on_commit_callbacks)
    smtp.wait_for_count(2)

    assert len(smtp.messages) == 2
    by_rcpt = {rcpts[0]: msg for rcpts, msg in zip(smtp.recipients, smtp.messages, strict=True)}
    bob_mail = by_rcpt["bob@example.org"]
    assert bob_mail["Subject"] == "Due tomorrow: Add disk alert"
    body = bob_mail.get_body(preferencelist=("plain",)).get_content()
    assert f"https://learnloop.example.org/actions/{soon.pk}/" in body
    alice_mail = by_rcpt["alice@example.org"]
    assert alice_mail["Subject"] == "Overdue: Write runbook"
    assert f"/actions/{late.pk}/" in alice_mail.get_body(preferencelist=("plain",)).get_content()

    notes = {n.recipient.email: n for n in Notification.objects.select_related("recipient")}
    assert set(notes) == {"bob@example.org", "alice@example.org"}
    assert notes["bob@example.org"].url == f"/actions/{soon.pk}/"
    assert notes["bob@example.org"].read_at is None


def test_it_never_sends_the_same_reminder_twice(
    smtp, alice, bob, alpha, django_capture_on_commit_callbacks
) -> None:
    action_create(
        actor=alice, team=alpha, title="x", owner=bob, due_date=_today() + dt.timedelta(days=2)
    )
    _run(django_capture_on_commit_callbacks)
    _run(django_capture_on_commit_callbacks)
    smtp.wait_for_count(1)
    time.sleep(0.1)
    assert len(smtp.messages) == 1
    # One reminder; the other notification told bob he was made the owner (in the app only:
    # its email was never queued here, the create ran outside the captured commit).
    assert Notification.objects.filter(key__startswith="action:").count() == 1


def test_it_respects_the_team_setting(alice, bob, alpha) -> None:
    alpha.settings = {"reminder_days_before": 5}
    alpha.save()
    action = action_create(
        actor=alice, team=alpha, title="x", owner=bob, due_date=_today() + dt.timedelta(days=5)
    )
    action.team.refresh_from_db()
    assert reminder_for(action, _today())[0] == "due_soon"
    alpha.settings = {}
    alpha.save()
    action.team.refresh_from_db()
    assert reminder_for(action, _today()) is None


def test_it_repeats_overdue_reminders_weekly(alice, bob, alpha) -> None:
    due = _today()
    action = action_create(actor=alice, team=alpha, title="x", owner=bob, due_date=due)
    keys = {reminder_for(action, due + dt.timedelta(days=d))[1] for d in range(1, 8)}
    assert len(keys) == 1  # one overdue reminder during the first week
    assert reminder_for(action, due + dt.timedelta(days=8))[1] not in keys
    done = action_set_status(actor=alice, action=action, status="done")
    assert reminder_for(done, due + dt.timedelta(days=8)) is None


def test_it_sends_again_when_the_due_date_moves(alice, bob, alpha) -> None:
    action = action_create(
        actor=alice, team=alpha, title="x", owner=bob, due_date=_today() + dt.timedelta(days=1)
    )
    first = reminder_for(action, _today())[1]
    action.due_date = _today() + dt.timedelta(days=2)
    assert reminder_for(action, _today())[1] != first


def test_it_loses_the_race_quietly(alice, bob, alpha, django_capture_on_commit_callbacks) -> None:
    action = action_create(
        actor=alice, team=alpha, title="x", owner=bob, due_date=_today() + dt.timedelta(days=1)
    )
    kind, key = reminder_for(action, _today())
    with django_capture_on_commit_callbacks(execute=True):
        assert _send_one(action, kind, key, _today()) is True
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert _send_one(action, kind, key, _today()) is False
    assert callbacks == []  # no email queued by the loser
    assert Notification.objects.filter(key__startswith="action:").count() == 1
    assert Job.objects.filter(name="core.send_email").count() == 1


def test_it_sends_one_reminder_with_two_concurrent_workers(
    restore_migrated_data, django_db_serialized_rollback, transactional_db, alice, bob, alpha
) -> None:
    for i in range(20):
        Action.objects.create(
            team=alpha, title=f"a{i}", owner=bob, due_date=_today() - dt.timedelta(days=i % 3)
        )
    at_once(send_reminders, 2)
    assert Notification.objects.count() == 20
    assert Job.objects.filter(name="core.send_email").count() == 20


def test_a_batch_of_reminders_moves_the_page_cache_version_once(
    restore_migrated_data,
    django_db_serialized_rollback,
    transactional_db,
    alice,
    bob,
    alpha,
    monkeypatch,
) -> None:
    """Decision 0178: the reminders of one batch commit together, so every kept page is out of
    date once per batch (when they become visible), not once per reminder."""
    from learnloop.actions import jobs
    from learnloop.web.data_version import data_version

    for i in range(5):
        Action.objects.create(
            team=alpha, title=f"a{i}", owner=bob, due_date=_today() - dt.timedelta(days=1 + i)
        )
    monkeypatch.setattr(jobs, "BATCH", 2)
    before = data_version(alpha.organisation_id)
    assert send_reminders() == 5
    assert data_version(alpha.organisation_id) - before == 3  # batches of 2, 2 and 1
    assert Notification.objects.filter(key__startswith="action:").count() == 5
    assert Job.objects.filter(name="core.send_email").count() == 5
    assert send_reminders() == 0
    assert data_version(alpha.organisation_id) - before == 3  # nothing new written
