"""Absolute links (issue 11, item 2; decision 0130): every email kind, the .ics file and the
printable review link to LEARNLOOP_BASE_URL, or else to the address `learnloop serve` listens
on, never to a hard-coded host nor the request's. Each email goes over real SMTP (aiosmtpd);
each link is followed: it resolves to the right view and answers its recipient."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import resolve
from django.utils import timezone

from conftest import SmtpInbox
from learnloop.accounts.models import Team, User
from learnloop.accounts.services import invitation_create
from learnloop.actions.services import action_create
from learnloop.core.urls_util import absolute_url
from learnloop.tasks.registry import enqueue
from learnloop.tasks.worker import run_due_jobs
from learnloop.testing.builders import make_review

pytestmark = pytest.mark.django_db

LINK = re.compile(r"https?://[^\s<>\"]+")


@pytest.fixture(
    params=[
        ("http://learnloop.internal.test:8472", ""),  # LEARNLOOP_BASE_URL set
        ("", "http://10.20.30.40:9123"),  # unset: the address `learnloop serve` listens on
    ],
    ids=["base-url", "serve-address"],
)
def origin(request: pytest.FixtureRequest, settings: Any) -> str:
    settings.BASE_URL, settings.SERVE_URL = request.param
    return str(request.param[0] or request.param[1])


def _body(inbox: SmtpInbox, to: str) -> str:
    inbox.wait_for_count(1)
    messages = [m for m, r in zip(inbox.messages, inbox.recipients, strict=True) if to in r]
    assert messages, f"no email to {to}"
    return str(messages[-1].get_body(preferencelist=("plain",)).get_content())


def _links(text: str) -> list[str]:
    return [link.rstrip(".,)") for link in LINK.findall(text)]


def _check(link: str, origin: str, view: str) -> str:
    """The link is on ``origin`` and resolves to ``view``; returns its path."""
    parts = urlsplit(link)
    assert f"{parts.scheme}://{parts.netloc}" == origin
    assert resolve(parts.path).view_name == view
    return parts.path


def test_absolute_url_joins_the_origin_and_the_path(origin: str) -> None:
    assert absolute_url("/actions/1/") == origin + "/actions/1/"
    assert absolute_url("actions/1/") == origin + "/actions/1/"


def test_a_reminder_email_links_the_action(
    origin: str,
    smtp_server: SmtpInbox,
    alice: User,
    bob: User,
    alpha: Team,
    client_for: Callable[[User], Client],
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        action = action_create(
            actor=bob,
            team=alpha,
            title="Add disk alert",
            owner=bob,
            due_date=timezone.localdate() + dt.timedelta(days=1),
        )
    with django_capture_on_commit_callbacks(execute=True):
        enqueue("actions.send_reminders")
    with django_capture_on_commit_callbacks(execute=True):
        run_due_jobs()
    run_due_jobs()
    smtp_server.wait_for_count(1)
    [message] = [m for m in smtp_server.messages if str(m["Subject"]).startswith("Due tomorrow")]
    body = str(message.get_body(preferencelist=("plain",)).get_content())
    [link] = [link for link in _links(body) if "/actions/" in link]
    path = _check(link, origin, "actions:detail")
    assert path == f"/actions/{action.pk}/"
    assert client_for(bob).get(path).status_code == 200


def test_an_assignment_email_links_the_action_and_the_preferences(
    origin: str,
    smtp_server: SmtpInbox,
    alice: User,
    bob: User,
    alpha: Team,
    client_for: Callable[[User], Client],
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        action = action_create(actor=alice, team=alpha, title="Add a disk alert", owner=bob)
    run_due_jobs()
    links = _links(_body(smtp_server, "bob@example.org"))
    action_link = next(link for link in links if "/actions/" in link)
    assert _check(action_link, origin, "actions:detail") == f"/actions/{action.pk}/"
    preferences = next(link for link in links if "preferences" in link)
    _check(preferences, origin, "notifications:preferences")
    for link in (action_link, preferences):
        assert client_for(bob).get(urlsplit(link).path).status_code == 200


def test_a_meeting_invitation_and_its_ics_link_the_review(
    origin: str,
    smtp_server: SmtpInbox,
    alice: User,
    bob: User,
    alpha: Team,
    client_for: Callable[[User], Client],
    django_capture_on_commit_callbacks: Any,
) -> None:
    review = make_review(alpha)
    review.participants.add(bob)
    when = (timezone.now() + dt.timedelta(days=3)).replace(hour=14, minute=0, second=0)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(alice).post(
            f"/reviews/{review.pk}/meeting/",
            {
                "meeting_at": when.strftime("%Y-%m-%dT%H:%M"),
                "duration_minutes": "45",
                "location": "Room 2",
            },
        )
    assert response.status_code == 302
    run_due_jobs()
    smtp_server.wait_for_count(1)
    [message] = smtp_server.messages
    body = str(message.get_body(preferencelist=("plain",)).get_content())
    [link] = [link for link in _links(body) if "/reviews/" in link]
    path = _check(link, origin, "reviews:detail")
    assert path == f"/reviews/{review.pk}/"
    assert client_for(bob).get(path).status_code == 200
    [attachment] = list(message.iter_attachments())
    ics = attachment.get_content()
    ics = ics.decode() if isinstance(ics, bytes) else ics
    unfolded = re.sub(r"\r?\n[ \t]", "", ics)
    [url] = re.findall(r"^URL[^:]*:(.+?)\r?$", unfolded, flags=re.MULTILINE)
    assert _check(url, origin, "reviews:detail") == path
    host = urlsplit(origin).hostname
    assert re.search(rf"^UID:review-{review.pk}-meeting@{re.escape(str(host))}\r?$", unfolded, re.M)
    # The .ics the page offers for download carries the same link.
    download = client_for(bob).get(f"/reviews/{review.pk}/meeting.ics").content.decode()
    assert re.findall(r"^URL[^:]*:(.+?)\r?$", re.sub(r"\r?\n[ \t]", "", download), re.M) == [url]


def test_an_invitation_email_links_the_acceptance_page(
    origin: str,
    smtp_server: SmtpInbox,
    alice: User,
    alpha: Team,
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        invitation_create(actor=alice, team=alpha, email="new.person@example.org")
    run_due_jobs()
    [link] = _links(_body(smtp_server, "new.person@example.org"))
    path = _check(link, origin, "accounts:invitation-accept")
    page = Client().get(path)
    assert page.status_code == 200 and "Alpha" in page.content.decode()


def test_a_password_reset_email_links_the_new_password_page(
    origin: str, smtp_server: SmtpInbox, bob: User, django_capture_on_commit_callbacks: Any
) -> None:
    browser = Client()
    with django_capture_on_commit_callbacks(execute=True):
        response = browser.post("/password-reset/", {"email": "bob@example.org"})
    assert response.status_code == 302
    run_due_jobs()
    [link] = _links(_body(smtp_server, "bob@example.org"))
    path = _check(link, origin, "accounts:password-reset-confirm")
    # Django swaps the token for a session key, then shows the form.
    following = browser.get(path, follow=True)
    assert following.status_code == 200
    assert 'name="new_password1"' in following.content.decode()


def test_the_printable_review_footer_links_the_review(
    origin: str, alice: User, alpha: Team, client_for: Callable[[User], Client]
) -> None:
    review = make_review(alpha)
    page = client_for(alice).get(f"/reviews/{review.pk}/print/").content.decode()
    footer = re.search(r'<footer class="print-footer">(.*?)</footer>', page, re.S)
    assert footer is not None
    [link] = _links(footer.group(1))
    assert _check(link, origin, "reviews:detail") == f"/reviews/{review.pk}/"
