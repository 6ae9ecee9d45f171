"""``web.chrome`` (decision 0238): the page chrome written in Python answers the bytes of a
template extending ``web/base.html`` for every kind of viewer, and keeps nothing of a person,
a page or a time between requests."""

from __future__ import annotations

import re

import pytest
from django.contrib import messages
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.storage.cookie import CookieStorage
from django.middleware.csrf import get_token
from django.template import engines
from django.test import RequestFactory
from django.utils.safestring import mark_safe

from learnloop.notifications.services import notification_create
from learnloop.notifications.templatetags.notifications_tags import bell_of
from learnloop.testing.builders import make_user
from learnloop.web import chrome

pytestmark = pytest.mark.django_db

_CHILD = (
    '{% extends "web/base.html" %}{% block title %}{{ title }}{% endblock %}'
    "{% block content %}{{ content }}{% endblock %}"
)
_TOKEN = re.compile(r'(name="csrfmiddlewaretoken" value="|<meta name="csrf-token" content=")[^"]+"')
TITLE = 'Fire & "smoke" <drill>'
CONTENT = mark_safe("\n<article><p>Body &amp; more</p></article>\n")


def _request(user, path: str = "/journal/?q=<x>", notes: bool = False):
    request = RequestFactory().get(path)
    request.user = user
    request.session = {}  # type: ignore[assignment]
    request._messages = CookieStorage(request)  # type: ignore[attr-defined]
    if notes:
        messages.success(request, "Saved <b>it</b>.")
        messages.info(request, mark_safe("Kept <em>safe</em>."))
    return request


def _both(user, **kwargs) -> tuple[str, str]:
    """(the template's page, ``chrome.page``'s), each for a fresh request, tokens normalised."""
    template = engines["django"].from_string(_CHILD)
    expected = template.render({"title": TITLE, "content": CONTENT}, _request(user, **kwargs))
    request = _request(user, **kwargs)
    response = chrome.page(request, title=TITLE, content=CONTENT)
    assert response.status_code == 200 and response["Content-Type"] == "text/html; charset=utf-8"
    return _TOKEN.sub(r'\1X"', expected), _TOKEN.sub(r'\1X"', response.content.decode())


def test_a_member_gets_the_templates_bytes(bob) -> None:
    expected, page = _both(bob)
    assert "Signed in as Bob" in page and 'aria-current="page"' in page  # not an empty chrome
    assert "Fire &amp; &quot;smoke&quot; &lt;drill&gt; · Learnloop" in page
    assert page == expected


def test_unread_notifications_and_messages_give_the_templates_bytes(bob) -> None:
    notification_create(recipient=bob, text="A review waits for you", url="/")
    expected, page = _both(bob, notes=True)
    assert 'data-unread="1"' in page
    assert "Saved &lt;b&gt;it&lt;/b&gt;." in page and "Kept <em>safe</em>." in page
    assert page == expected


def test_an_operator_and_a_visitor_get_the_templates_bytes(org) -> None:
    operator = make_user("root@example.org", None, is_superuser=True, is_staff=True)
    expected, page = _both(operator)
    assert "Operator admin" in page and "I might have clicked" not in page
    assert page == expected
    expected, page = _both(AnonymousUser(), path="/login/")
    assert "Sign in" in page and "coach.js" not in page
    assert page == expected


def test_one_csrf_token_on_the_page(bob) -> None:
    request = _request(bob)
    token = get_token(request)
    html = chrome.page(request, title="t", content=mark_safe(""), csrf=token).content.decode()
    assert html.count(token) == 3  # the meta tag and the two sign-out forms


def test_nothing_of_a_viewer_or_a_page_is_kept(bob, alice) -> None:
    """The only state the chrome keeps is its reversed URLs, per URL prefix and URL conf."""
    chrome._urls.cache_clear()
    for user in (bob, alice):
        chrome.page(_request(user), title="Secret title", content=mark_safe("<p>x</p>"))
    assert chrome._urls.cache_info().currsize == 1
    kept = repr(chrome._urls("/", "learnloop.urls"))
    assert chrome._urls.cache_info().hits >= 2  # the call above read the one kept entry
    for trace in ("Secret", "Bob", "Alice", "bob@", "alice@"):
        assert trace not in kept
    assert [bell_of] == chrome._BELL  # the one other module-level value: a function
