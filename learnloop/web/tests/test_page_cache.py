"""Cached pages (decision 0075): kept per viewer, dropped by any write, answered with 304 on
repeat views; one viewer's page is never served to another."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from learnloop.core.models import Visibility
from learnloop.lessons.models import Lesson
from learnloop.testing import builders
from learnloop.web import page_cache

pytestmark = pytest.mark.django_db

CSRF = "a" * 32  # the same CSRF cookie for everyone: only the viewer tells the pages apart


@pytest.fixture(autouse=True)
def _page_cache_on(settings) -> None:
    settings.LEARNLOOP_PAGE_CACHE = True


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    client.cookies["csrftoken"] = CSRF
    return client


def test_a_repeat_view_is_served_from_the_cache_without_running_the_view(
    alice, alpha, django_assert_max_num_queries
):
    builders.make_lesson(alpha, statement="Rotate the heron keys")
    client = client_for(alice)
    first = client.get(reverse("lessons:library"))
    assert first.status_code == 200
    with django_assert_max_num_queries(2):  # the session and its user, nothing of the page
        second = client.get(reverse("lessons:library"))
    assert second.content == first.content
    assert second["ETag"] == first["ETag"]


def test_another_viewer_never_gets_a_viewers_page(alice, charlie, alpha):
    builders.make_lesson(alpha, statement="Rotate the heron keys", visibility=Visibility.TEAM)
    seen = client_for(alice).get(reverse("lessons:library"))
    assert b"Rotate the heron keys" in seen.content
    other = client_for(charlie).get(reverse("lessons:library"))  # same path, same cookie
    assert other.status_code == 200
    assert b"Rotate the heron keys" not in other.content
    assert other["ETag"] != seen["ETag"]
    # ...and the ETag of one viewer's page gets the other no 304.
    again = client_for(charlie).get(reverse("lessons:library"), HTTP_IF_NONE_MATCH=seen["ETag"])
    assert again.status_code == 200
    assert b"Rotate the heron keys" not in again.content


def test_a_repeat_view_with_the_etag_gets_304(alice, alpha):
    client = client_for(alice)
    first = client.get(reverse("lessons:library"))
    again = client.get(reverse("lessons:library"), HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert again.content == b""


def test_a_write_through_a_request_is_seen_at_once(alice, alpha):
    """Read-your-writes: the viewer's own write (a POST) drops every kept page."""
    client = client_for(alice)
    before = client.get(reverse("lessons:library"))
    lesson = builders.make_lesson(alpha, statement="Mind the pelican gap")
    Lesson.objects.filter(pk=lesson.pk).update(statement="Mind the albatross gap")  # no signal
    client.post(reverse("lessons:library"), {})  # any unsafe request moves the data version
    after = client.get(reverse("lessons:library"), HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200
    assert b"Mind the albatross gap" in after.content


def test_a_saved_model_drops_the_kept_pages(alice, alpha):
    client = client_for(alice)
    before = client.get(reverse("lessons:library"))
    assert b"Check the kingfisher valves" not in before.content
    builders.make_lesson(alpha, statement="Check the kingfisher valves")  # e.g. a job's write
    after = client.get(reverse("lessons:library"), HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200
    assert b"Check the kingfisher valves" in after.content


def test_pages_with_a_waiting_message_or_without_a_csrf_cookie_are_not_kept(alice):
    client = Client()
    client.force_login(alice)
    response = client.get(reverse("lessons:library"))
    assert "ETag" not in response  # no CSRF cookie yet: its forms would carry a stale token
    client.cookies["csrftoken"] = CSRF
    client.cookies["messages"] = "x"
    assert "ETag" not in client.get(reverse("lessons:library"))


def test_it_can_be_turned_off(alice, settings):
    settings.LEARNLOOP_PAGE_CACHE = False
    assert "ETag" not in client_for(alice).get(reverse("lessons:library"))


def test_the_data_version_moves_on_every_write(alpha):
    before = page_cache.data_version()
    builders.make_lesson(alpha, statement="One more")
    assert page_cache.data_version() != before
