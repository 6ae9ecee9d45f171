"""One render per missing kept page and process (decision 0077): a request for a page that
another thread of the process is rendering waits for that render and is served what it kept,
instead of rendering the same bytes again; when the leader's page is not kept, the waiter
renders its own. The other thread is played by the test, deterministically (no timing)."""

from __future__ import annotations

import threading

import pytest
from django.core.cache import caches
from django.test import Client

from learnloop.testing import builders
from learnloop.web import page_cache

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache_on")]

LIBRARY = "/lessons/"


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    client.cookies["csrftoken"] = "a" * 32
    return client


def the_kept_page() -> tuple[str, object]:
    """The one kept page's key (as the middleware names it) and value."""
    (stored,) = [k for k in caches["local"]._cache if ":page:" in k]  # type: ignore[attr-defined]
    key = stored.split(":", 2)[2]
    return key, caches["local"].get(key)


class OtherThreadsRender(threading.Event):
    """The event of a render another thread leads: it ends while the waiter waits, having kept
    ``value`` under ``key`` (or kept nothing, with ``value`` None)."""

    def __init__(self, key: str, value: object) -> None:
        super().__init__()
        self.key, self.value, self.waited = key, value, False

    def wait(self, timeout: float | None = None) -> bool:
        self.waited = True
        if self.value is not None:
            caches["local"].set(self.key, self.value, page_cache.PAGE_SECONDS)
        page_cache._RENDERS.done(self.key)
        return super().wait(timeout)


def test_a_request_for_a_page_being_rendered_waits_and_is_served_that_render(
    alice, alpha, django_assert_max_num_queries
):
    builders.make_lesson(alpha, statement="Rotate the heron keys")
    client = client_for(alice)
    first = client.get(LIBRARY)
    assert first.status_code == 200 and "ETag" in first
    key, value = the_kept_page()
    caches["local"].delete(key)  # missing again, as on the first view after a write
    render = OtherThreadsRender(key, value)
    page_cache._RENDERS._running[key] = render  # another thread is rendering it

    with django_assert_max_num_queries(3):  # the session, its user, the data version
        second = client.get(LIBRARY)
    assert render.waited
    assert second.status_code == 200 and second.context is None  # the view did not run
    assert second.content == first.content and second["ETag"] == first["ETag"]
    assert page_cache._RENDERS._running == {}


def test_a_waiter_renders_its_own_page_when_the_leaders_was_not_kept(alice, alpha):
    builders.make_lesson(alpha, statement="Rotate the heron keys")
    client = client_for(alice)
    client.get(LIBRARY)
    key, _ = the_kept_page()
    caches["local"].delete(key)
    render = OtherThreadsRender(key, None)
    page_cache._RENDERS._running[key] = render

    second = client.get(LIBRARY)
    assert render.waited
    assert second.status_code == 200 and second.context is not None  # rendered here
    assert b"Rotate the heron keys" in second.content
    assert page_cache._RENDERS._running == {}


def test_the_leader_releases_its_key_whatever_the_response(alice, bob, alpha):
    builders.make_lesson(alpha, statement="Rotate the heron keys")
    client = client_for(alice)
    assert client.get(LIBRARY).status_code == 200
    assert client.get("/incidents/999999/").status_code == 404  # a kept URL name, not kept
    assert page_cache._RENDERS._running == {}


def test_the_first_request_leads_and_the_next_ones_wait_for_it() -> None:
    renders = page_cache._Renders()
    assert renders.lead_or_follow("k") is None
    running = renders.lead_or_follow("k")
    assert running is not None and not running.is_set()
    assert renders.lead_or_follow("other") is None  # another page renders beside it
    renders.done("k")
    assert running.is_set()
    assert renders.lead_or_follow("k") is None  # the next miss renders again
