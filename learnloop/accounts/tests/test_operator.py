"""/admin/ is the operator's only: organisation admins (made by /setup/, createadmin, seed-demo
or an invitation) are not Django superusers or staff, and cannot reach another organisation's
people through /admin/ or the product (decision 0017)."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.core.management import call_command
from django.test import Client

from learnloop.accounts.models import Membership, User
from learnloop.accounts.services import invitation_create
from learnloop.testing.builders import PASSWORD, make_user

pytestmark = pytest.mark.django_db


def set_up_first_organisation(client: Client) -> User:
    """The real first-run path: the /setup/ page makes the organisation and its admin."""
    form = {
        "organisation_name": "Acme",
        "display_name": "Ada",
        "email": "ada@example.org",
        "password": PASSWORD,
    }
    assert client.post("/setup/", form).status_code == 302
    return User.objects.get(email="ada@example.org")


def refused(response) -> bool:
    return response.status_code in {302, 403, 404} and b"Site administration" not in (
        response.content
    )


def test_an_organisation_admin_is_refused_at_admin(client) -> None:
    ada = set_up_first_organisation(client)
    assert ada.is_org_admin and not ada.is_superuser and not ada.is_staff
    for path in ["/admin/", "/admin/accounts/user/", "/admin/accounts/organisation/"]:
        assert refused(client.get(path)), path
    assert "Operator admin" not in client.get("/").content.decode()


def test_a_stray_staff_flag_does_not_open_admin_to_an_organisation_member(org) -> None:
    member = make_user("staff@example.org", org, is_org_admin=True, is_staff=True)
    client = Client()
    client.force_login(member)
    assert refused(client.get("/admin/accounts/user/"))


def test_the_operator_made_by_createoperator_sees_admin(monkeypatch, alice) -> None:
    monkeypatch.setenv("LEARNLOOP_OPERATOR_PASSWORD", "operator-password-long")
    call_command("createoperator", "--email", "ops@example.org")
    operator = User.objects.get(email="ops@example.org")
    assert operator.is_operator and operator.organisation is None
    client = Client()
    login = {"username": "ops@example.org", "password": "operator-password-long"}
    assert client.post("/admin/login/?next=/admin/", login).status_code == 302
    assert client.get("/admin/").status_code == 200
    users = client.get("/admin/accounts/user/")
    assert users.status_code == 200 and alice.email in users.content.decode()
    assert "Operator admin" in client.get("/teams/").content.decode()


def test_two_organisations_one_admin_cannot_touch_the_others_people(client, request) -> None:
    set_up_first_organisation(client)  # Ada, admin of Acme
    mallory = request.getfixturevalue("mallory")  # then another organisation and its admin
    target = f"/admin/accounts/user/{mallory.pk}/change/"
    assert refused(client.get(target))
    client.post(target, {"email": mallory.email, "is_active": ""})
    mallory.refresh_from_db()
    assert mallory.is_active and mallory.is_org_admin
    # …and in the product: Mallory's team, memberships and API answer 404.
    membership = Membership.objects.get(user=mallory)
    assert client.get("/teams/omega/").status_code == 404
    remove = client.post(f"/teams/omega/members/{membership.pk}/", {"action": "remove"})
    assert remove.status_code == 404 and Membership.objects.filter(pk=membership.pk).exists()
    assert client.get("/api/teams/omega/members").status_code == 404


def test_createadmin_and_seed_demo_make_no_superuser(monkeypatch) -> None:
    monkeypatch.setenv("LEARNLOOP_ADMIN_PASSWORD", "admin-password-long")
    call_command("createadmin", "--email", "first@example.org", "--organisation", "Acme")
    call_command("createadmin", "--email", "second@example.org")
    call_command("seed_demo", "--password", "demo-password-long")
    admins = User.objects.filter(is_org_admin=True)
    assert admins.count() == 3
    assert not User.objects.filter(is_superuser=True).exists()
    assert not User.objects.filter(is_staff=True).exists()


def test_the_migration_keeps_only_the_operator(org) -> None:
    org_admin = make_user("admin@example.org", org, is_org_admin=True, is_superuser=True)
    User.objects.filter(pk=org_admin.pk).update(is_staff=True)
    staff_member = make_user("staff@example.org", org, is_staff=True)
    operator = make_user("ops@example.org", None, is_superuser=True, is_staff=True)
    migration = importlib.import_module(
        "learnloop.accounts.migrations.0002_organisation_admins_are_not_operators"
    )
    migration.strip_operator_flags(apps, None)
    for user in (org_admin, staff_member, operator):
        user.refresh_from_db()
    assert not org_admin.is_superuser and not org_admin.is_staff and org_admin.is_org_admin
    assert not staff_member.is_staff
    assert operator.is_superuser and operator.is_staff and operator.is_operator


def test_an_operator_cannot_join_an_organisation_by_invitation(alice, alpha) -> None:
    operator = make_user("ops@example.org", None, is_superuser=True, is_staff=True)
    _, token = invitation_create(actor=alice, team=alpha, email="ops@example.org")
    client = Client()
    client.force_login(operator)
    client.post(f"/invite/{token}/")
    operator.refresh_from_db()
    assert operator.organisation is None and not operator.memberships.exists()


def test_setup_stays_open_when_only_an_operator_exists(client) -> None:
    make_user("ops@example.org", None, is_superuser=True, is_staff=True)
    assert client.get("/setup/").status_code == 200


def test_an_organisation_admin_deactivates_a_person_in_the_product(org, bob, mallory) -> None:
    """What needed /admin/ before: taking away someone's access (e.g. they left)."""
    admin = make_user("admin@example.org", org, is_org_admin=True)
    bobs_session, admins = Client(), Client()
    bobs_session.force_login(bob)
    admins.force_login(admin)
    page = admins.get("/people/").content.decode()
    assert bob.email in page and mallory.email not in page
    admins.post("/people/", {"person": bob.pk, "action": "deactivate"})
    bob.refresh_from_db()
    assert not bob.is_active
    assert bobs_session.get("/teams/").status_code == 302  # signed out at once
    assert (
        Client().post("/login/", {"username": bob.email, "password": PASSWORD}).status_code == 200
    )
    # Another organisation's person, garbage, or a non-admin: 404, nothing changes.
    assert (
        admins.post("/people/", {"person": mallory.pk, "action": "deactivate"}).status_code == 404
    )
    assert admins.post("/people/", {"person": "x", "action": "deactivate"}).status_code == 404
    mallory.refresh_from_db()
    assert mallory.is_active
    admins.post("/people/", {"person": bob.pk, "action": "reactivate"})
    bob.refresh_from_db()
    assert bob.is_active
    member = Client()
    member.force_login(bob)
    assert member.get("/people/").status_code == 404
