"""Sign-in throttling (django-axes): wrong passwords pause one email from one address for a
while, with a clear message, the same for known and unknown emails."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.utils import timezone

from learnloop.tasks.worker import run_due_jobs
from learnloop.testing.builders import PASSWORD

pytestmark = pytest.mark.django_db

LIMIT = getattr(settings, "AXES_FAILURE_LIMIT", 5)
PAUSED = "Too many failed sign-ins"


def sign_in(client: Client, email: str, password: str, path: str = "/login/", **extra: str):
    return client.post(path, {"username": email, "password": password}, **extra)


def signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def fail_until_paused(client: Client, email: str, **extra: str) -> list[int]:
    return [sign_in(client, email, "wrong-password", **extra).status_code for _ in range(LIMIT)]


def test_wrong_passwords_then_the_right_one_is_refused_with_a_clear_message(alice) -> None:
    client = Client()
    statuses = fail_until_paused(client, alice.email)
    assert statuses == [200] * (LIMIT - 1) + [429]
    response = sign_in(client, alice.email, PASSWORD)
    html = response.content.decode()
    assert response.status_code == 429 and not signed_in(client)
    assert PAUSED in html and "15 minutes" in html and 'name="password"' in html


def test_a_known_and_an_unknown_email_are_answered_alike(alice) -> None:
    def journey(email: str) -> list[tuple[int, str]]:
        client = Client()
        out = []
        for _ in range(LIMIT + 2):
            response = sign_in(client, email, "wrong-password")
            body = re.sub(r'(value|content)="[^"]*"', r'\1=""', response.content.decode())
            out.append((response.status_code, body.replace(email, "EMAIL")))
        return out

    known, unknown = journey(alice.email), journey("nobody-here@example.org")
    assert known == unknown
    assert known[-1][0] == 429 and PAUSED in known[-1][1]


def test_the_pause_ends_after_the_cool_off(alice) -> None:
    from axes.models import AccessAttempt  # (imported here: on the old code the module loads)

    client = Client()
    fail_until_paused(client, alice.email)
    assert sign_in(client, alice.email, PASSWORD).status_code == 429
    # Travel in time: the recorded failures are now older than the cool-off period.
    long_ago = timezone.now() - settings.AXES_COOLOFF_TIME - dt.timedelta(seconds=1)
    AccessAttempt.objects.update(attempt_time=long_ago)
    response = sign_in(client, alice.email, PASSWORD)
    assert response.status_code == 302 and signed_in(client)
    assert not AccessAttempt.objects.exists()  # a success forgets the failures


def test_the_pause_is_per_email_and_address_and_ignores_case(alice, bob) -> None:
    here = Client(REMOTE_ADDR="198.51.100.7")
    for variant in ["ALICE@example.org", " alice@EXAMPLE.org", "alice@example.org"] * LIMIT:
        sign_in(here, variant, "wrong-password")
    assert sign_in(here, alice.email, PASSWORD).status_code == 429
    other_email = Client(REMOTE_ADDR="198.51.100.7")
    assert sign_in(other_email, bob.email, PASSWORD).status_code == 302
    elsewhere = Client(REMOTE_ADDR="203.0.113.9")
    assert sign_in(elsewhere, alice.email, PASSWORD).status_code == 302


def test_behind_a_trusted_proxy_each_client_address_counts_apart(alice) -> None:
    proxy = {"REMOTE_ADDR": "127.0.0.1"}
    fail_until_paused(Client(), alice.email, HTTP_X_FORWARDED_FOR="203.0.113.5", **proxy)
    assert (
        sign_in(Client(), alice.email, PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.5", **proxy)
    ).status_code == 429
    assert (
        sign_in(Client(), alice.email, PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.6", **proxy)
    ).status_code == 302
    # A client talking to us directly cannot pick its address with a forged header.
    direct = {"REMOTE_ADDR": "198.51.100.20"}
    fail_until_paused(Client(), alice.email, HTTP_X_FORWARDED_FOR="10.0.0.1", **direct)
    assert (
        sign_in(Client(), alice.email, PASSWORD, HTTP_X_FORWARDED_FOR="10.0.0.2", **direct)
    ).status_code == 429


def test_the_operator_admin_sign_in_is_throttled_too(alice) -> None:
    client = Client()
    statuses = [
        sign_in(client, alice.email, "wrong-password", path="/admin/login/").status_code
        for _ in range(LIMIT)
    ]
    assert statuses[-1] == 429
    assert sign_in(client, alice.email, PASSWORD).status_code == 429


def test_choosing_a_new_password_by_email_lifts_the_pause(
    alice, django_capture_on_commit_callbacks
) -> None:
    client = Client()
    fail_until_paused(client, alice.email)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/password-reset/", {"email": alice.email})
    run_due_jobs()
    path = re.search(r"https?://[^/\s]+(/password-reset/\S+/)", mail.outbox[0].body).group(1)
    form_url = client.get(path, follow=True).redirect_chain[-1][0]
    new = "a-brand-new-password"
    client.post(form_url, {"new_password1": new, "new_password2": new})
    response = sign_in(client, alice.email, new)
    assert response.status_code == 302 and signed_in(client)


def test_a_malformed_forwarded_header_is_ignored_not_a_500(alice) -> None:
    garbage = {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "not-an-address, <script>"}
    statuses = fail_until_paused(Client(), alice.email, **garbage)
    assert statuses[-1] == 429  # counted against the proxy's own address


def ask_for_reset(client: Client, email: str, capture) -> tuple[int, str]:
    with capture(execute=True):
        response = client.post("/password-reset/", {"email": email})
    return response.status_code, response.url


def test_reset_emails_are_capped_per_email_and_answered_alike(
    alice, django_capture_on_commit_callbacks
) -> None:
    capture = django_capture_on_commit_callbacks
    answers = {
        email: [
            ask_for_reset(Client(REMOTE_ADDR=f"198.51.100.{n}"), email, capture) for n in range(6)
        ]
        for email in [alice.email, "nobody-here@example.org"]
    }
    run_due_jobs()
    assert len(mail.outbox) == settings.PASSWORD_RESET_EMAILS_PER_HOUR == 3
    assert {m.to[0] for m in mail.outbox} == {alice.email}
    everything = answers[alice.email] + answers["nobody-here@example.org"]
    assert set(everything) == {(302, "/password-reset/sent/")}


def test_reset_requests_are_capped_per_client_address(
    alice, bob, charlie, settings, django_capture_on_commit_callbacks
) -> None:
    settings.PASSWORD_RESET_REQUESTS_PER_ADDRESS_PER_HOUR = 2
    capture = django_capture_on_commit_callbacks
    one_address = Client(REMOTE_ADDR="203.0.113.50")
    answers = [ask_for_reset(one_address, u.email, capture) for u in (alice, bob, charlie)]
    assert set(answers) == {(302, "/password-reset/sent/")}
    run_due_jobs()
    assert sorted(m.to[0] for m in mail.outbox) == [alice.email, bob.email]
    ask_for_reset(Client(REMOTE_ADDR="203.0.113.51"), charlie.email, capture)
    run_due_jobs()
    assert mail.outbox[-1].to == [charlie.email]
