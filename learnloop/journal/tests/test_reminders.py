"""The weekly reminder job in batches (decision 0253): a fixed number of queries per batch,
whole batches or nothing after a crash, each person reminded once a day, nothing of any entry.

No module-wide ``django_db`` mark: one test commits (``committed``); the others take ``org``."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from learnloop.accounts.models import Organisation, User
from learnloop.core.jobs import queue_email_each
from learnloop.journal import jobs, services
from learnloop.notifications.delivery import preferences_update
from learnloop.notifications.models import Notification
from learnloop.tasks.models import Job
from learnloop.testing.builders import make_journal_entry, make_user
from learnloop.testing.concurrency import at_once

MONDAY = dt.date(2026, 11, 30)
TUESDAY = MONDAY + dt.timedelta(days=1)


def opted_in(org: Organisation, prefix: str, count: int, weekday: int) -> list[User]:
    people = [make_user(f"{prefix}{n}@example.org", org) for n in range(count)]
    for person in people:
        services.reminder_set(actor=person, weekday=weekday)
    return people


def emailed() -> list[list[str]]:
    return sorted(
        job["to"]
        for job in Job.objects.filter(name="core.send_email").values_list("args", flat=True)
    )


def test_a_run_takes_the_same_queries_for_two_people_as_for_twelve(
    org, django_capture_on_commit_callbacks
) -> None:
    opted_in(org, "few", 2, MONDAY.weekday())
    many = opted_in(org, "many", 12, TUESDAY.weekday())
    preferences_update(user=many[0], values={"reminder": "off"})
    preferences_update(user=many[1], values={"reminder": "in_app"})
    queries = []
    for day in (MONDAY, TUESDAY):
        with (
            CaptureQueriesContext(connection) as captured,
            django_capture_on_commit_callbacks(execute=True),
        ):
            jobs.send_reminders(day)
        queries.append(len(captured))
    assert queries[0] == queries[1] <= 7, queries  # was 9 a person (109 for twelve)
    reminded = set(Notification.objects.values_list("recipient__email", flat=True))
    assert len(reminded) == 2 + 11 and many[0].email not in reminded  # "off" is off
    # One email each, to that person alone; none for "in the app only".
    assert emailed() == sorted([[p] for p in reminded if p != many[1].email])


def test_a_crash_mid_run_keeps_whole_batches_and_the_next_run_sends_the_rest_once(
    org, monkeypatch, django_capture_on_commit_callbacks
) -> None:
    people = opted_in(org, "p", 5, MONDAY.weekday())
    monkeypatch.setattr(jobs, "BATCH", 2)
    calls = []

    def crash_in_the_second_batch(**kwargs) -> None:
        calls.append(kwargs)
        if len(calls) == 2:
            raise RuntimeError("the worker died")
        queue_email_each(**kwargs)

    monkeypatch.setattr(jobs, "queue_email_each", crash_in_the_second_batch)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        jobs.send_reminders(MONDAY)
    # The first batch is kept whole; the second left nothing: no notification without its email.
    assert Notification.objects.count() == 2 and len(emailed()) == 2

    monkeypatch.setattr(jobs, "queue_email_each", queue_email_each)
    with django_capture_on_commit_callbacks(execute=True):
        assert jobs.send_reminders(MONDAY) == 3
    with django_capture_on_commit_callbacks(execute=True):
        assert jobs.send_reminders(MONDAY) == 0
    everyone = sorted([p.email] for p in people)
    assert emailed() == everyone  # each address once
    assert sorted(Notification.objects.values_list("recipient__email", flat=True)) == [
        e for [e] in everyone
    ]


def test_a_reminder_says_nothing_of_any_entry(org, django_capture_on_commit_callbacks) -> None:
    [person] = opted_in(org, "writer", 1, MONDAY.weekday())
    make_journal_entry(person, answers={"what": "I deleted the staging database by mistake."})
    with django_capture_on_commit_callbacks(execute=True):
        assert jobs.send_reminders(MONDAY) == 1
    note = Notification.objects.get(recipient=person)
    [email] = Job.objects.filter(name="core.send_email").values_list("args", flat=True)
    assert email["to"] == [person.email]
    for text in (note.text, note.url, email["subject"], email["body"]):
        assert "staging" not in text and "deleted" not in text
    assert note.text == jobs.TEXT and email["body"].startswith(jobs.TEXT)


@pytest.fixture
def committed(restore_migrated_data: None, transactional_db: None) -> None:
    """Real commits (the runs' transactions meet); the database put back after."""


@pytest.mark.usefixtures("committed")
def test_runs_at_the_same_moment_remind_each_person_once(monkeypatch) -> None:
    """A run whose lease expired while it still worked, beside its retry: the second waits for
    the first's batch (its opt-ins are locked) and finds it reminded."""
    from learnloop.testing.builders import make_organisation

    people = opted_in(make_organisation(name="Busy"), "p", 12, MONDAY.weekday())
    monkeypatch.setattr(jobs, "BATCH", 4)
    sent = at_once(lambda: jobs.send_reminders(MONDAY), 3)
    assert sum(sent) == 12
    assert emailed() == sorted([p.email] for p in people)
    assert Notification.objects.count() == 12


@pytest.mark.usefixtures("committed")
def test_a_batch_moves_the_page_cache_version_once(monkeypatch) -> None:
    """Every kept page is out of date once per batch, when its notifications become visible,
    not once per person (as the action reminders, decision 0178)."""
    from learnloop.testing.builders import make_organisation
    from learnloop.web.data_version import data_version

    org = make_organisation(name="Kept")
    opted_in(org, "p", 5, MONDAY.weekday())
    monkeypatch.setattr(jobs, "BATCH", 2)
    before = data_version(org.pk)
    assert jobs.send_reminders(MONDAY) == 5
    assert data_version(org.pk) - before == 3  # batches of 2, 2 and 1
    assert jobs.send_reminders(MONDAY) == 0
    assert data_version(org.pk) - before == 3  # nothing new written
