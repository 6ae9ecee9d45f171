from __future__ import annotations

import re

import pytest
from django.core import mail

from learnloop.accounts.models import Membership, Team, User
from learnloop.tasks.worker import run_due_jobs
from learnloop.testing.builders import PASSWORD

pytestmark = pytest.mark.django_db


def test_first_run_creates_organisation_and_admin_then_closes(client) -> None:
    assert client.get("/").url == "/setup/"
    response = client.post(
        "/setup/",
        {
            "organisation_name": "Acme",
            "display_name": "Ada",
            "email": "ada@example.org",
            "password": PASSWORD,
        },
    )
    assert response.status_code == 302
    ada = User.objects.get()
    assert ada.is_org_admin and not ada.is_superuser and ada.organisation.name == "Acme"
    assert client.get("/").status_code == 200
    client.logout()
    assert client.get("/setup/").url == "/login/"


def test_setup_form_reports_problems_next_to_fields(client) -> None:
    response = client.post(
        "/setup/",
        {"organisation_name": "", "display_name": "Ada", "email": "nope", "password": "x"},
    )
    html = response.content.decode()
    assert (
        response.status_code == 200
        and "Enter a valid email address" in html
        and "This field is required" in html
    )
    assert not User.objects.exists()


def test_sign_in_by_email_case_insensitively_and_sign_out(alice, client) -> None:
    response = client.post("/login/", {"username": "ALICE@example.org", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/").context["user"] == alice
    assert client.post("/logout/").status_code == 302
    assert client.get("/teams/").status_code == 302


def test_pages_need_sign_in(client) -> None:
    for url in ["/teams/", "/teams/new/", "/account/", "/teams/alpha/"]:
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith("/login/"), url


def test_password_reset_by_email(alice, client, django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/password-reset/", {"email": "alice@example.org"})
    run_due_jobs()
    assert len(mail.outbox) == 1
    path = re.search(r"https?://[^/\s]+(/password-reset/\S+/)", mail.outbox[0].body).group(1)
    form_url = client.get(path, follow=True).redirect_chain[-1][0]
    response = client.post(
        form_url, {"new_password1": "a-brand-new-password", "new_password2": "a-brand-new-password"}
    )
    assert response.status_code == 302
    client.logout()
    response = client.post(
        "/login/", {"username": "alice@example.org", "password": "a-brand-new-password"}
    )
    assert response.status_code == 302


def test_team_creation_makes_creator_admin(alice, client_for) -> None:
    client = client_for(alice)
    response = client.post("/teams/new/", {"name": "Gamma", "description": "Third"})
    team = Team.objects.get(name="Gamma")
    assert response.url == f"/teams/{team.slug}/"
    assert Membership.objects.get(team=team).user == alice
    response = client.post("/teams/new/", {"name": "gamma"})
    assert "already exists" in response.content.decode()
    client.post("/teams/new/", {"name": "New"})
    assert Team.objects.get(name="New").slug != "new"


def test_roles_change_but_the_last_admin_stays(alice, bob, alpha, client_for) -> None:
    client = client_for(alice)
    bob_m = Membership.objects.get(user=bob)
    client.post(f"/teams/alpha/members/{bob_m.pk}/", {"role": "facilitator"})
    assert Membership.objects.get(user=bob).role == "facilitator"
    alice_m = Membership.objects.get(user=alice)
    client.post(f"/teams/alpha/members/{alice_m.pk}/", {"role": "member"})
    assert Membership.objects.get(user=alice).role == "admin"


def test_home_shows_only_what_exists(alice, client_for) -> None:
    html = client_for(alice).get("/").content.decode()
    assert "Alpha" in html
