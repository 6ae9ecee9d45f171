from __future__ import annotations

import datetime as dt
import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.utils import timezone

from learnloop.accounts.models import Invitation, Membership, User
from learnloop.tasks.worker import run_due_jobs

pytestmark = pytest.mark.django_db


def _invite(client, team, email, capture, role="member"):
    with capture(execute=True):
        response = client.post(f"/teams/{team.slug}/", {"email": email, "role": role})
    run_due_jobs()
    return response


def _link(message) -> str:
    return re.search(r"http://\S+/invite/\S+/", message.body).group(0)


def test_it_emails_an_invitation_that_creates_an_account(
    alice, alpha, client_for, client, django_capture_on_commit_callbacks
) -> None:
    response = _invite(
        client_for(alice),
        alpha,
        "Dana@Example.org",
        django_capture_on_commit_callbacks,
        role="facilitator",
    )
    assert response.status_code == 302
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["dana@example.org"]
    path = urlsplit(_link(mail.outbox[0])).path
    assert "Alpha" in client.get(path).content.decode()
    response = client.post(path, {"display_name": "Dana", "password": "a-long-enough-password"})
    assert response.status_code == 302
    dana = User.objects.get(email="dana@example.org")
    assert Membership.objects.get(user=dana, team=alpha).role == "facilitator"
    assert dana.organisation == alpha.organisation
    # The link works once.
    assert client.get(path).status_code == 404


def test_it_refuses_weak_passwords_and_keeps_the_invitation_open(
    alice, alpha, client_for, client, django_capture_on_commit_callbacks
) -> None:
    _invite(client_for(alice), alpha, "dana@example.org", django_capture_on_commit_callbacks)
    path = urlsplit(_link(mail.outbox[0])).path
    response = client.post(path, {"display_name": "Dana", "password": "123"})
    assert response.status_code == 200
    assert "too short" in response.content.decode()
    assert not User.objects.filter(email="dana@example.org").exists()
    assert Invitation.objects.get().is_open


def test_it_rejects_expired_and_revoked_links(
    alice, alpha, client_for, client, django_capture_on_commit_callbacks
) -> None:
    _invite(client_for(alice), alpha, "dana@example.org", django_capture_on_commit_callbacks)
    path = urlsplit(_link(mail.outbox[0])).path
    Invitation.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert client.get(path).status_code == 404
    Invitation.objects.update(expires_at=timezone.now() + dt.timedelta(days=1))
    client_for(alice).post(f"/teams/alpha/invitations/{Invitation.objects.get().pk}/revoke/")
    assert client.get(path).status_code == 404


def test_it_says_what_is_wrong_with_an_invitation(
    alice, bob, alpha, client_for, django_capture_on_commit_callbacks
) -> None:
    response = _invite(
        client_for(alice), alpha, "bob@example.org", django_capture_on_commit_callbacks
    )
    assert "already in the team" in response.content.decode()
    response = _invite(client_for(alice), alpha, "not-an-email", django_capture_on_commit_callbacks)
    assert "valid email" in response.content.decode()
    assert Invitation.objects.count() == 0


def test_a_signed_in_member_of_the_org_accepts_with_one_click(
    alice, charlie, alpha, client_for, django_capture_on_commit_callbacks
) -> None:
    _invite(client_for(alice), alpha, "charlie@example.org", django_capture_on_commit_callbacks)
    path = urlsplit(_link(mail.outbox[0])).path
    assert client_for(charlie).post(path).status_code == 302
    assert Membership.objects.filter(user=charlie, team=alpha).exists()
