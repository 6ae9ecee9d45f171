"""Calendar subscribe feeds: what each feed carries, parsed back with icalendar; the secret is
the only credential and a replaced or revoked one answers 404."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from learnloop.accounts.models import Membership
from learnloop.calendars.models import CalendarFeed
from learnloop.calendars.services import feed_regenerate, feed_revoke
from learnloop.testing.builders import make_action, make_review
from learnloop.testing.calendar import calendar_events, parse_calendar, utc_start

pytestmark = pytest.mark.django_db


def at(days: int, hour: int = 9, minute: int = 30) -> dt.datetime:
    """A moment ``days`` from now, in Berlin time (stored in UTC, written in UTC)."""
    berlin = dt.timezone(dt.timedelta(hours=1))
    day = timezone.now().astimezone(berlin) + dt.timedelta(days=days)
    return day.replace(hour=hour, minute=minute, second=0, microsecond=0)


def path_of(feed: CalendarFeed) -> str:
    return f"/calendar/feed/{feed.secret}.ics"


@pytest.fixture
def calendar_data(alpha, beta, alice, bob, charlie):
    mine = make_review(alpha, title="Cache stampede", meeting_at=at(3), meeting_duration_minutes=45)
    mine.participants.add(alice)
    whole_team = make_review(alpha, title="Deploy freeze", meeting_at=at(5, 14))
    not_mine = make_review(alpha, title="Bob only", meeting_at=at(4))
    not_mine.participants.add(bob)
    make_review(beta, title="Beta meeting", meeting_at=at(2))
    make_review(alpha, title="Long ago", meeting_at=at(-90))
    # The due date counts days in the same Berlin calendar as the meetings: counted from the UTC
    # date it would fall on the same day as "Deploy freeze" between 23:00 and 24:00 UTC.
    due = at(6).date()
    make_action(alpha, title="Rotate keys", owner=alice, due_date=due)
    make_action(alpha, title="Bob's action", owner=bob, due_date=due)
    make_action(alpha, title="Finished", owner=alice, due_date=due, status="done")
    make_action(beta, title="Beta action", owner=charlie, due_date=due)
    return {"mine": mine, "whole_team": whole_team, "due": due}


def summaries(content: bytes) -> list[str]:
    return [str(e["SUMMARY"]) for e in calendar_events(content)]


def test_the_personal_feed_has_my_meetings_and_my_due_actions(client, alice, calendar_data) -> None:
    feed = feed_regenerate(actor=alice)
    response = client.get(path_of(feed))  # no sign-in: the secret is the credential
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = parse_calendar(response.content)
    assert str(calendar["METHOD"]) == "PUBLISH"
    assert summaries(response.content) == [
        "Review meeting: Cache stampede",
        "Review meeting: Deploy freeze",
        "Action due: Rotate keys",
    ]
    meeting, _, action = calendar_events(response.content)
    start = calendar_data["mine"].meeting_at
    assert utc_start(meeting) == start  # the same instant, written in UTC
    assert (
        meeting["DTSTART"].to_ical() == start.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ").encode()
    )
    assert meeting.decoded("DTEND") - meeting.decoded("DTSTART") == dt.timedelta(minutes=45)
    assert str(meeting["UID"]).startswith(f"review-{calendar_data['mine'].pk}-meeting@")
    assert action.decoded("DTSTART") == calendar_data["due"]  # an all-day date, no zone
    assert action["DTSTART"].params.get("VALUE") == "DATE"
    assert action.decoded("DTEND") == calendar_data["due"] + dt.timedelta(days=1)


def test_the_team_feed_has_every_meeting_and_due_action_of_the_team(
    client, bob, calendar_data
) -> None:
    feed = feed_regenerate(actor=bob, team_id=bob.memberships.get().team_id)
    got = summaries(client.get(path_of(feed)).content)
    assert got == [
        "Review meeting: Cache stampede",
        "Review meeting: Bob only",
        "Review meeting: Deploy freeze",
        "Action due: Rotate keys",
        "Action due: Bob's action",
    ]
    assert str(parse_calendar(client.get(path_of(feed)).content)["X-WR-CALNAME"]) == (
        "Learnloop · Alpha"
    )


def test_a_new_secret_retires_the_old_url_and_revoking_answers_404(client, alice) -> None:
    old = feed_regenerate(actor=alice)
    old_path = path_of(old)
    new = feed_regenerate(actor=alice)
    assert new.pk == old.pk and new.secret != old.secret
    assert client.get(old_path).status_code == 404
    assert client.get(path_of(new)).status_code == 200
    assert feed_revoke(actor=alice) is True
    assert client.get(path_of(new)).status_code == 404
    assert client.get("/calendar/feed/not-a-secret.ics").status_code == 404


def test_a_team_feed_stops_when_its_owner_leaves_the_team(client, alice, alpha) -> None:
    feed = feed_regenerate(actor=alice, team_id=alpha.pk)
    assert client.get(path_of(feed)).status_code == 200
    Membership.objects.filter(user=alice, team=alpha).delete()
    assert client.get(path_of(feed)).status_code == 404


def test_a_deactivated_persons_feeds_answer_404(client, alice) -> None:
    feed = feed_regenerate(actor=alice)
    alice.is_active = False
    alice.save()
    assert client.get(path_of(feed)).status_code == 404


def test_the_page_makes_replaces_and_turns_off_urls(client_for, alice, alpha) -> None:
    client = client_for(alice)
    page = client.get("/calendar/")
    assert page.status_code == 200 and "Your calendar" in page.content.decode()
    assert "Team Alpha" in page.content.decode()
    assert client.post("/calendar/regenerate/", {"team": ""}).status_code == 302
    assert client.post("/calendar/regenerate/", {"team": str(alpha.pk)}).status_code == 302
    feeds = {f.team_id: f.secret for f in CalendarFeed.objects.filter(user=alice)}
    assert set(feeds) == {None, alpha.pk}
    page = client.get("/calendar/").content.decode()
    assert all(secret in page for secret in feeds.values())
    client.post("/calendar/revoke/", {"team": str(alpha.pk)})
    assert list(CalendarFeed.objects.filter(user=alice).values_list("team_id", flat=True)) == [None]
    assert client.get("/calendar/").content.decode().count("feed-url") == 1


def test_nobody_makes_a_feed_for_a_team_they_are_not_in(
    client_for, alpha, charlie, mallory
) -> None:
    for person in (charlie, mallory):
        client = client_for(person)
        assert client.post("/calendar/regenerate/", {"team": str(alpha.pk)}).status_code == 404
        assert client.post("/calendar/regenerate/", {"team": "x"}).status_code == 404
        api = client.post(
            "/api/calendars/feeds", {"team_id": alpha.pk}, content_type="application/json"
        )
        assert api.status_code == 404 and api.json()["error"]["code"] == "not_found"
        assert f"Team {alpha.name}" not in client.get("/calendar/").content.decode()
    assert not CalendarFeed.objects.exists()


def test_the_page_needs_a_sign_in(client) -> None:
    assert client.get("/calendar/").status_code == 302
    assert client.post("/calendar/regenerate/").status_code in (302, 403)
    assert not CalendarFeed.objects.exists()


def test_the_api_lists_makes_and_revokes_feeds(client_for, client, alice, alpha) -> None:
    api = client_for(alice)
    listed = api.get("/api/calendars/feeds").json()
    assert listed == [
        {"team_id": None, "team_name": None, "url": None},
        {"team_id": alpha.pk, "team_name": "Alpha", "url": None},
    ]
    made = api.post("/api/calendars/feeds", {}, content_type="application/json").json()
    assert made["team_id"] is None and made["url"].endswith(".ics")
    path = made["url"].split("://", 1)[1].split("/", 1)[1]
    assert client.get("/" + path).status_code == 200
    revoked = api.post("/api/calendars/feeds/revoke", {}, content_type="application/json")
    assert revoked.json() == {"revoked": True}
    assert client.get("/" + path).status_code == 404
    bad = api.post("/api/calendars/feeds", {"team_id": "x"}, content_type="application/json")
    assert bad.status_code == 422 and "error" in bad.json()
