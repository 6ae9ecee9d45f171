"""Review meetings: scheduling, validation, the .ics file and the emailed invitation."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone
from icalendar import Event

from learnloop.reviews.meeting import meeting_ics
from learnloop.reviews.models import Review
from learnloop.tasks.models import Job
from learnloop.tasks.worker import run_due_jobs
from learnloop.testing.builders import make_review
from learnloop.testing.calendar import calendar_events, parse_calendar, utc_start

pytestmark = pytest.mark.django_db


def future(days: int = 3, hour: int = 14) -> dt.datetime:
    day = timezone.now() + dt.timedelta(days=days)
    return day.replace(hour=hour, minute=0, second=0, microsecond=0)


def event_of(ics: str | bytes) -> Event:
    [event] = calendar_events(ics)
    return event


def stamp(value: dt.datetime) -> dt.datetime:
    return value.astimezone(dt.UTC)


def schedule(client, review: Review, headers: dict[str, Any] | None = None, **data) -> object:
    payload = {
        "meeting_at": future().strftime("%Y-%m-%dT%H:%M"),
        "duration_minutes": "45",
        "location": "Room 2",
        **data,
    }
    return client.post(f"/reviews/{review.pk}/meeting/", payload, **(headers or {}))


# --- the .ics file ---------------------------------------------------------------------------


def test_it_writes_an_rfc5545_calendar_that_parses_back(alpha, alice, bob) -> None:
    review = make_review(
        alpha, title="DNS, cache; and \\ the long tail of a really long title " * 2
    )
    review.participants.add(bob)
    review.meeting_at = dt.datetime(2030, 5, 17, 12, 30, tzinfo=dt.UTC)
    review.meeting_location = "Room 1, floor 2; east\\wing\nby the lift"
    review.save()

    ics = meeting_ics(review, duration_minutes=90, organizer=alice)

    assert str(parse_calendar(ics)["METHOD"]) == "PUBLISH"
    event = event_of(ics)
    assert utc_start(event) == dt.datetime(2030, 5, 17, 12, 30, tzinfo=dt.UTC)
    assert event.decoded("DTEND") == dt.datetime(2030, 5, 17, 14, 0, tzinfo=dt.UTC)
    assert str(event["LOCATION"]) == "Room 1, floor 2; east\\wing\nby the lift"
    assert str(event["SUMMARY"]) == "Review meeting: " + review.title
    assert f"/reviews/{review.pk}/" in str(event["DESCRIPTION"])
    assert str(event["UID"]).startswith(f"review-{review.pk}-meeting@")
    assert str(event["ORGANIZER"]) == "mailto:alice@example.org"
    assert str(event["ORGANIZER"].params["CN"]) == "Alice"
    attendee = event["ATTENDEE"]  # one attendee: a single address, not a list
    assert str(attendee) == "mailto:bob@example.org" and str(attendee.params["CN"]) == "Bob"
    assert event.decoded("SEQUENCE") >= 0 and event.get("DTSTAMP")


def test_multibyte_text_survives_folding(alpha) -> None:
    review = make_review(alpha, title="Zähler " + "é" * 90)
    review.meeting_at = dt.datetime(2030, 5, 17, 12, 30, tzinfo=dt.UTC)
    review.save()
    event = event_of(meeting_ics(review))  # parse_calendar checks every line is <= 75 octets
    assert str(event["SUMMARY"]) == "Review meeting: Zähler " + "é" * 90


def test_it_keeps_the_uid_and_bumps_the_sequence_when_rescheduled(
    alpha, alice, client_for, django_capture_on_commit_callbacks
) -> None:
    review = make_review(alpha)
    client = client_for(alice)
    with django_capture_on_commit_callbacks(execute=True):
        schedule(client, review)
    first = event_of(client.get(f"/reviews/{review.pk}/meeting.ics").content)
    time.sleep(1.05)
    with django_capture_on_commit_callbacks(execute=True):
        schedule(client, review, meeting_at=future(days=5).strftime("%Y-%m-%dT%H:%M"))
    second = event_of(client.get(f"/reviews/{review.pk}/meeting.ics").content)
    assert first["UID"] == second["UID"]
    assert second.decoded("SEQUENCE") > first.decoded("SEQUENCE")
    assert utc_start(first) != utc_start(second)


def test_it_serves_the_ics_file_with_a_calendar_content_type(alpha, alice, client_for) -> None:
    review = make_review(alpha)
    client = client_for(alice)
    assert client.get(f"/reviews/{review.pk}/meeting.ics").status_code == 404
    review.meeting_at = future()
    review.save()
    response = client.get(f"/reviews/{review.pk}/meeting.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert "attachment" in response["Content-Disposition"]
    api = client.get(f"/api/reviews/{review.pk}/meeting.ics")
    assert api.status_code == 200 and api.content.startswith(b"BEGIN:VCALENDAR")


# --- scheduling and the invitation ----------------------------------------------------------


def test_it_emails_each_participant_an_invitation_with_the_ics_over_real_smtp(
    alpha, alice, bob, client_for, django_capture_on_commit_callbacks, smtp_server
) -> None:
    review = make_review(alpha)
    review.participants.add(bob)
    when = future(days=4, hour=9)
    with django_capture_on_commit_callbacks(execute=True):
        response = schedule(client_for(alice), review, meeting_at=when.strftime("%Y-%m-%dT%H:%M"))
    assert response.status_code == 302
    page = client_for(alice).get(f"/reviews/{review.pk}/extras/").content.decode()
    assert "invitation-queued" in page
    assert run_due_jobs() >= 1

    smtp_server.wait_for_count(1)
    assert len(smtp_server.messages) == 1
    message = smtp_server.messages[0]
    assert message["To"] == "bob@example.org"
    assert "Checkout outage" in message["Subject"]
    assert f"/reviews/{review.pk}/" in message.get_body(preferencelist=("plain",)).get_content()
    [attachment] = list(message.iter_attachments())
    assert attachment.get_content_type() == "text/calendar"
    assert attachment.get_filename() == "review-meeting.ics"
    ics = attachment.get_content()
    if isinstance(ics, bytes):
        ics = ics.decode()
    event = event_of(ics)
    assert utc_start(event) == stamp(when)
    assert event.decoded("DTEND") == stamp(when + dt.timedelta(minutes=45))
    assert str(event["LOCATION"]) == "Room 2"
    assert str(parse_calendar(ics)["METHOD"]) == "REQUEST"

    review.refresh_from_db()
    assert review.meeting_at == when and review.meeting_location == "Room 2"
    page = client_for(alice).get(f"/reviews/{review.pk}/extras/").content.decode()
    assert "Bob" in page and "invitation-sent" in page and "Download .ics" in page


def test_it_invites_the_whole_team_when_the_review_has_no_participants(
    alpha, alice, bob, charlie, client_for, django_capture_on_commit_callbacks
) -> None:
    review = make_review(alpha)
    with django_capture_on_commit_callbacks(execute=True):
        schedule(client_for(bob), review)
    run_due_jobs()
    assert sorted(m.to[0] for m in mail.outbox) == ["alice@example.org", "bob@example.org"]
    assert all(m.attachments[0][2] == "text/calendar" for m in mail.outbox)


def test_a_double_submit_sends_each_invitation_once(
    alpha, alice, client_for, django_capture_on_commit_callbacks
) -> None:
    review = make_review(alpha)
    client = client_for(alice)
    when = future().strftime("%Y-%m-%dT%H:%M")
    with django_capture_on_commit_callbacks(execute=True):
        schedule(client, review, meeting_at=when)
        schedule(client, review, meeting_at=when)
    run_due_jobs()
    assert len(mail.outbox) <= 2  # same second: one job per recipient


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"meeting_at": "2001-01-01T10:00"}, "meeting_at", "in the future"),
        ({"meeting_at": "next tuesday"}, "meeting_at", "valid date and time"),
        ({"meeting_at": ""}, "meeting_at", "required"),
        ({"duration_minutes": "4"}, "duration_minutes", "between 5 and 600"),
        ({"duration_minutes": "601"}, "duration_minutes", "between 5 and 600"),
        ({"duration_minutes": "soon"}, "duration_minutes", "between 5 and 600"),
        ({"location": "x" * 201}, "location", "under 200 characters"),
    ],
)
def test_it_refuses_bad_meetings_next_to_the_field_and_saves_nothing(
    alpha, alice, client_for, django_capture_on_commit_callbacks, data, field, message
) -> None:
    review = make_review(alpha)
    with django_capture_on_commit_callbacks(execute=True):
        response = schedule(client_for(alice), review, **data)
    assert response.status_code == 400
    errors = response.context["meeting_form"].errors
    assert field in errors and message in " ".join(errors[field])
    review.refresh_from_db()
    assert review.meeting_at is None and review.meeting_location == ""
    assert not Job.objects.exists()


def test_the_htmx_form_swaps_in_the_meeting_box(alpha, alice, client_for) -> None:
    review = make_review(alpha)
    response = schedule(
        client_for(alice), review, duration_minutes="1", headers={"HTTP_HX_REQUEST": "true"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="review-meeting"')
    assert "between 5 and 600" in html


def test_members_of_other_teams_cannot_call_the_team_to_a_meeting(
    alpha, alice, charlie, client_for
) -> None:
    review = make_review(alpha, visibility="organisation")
    response = schedule(client_for(charlie), review)
    assert response.status_code == 403
    assert client_for(charlie).get(f"/reviews/{review.pk}/extras/").status_code == 200
    review.refresh_from_db()
    assert review.meeting_at is None and not Job.objects.exists()


# --- API -------------------------------------------------------------------------------------


def test_the_api_schedules_a_meeting_and_reports_invitations(
    alpha, alice, bob, client_for, django_capture_on_commit_callbacks
) -> None:
    review = make_review(alpha)
    review.participants.add(bob)
    client = client_for(alice)
    when = future(days=2)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/api/reviews/{review.pk}/meeting",
            {"meeting_at": when.isoformat(), "duration_minutes": 30, "location": "Video call"},
            content_type="application/json",
        )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["location"] == "Video call" and body["duration_minutes"] == 30
    [invitation] = body["invitations"]
    assert invitation["user_id"] == bob.pk and invitation["email"] == "bob@example.org"
    run_due_jobs()
    assert mail.outbox[0].to == ["bob@example.org"]
    again = client.post(
        f"/api/reviews/{review.pk}/meeting",
        {"meeting_at": "2001-01-01T00:00:00Z", "duration_minutes": 900, "location": "x" * 300},
        content_type="application/json",
    )
    assert again.status_code == 400
    assert set(again.json()["error"]["fields"]) == {"meeting_at", "duration_minutes", "location"}


# --- visibility ------------------------------------------------------------------------------


@pytest.mark.parametrize("intruder", ["charlie", "mallory"])
def test_other_teams_and_organisations_get_404_and_nothing_changes(
    alpha, alice, charlie, mallory, client_for, django_capture_on_commit_callbacks, intruder
) -> None:
    review = make_review(alpha, meeting_at=future(), meeting_location="Room 9")
    client = client_for({"charlie": charlie, "mallory": mallory}[intruder])
    with django_capture_on_commit_callbacks(execute=True):
        responses = [
            client.get(f"/reviews/{review.pk}/extras/"),
            client.get(f"/reviews/{review.pk}/meeting/"),
            schedule(client, review),
            client.get(f"/reviews/{review.pk}/meeting.ics"),
            client.get(f"/api/reviews/{review.pk}/meeting.ics"),
            client.post(
                f"/api/reviews/{review.pk}/meeting",
                {"meeting_at": future().isoformat()},
                content_type="application/json",
            ),
        ]
    assert [r.status_code for r in responses] == [404] * len(responses)
    review.refresh_from_db()
    assert review.meeting_location == "Room 9" and not Job.objects.exists()


def test_the_downloaded_ics_keeps_the_scheduled_duration(
    alpha, alice, client_for, django_capture_on_commit_callbacks
) -> None:
    from learnloop.reviews.meeting import review_meeting_schedule

    review = make_review(alpha)
    start = future()
    with django_capture_on_commit_callbacks(execute=False):
        review_meeting_schedule(
            actor=alice, review=review, meeting_at=start, duration_minutes=90, location="Room 2"
        )
    assert Review.objects.get(pk=review.pk).meeting_duration_minutes == 90
    event = event_of(client_for(alice).get(f"/reviews/{review.pk}/meeting.ics").content)
    assert event.decoded("DTEND") == stamp(start + dt.timedelta(minutes=90))
