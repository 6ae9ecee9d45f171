"""Kept pages (decision 0076): per viewer, dropped by any write in the organisation (made
through a request, a service, ``QuerySet.update()`` or raw SQL), answered with 304 on repeat
views; one viewer's page is never served to another; an anonymous report's page is never kept."""

from __future__ import annotations

import pytest
from django.core.cache import caches
from django.db import connection
from django.test import Client

from learnloop.accounts.services import api_token_create
from learnloop.core.models import Visibility
from learnloop.incidents import services as incident_services
from learnloop.lessons.models import Lesson
from learnloop.testing import builders

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache_on")]

CSRF = "a" * 32  # the same CSRF cookie for everyone: only the viewer tells the pages apart
LIBRARY = "/lessons/"


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    client.cookies["csrftoken"] = CSRF
    return client


def kept_pages() -> int:
    keys: list[str] = list(caches["local"]._cache)  # type: ignore[attr-defined]
    return len([key for key in keys if ":page:" in key])


def test_a_repeat_view_is_served_without_running_the_view(
    alice, alpha, django_assert_max_num_queries
):
    builders.make_lesson(alpha, statement="Rotate the heron keys")
    client = client_for(alice)
    first = client.get(LIBRARY)
    assert first.status_code == 200 and b"Rotate the heron keys" in first.content
    assert first["ETag"].startswith('W/"') and "private" in first["Cache-Control"]
    with django_assert_max_num_queries(3):  # the session, its user, the data version
        second = client.get(LIBRARY)
    assert second.status_code == 200
    assert second.content == first.content
    assert second["ETag"] == first["ETag"]
    assert second["Content-Type"] == first["Content-Type"]
    assert second.context is None  # no template ran


