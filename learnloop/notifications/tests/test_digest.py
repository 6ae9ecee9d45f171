"""The weekly digest: sent at each person's local Monday morning, once a week, with text and
HTML parts and a one-click unsubscribe (RFC 8058) that works without signing in; received on a
real local SMTP server."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

import pytest
from django.utils import timezone

from learnloop.lessons.models import Lesson
from learnloop.notifications.digest import digests_send_due, send_time_has_come
from learnloop.notifications.models import DigestDelivery, NotificationPreference
from learnloop.notifications.unsubscribe import unsubscribe_token
from learnloop.testing.builders import make_action, make_lesson, make_review

pytestmark = pytest.mark.django_db


def last_monday() -> dt.date:
    today = timezone.now().astimezone(dt.UTC).date()
    return today - dt.timedelta(days=today.weekday())


def utc(day: dt.date, hour: int, minute: int = 30) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=dt.UTC)


@pytest.fixture
def people(alice, bob):
    alice.time_zone = "Europe/Berlin"  # 07:30 UTC on Monday is 08:30 or 09:30 there
    alice.save()
    bob.time_zone = "America/New_York"  # ... and 02:30 or 03:30 here
    bob.save()
    return alice, bob


@pytest.fixture
def week_of_things(alpha, beta, people):
    alice, bob = people
    monday = last_monday()
    make_lesson(alpha, statement="Rehearse the failover before the busy season")
    make_lesson(beta, statement="A Beta lesson nobody in Alpha is told about")
    old = make_lesson(alpha, statement="Write the runbook while the incident is fresh")
    day = monday - dt.timedelta(days=1) if (monday.month, monday.day) == (2, 29) else monday
    past = dt.datetime(day.year - 2, day.month, day.day, 12, tzinfo=dt.UTC)
    Lesson.objects.filter(pk=old.pk).update(created_at=past)
    make_action(
        alpha, title="Rotate the signing keys", owner=alice, due_date=monday - dt.timedelta(days=3)
    )
    make_action(
        alpha, title="Add a canary stage", owner=alice, due_date=monday + dt.timedelta(days=4)
    )
    make_action(alpha, title="Bob's own action", owner=bob, due_date=monday)
    make_action(alpha, title="Already finished", owner=alice, status="done")
    meeting = make_review(
        alpha,
        title="Cache stampede review",
        meeting_at=timezone.now() + dt.timedelta(days=2),
        meeting_location="Room 4",
    )
    return {"monday": monday, "past": past, "meeting": meeting}


def send(now: dt.datetime, capture) -> int:
    with capture(execute=True):
        return digests_send_due(now=now)


def test_the_send_time_is_monday_eight_local_and_lasts_a_day() -> None:
    berlin = dt.timezone(dt.timedelta(hours=1))
    monday = dt.date(2030, 3, 4)
    assert monday.weekday() == 0
    at = lambda d, h, m=0: dt.datetime.combine(d, dt.time(h, m), tzinfo=berlin)  # noqa: E731
    assert not send_time_has_come(at(monday, 7, 59))
    assert send_time_has_come(at(monday, 8, 0))
    assert send_time_has_come(at(monday + dt.timedelta(days=1), 7, 59))
    assert not send_time_has_come(at(monday + dt.timedelta(days=1), 8))
    assert not send_time_has_come(at(monday + dt.timedelta(days=6), 23, 59))


def test_each_person_gets_one_digest_at_their_local_time_over_smtp(
    week_of_things, people, smtp_server, run_jobs, django_capture_on_commit_callbacks
) -> None:
    alice, bob = people
    monday = week_of_things["monday"]
    assert send(utc(monday, 7), django_capture_on_commit_callbacks) == 1  # Berlin only
    assert send(utc(monday, 7, 45), django_capture_on_commit_callbacks) == 0  # idempotent
    run_jobs()
    smtp_server.wait_for_count(1)
    assert smtp_server.recipients == [["alice@example.org"]]
    message = smtp_server.messages[0]
    assert message["Subject"].startswith("Your Learnloop week")

    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    for part in (text, html):
        assert "Rehearse the failover before the busy season" in part
        assert "A Beta lesson" not in part
        assert "Rotate the signing keys" in part and "overdue since" in part
        assert "Add a canary stage" in part
        assert "Bob&#x27;s own action" not in part and "Bob's own action" not in part
        assert "Already finished" not in part
        assert "Cache stampede review" in part and "Room 4" in part
        assert "On this day" in part and "Write the runbook while the incident is fresh" in part
    assert "Your open actions (2, 1 overdue)" in text
    assert f"/reviews/{week_of_things['meeting'].pk}/" in text
    local_meeting = week_of_things["meeting"].meeting_at.astimezone(
        __import__("zoneinfo").ZoneInfo("Europe/Berlin")
    )
    assert f"{local_meeting:%H:%M} {local_meeting.tzname()}" in text
    assert html.lstrip().startswith("<!DOCTYPE html>") and "<a href=" in html

    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    header = message["List-Unsubscribe"].strip()
    assert header.startswith("<http") and header.endswith(">")

    # New York's morning comes later; nothing is sent twice.
    assert send(utc(monday, 13), django_capture_on_commit_callbacks) == 1
    run_jobs()
    smtp_server.wait_for_count(2)
    assert smtp_server.recipients == [["alice@example.org"], ["bob@example.org"]]
    bob_text = smtp_server.messages[1].get_body(preferencelist=("plain",)).get_content()
    assert "Bob's own action" in bob_text and "Rotate the signing keys" not in bob_text
    assert sorted(DigestDelivery.objects.values_list("user__email", flat=True)) == [
        "alice@example.org",
        "bob@example.org",
    ]
    assert send(utc(monday + dt.timedelta(days=2), 13), django_capture_on_commit_callbacks) == 0


def test_the_one_click_link_from_the_email_unsubscribes_without_a_sign_in(
    week_of_things, people, smtp_server, run_jobs, client, django_capture_on_commit_callbacks
) -> None:
    alice, _ = people
    monday = week_of_things["monday"]
    send(utc(monday, 7), django_capture_on_commit_callbacks)
    run_jobs()
    smtp_server.wait_for_count(1)
    link = smtp_server.messages[0]["List-Unsubscribe"].strip().strip("<>")
    path = urlsplit(link).path
    text = smtp_server.messages[0].get_body(preferencelist=("plain",)).get_content()
    assert link in text  # the same link is in the body for people to click

    page = client.get(path)  # a link scanner or a person opening it: asks, changes nothing
    assert page.status_code == 200 and "Unsubscribe" in page.content.decode()
    assert not NotificationPreference.objects.filter(user=alice).exists()

    # RFC 8058: the mail client POSTs "List-Unsubscribe=One-Click", no cookies, no CSRF token.
    client.handler.enforce_csrf_checks = True
    done = client.post(
        path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert done.status_code == 200 and 'id="unsubscribed"' in done.content.decode()
    assert NotificationPreference.objects.get(user=alice, kind="digest").channel == "off"

    next_monday = monday + dt.timedelta(days=7)
    assert send(utc(next_monday, 7), django_capture_on_commit_callbacks) == 0


def test_a_forged_or_foreign_token_is_refused(client, alice, bob) -> None:
    token = unsubscribe_token(alice, "digest")
    assert client.post(f"/notifications/unsubscribe/{token}x/").status_code == 404
    assert client.post("/notifications/unsubscribe/not-a-token/").status_code == 404
    from django.core import signing

    other_salt = signing.dumps([bob.pk, "digest"], salt="something-else")
    assert client.post(f"/notifications/unsubscribe/{other_salt}/").status_code == 404
    assert not NotificationPreference.objects.exists()


def test_notice_emails_carry_their_own_unsubscribe_which_keeps_them_in_the_app(
    alpha, alice, bob, client, smtp_server, run_jobs, django_capture_on_commit_callbacks
) -> None:
    from learnloop.notifications.delivery import notify

    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[bob], kind="assigned", text="You own an action", path="/actions/")
    run_jobs()
    smtp_server.wait_for_count(1)
    link = smtp_server.messages[0]["List-Unsubscribe"].strip().strip("<>")
    assert client.post(urlsplit(link).path).status_code == 200
    assert NotificationPreference.objects.get(user=bob, kind="assigned").channel == "in_app"


def test_the_digest_preference_is_email_or_off(client_for, bob) -> None:
    client = client_for(bob)
    page = client.get("/notifications/preferences/").content.decode()
    assert "The weekly digest" in page and 'id="digest-in_app"' not in page
    assert client.post("/notifications/preferences/", {"digest": "in_app"}).status_code == 400
    api = client.put(
        "/api/notifications/preferences", {"digest": "off"}, content_type="application/json"
    )
    assert api.status_code == 200 and api.json()["digest"] == "off"
    bad = client.put(
        "/api/notifications/preferences", {"digest": "in_app"}, content_type="application/json"
    )
    assert bad.status_code == 400 and "digest" in bad.json()["error"]["fields"]


def test_an_empty_week_sends_nothing_and_is_not_retried(
    people, smtp_server, run_jobs, django_capture_on_commit_callbacks
) -> None:
    monday = last_monday()
    assert send(utc(monday, 14), django_capture_on_commit_callbacks) == 0
    run_jobs()
    assert smtp_server.messages == []
    assert set(DigestDelivery.objects.values_list("sent", flat=True)) == {False}
    assert send(utc(monday, 15), django_capture_on_commit_callbacks) == 0