def test_a_repeat_view_with_the_etag_gets_304(alice, alpha):
    client = client_for(alice)
    first = client.get(LIBRARY)
    again = client.get(LIBRARY, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again.content == b""
    assert again["ETag"] == first["ETag"]


def test_two_viewers_never_share_a_page_with_a_private_journal_entry(alice, bob):
    """The search page shows the searcher's own journal entries: kept per viewer."""
    builders.make_journal_entry(alice, title="Pelican checklist note")
    builders.make_journal_entry(bob, title="Pelican otter note")
    as_alice, as_bob = client_for(alice), client_for(bob)  # signing in writes: before the views
    path = "/search/?q=pelican"
    seen = as_alice.get(path)
    assert b"Pelican checklist note" in seen.content and "ETag" in seen
    other = as_bob.get(path)  # same path, same CSRF cookie, same data version
    assert other.status_code == 200
    assert b"Pelican checklist note" not in other.content and b"Pelican otter note" in other.content
    assert other["ETag"] != seen["ETag"]
    # ...and the ETag of one viewer's page gets the other no 304.
    again = as_bob.get(path, HTTP_IF_NONE_MATCH=seen["ETag"])
    assert again.status_code == 200 and b"Pelican checklist note" not in again.content


def test_the_journal_itself_is_never_kept(alice):
    """Its views say no-store (never_cache): the cache honours that."""
    builders.make_journal_entry(alice, title="Alice's private pelican note")
    client = client_for(alice)
    for _ in range(2):
        response = client.get("/journal/")
        assert b"pelican" in response.content and "ETag" not in response
    assert kept_pages() == 0


def test_a_team_only_page_is_not_served_to_another_teams_user(alice, charlie, alpha):
    builders.make_lesson(alpha, statement="Mind the heron gate", visibility=Visibility.TEAM)
    as_alice, as_charlie = client_for(alice), client_for(charlie)
    _, alice_token = api_token_create(user=alice, name="a")
    _, charlie_token = api_token_create(user=charlie, name="c")
    assert b"Mind the heron gate" in as_alice.get(LIBRARY).content
    other = as_charlie.get(LIBRARY)
    assert other.status_code == 200 and b"Mind the heron gate" not in other.content
    # The API list too, keyed by the token's person.
    api = Client()
    alice_list = api.get("/api/lessons", HTTP_AUTHORIZATION=f"Bearer {alice_token}")
    assert "Mind the heron gate" in alice_list.content.decode()
    charlie_list = api.get("/api/lessons", HTTP_AUTHORIZATION=f"Bearer {charlie_token}")
    assert charlie_list.status_code == 200
    assert "Mind the heron gate" not in charlie_list.content.decode()


def test_an_api_list_is_kept_per_token_person(alice, alpha, django_assert_max_num_queries):
    builders.make_lesson(alpha, statement="Oil the kestrel hinge")
    _, token = api_token_create(user=alice, name="cli")
    client = Client()
    first = client.get("/api/lessons", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert (
        first.status_code == 200
        and "Oil the kestrel hinge" in first.json()["items"][0]["statement"]
    )
    with django_assert_max_num_queries(2):  # the token and its person, the data version
        second = client.get("/api/lessons", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert second.content == first.content and second["Content-Type"] == first["Content-Type"]
    # A revoked token gets nothing kept: revoking is a write, and the API then refuses it.
    from learnloop.accounts.models import ApiToken

    ApiToken.objects.filter(user=alice).update(revoked_at="2026-01-01T00:00:00Z")
    assert client.get("/api/lessons", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 401
    assert client.get("/api/lessons", HTTP_AUTHORIZATION="Bearer ll_nonsense").status_code == 401


def test_recording_a_tokens_use_keeps_every_kept_page(alice, alpha):
    """Decision 0185: a token's first use in 5 minutes writes its last-use time, outside any
    organisation; that write must not drop the kept pages of every organisation."""
    from learnloop.accounts.models import ApiToken
    from learnloop.web import data_version

    _, token = api_token_create(user=alice, name="cli")
    version = data_version.data_version(alice.organisation_id)
    response = Client().get("/api/lessons", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200
    assert ApiToken.objects.get(user=alice).last_used_at is not None
    assert data_version.data_version(alice.organisation_id) == version


def test_a_write_by_anyone_drops_the_kept_pages_of_the_organisation(alice, bob, alpha):
    """Read-your-writes, and everyone else's: a write through a request, a service, a bare
    ``QuerySet.update()`` (no signal) and raw SQL each drop the kept pages at once."""
    lesson = builders.make_lesson(alpha, statement="Mind the pelican gap")
    client = client_for(alice)
    before = client.get(LIBRARY)
    assert b"Mind the pelican gap" in before.content

    Lesson.objects.filter(pk=lesson.pk).update(statement="Mind the albatross gap")
    after = client.get(LIBRARY, HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200 and b"Mind the albatross gap" in after.content

    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE lessons_lesson SET statement = %s WHERE id = %s",
            ["Mind the puffin gap", lesson.pk],
        )
    assert b"Mind the puffin gap" in client.get(LIBRARY).content

    builders.make_lesson(alpha, statement="Check the kingfisher valves")  # e.g. a job's write
    assert b"Check the kingfisher valves" in client.get(LIBRARY).content

    # Bob's write through the web drops Alice's kept page too.
    bob_client = client_for(bob)
    page = bob_client.get("/lessons/new/")
    assert page.status_code == 200
    response = bob_client.post(
        "/lessons/new/",
        {
            "statement": "Label the heron crates",
            "team": alpha.pk,
            "visibility": "team",
            "csrfmiddlewaretoken": CSRF,
        },
    )
    assert response.status_code == 302, response.content[:500]
    assert b"Label the heron crates" in client.get(LIBRARY).content


def test_a_write_in_another_organisation_keeps_the_pages(alice, alpha, mallory):
    from learnloop.web import data_version

    client = client_for(alice)
    client.get(LIBRARY)
    version = data_version.data_version(alice.organisation_id)
    with data_version.attribute_to(type("R", (), {"user": mallory})()):
        builders.make_lesson(mallory.teams.first(), statement="Elsewhere")
    assert data_version.data_version(alice.organisation_id) == version
    # A write that names no organisation (a job, a command) drops everyone's.
    builders.make_lesson(alpha, statement="Here")
    assert data_version.data_version(alice.organisation_id) > version


def test_an_anonymous_reports_page_is_never_kept(bob, alpha):
    report = incident_services.incident_create(
        actor=bob, title="Wrong valve", description="x", anonymous=True, team=alpha
    )
    assert report.pk < 0
    client = client_for(bob)
    caches["local"].clear()
    for _ in range(2):
        response = client.get(f"/incidents/{report.pk}/")
        assert response.status_code == 200
        assert "ETag" not in response
    assert kept_pages() == 0
    # A named report's page is kept.
    named = builders.make_incident(alpha, title="Named valve", reporter=bob)
    assert "ETag" in client.get(f"/incidents/{named.pk}/")
    assert kept_pages() == 1


def test_pages_with_a_waiting_message_or_without_a_csrf_cookie_are_not_kept(alice):
    client = Client()
    client.force_login(alice)
    response = client.get(LIBRARY)
    assert "ETag" not in response  # no CSRF cookie yet: its forms would carry a stale token
    client.cookies["csrftoken"] = CSRF
    client.cookies["messages"] = "x"
    assert "ETag" not in client.get(LIBRARY)
    assert kept_pages() == 0


def test_it_can_be_turned_off(alice, settings):
    settings.LEARNLOOP_PAGE_CACHE = False
    assert "ETag" not in client_for(alice).get(LIBRARY)
    assert kept_pages() == 0


def test_api_lists_are_chosen_by_route_not_by_operation_name(alice, alpha):
    """The journal's API list and the debrief log's share ninja's operation name entry_list:
    only the debrief log is kept (the journal stays out of every cache, as its pages do)."""
    builders.make_journal_entry(alice, title="Private heron note")
    deliverable = builders.make_deliverable(alpha, owner=alice)
    _, token = api_token_create(user=alice, name="cli")
    api = Client()
    journal = api.get("/api/journal/entries", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert journal.status_code == 200 and "Private heron note" in journal.content.decode()
    assert "ETag" not in journal
    log = api.get(
        f"/api/debriefs/deliverables/{deliverable.pk}/entries", HTTP_AUTHORIZATION=f"Bearer {token}"
    )
    assert log.status_code == 200 and "ETag" in log
    assert kept_pages() == 1


def test_a_retro_page_is_kept_only_without_a_timer_or_card_secrets(alice, bob, alpha):
    import datetime as dt

    from django.utils import timezone

    from learnloop.retros import live
    from learnloop.retros.models import Retro

    retro = builders.make_retro(alpha, facilitator=alice, participants=[bob])
    client = client_for(alice)
    path = f"/retros/{retro.pk}/"
    assert client.get(path).status_code == 200 and kept_pages() == 1
    caches["local"].clear()
    Retro.objects.filter(pk=retro.pk).update(timer_ends_at=timezone.now() + dt.timedelta(minutes=5))
    assert "ETag" not in client.get(path)  # the timer counts down with the clock
    Retro.objects.filter(pk=retro.pk).update(timer_ends_at=None)
    client.cookies[live.cookie_name(retro.pk)] = "-5~" + "0" * 64  # this browser's card secret
    assert client.get(path).status_code == 200
    assert kept_pages() == 0
