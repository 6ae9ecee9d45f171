"""Signing in keeps everyone's kept pages (decisions 0244, 0254): a sign-in writes
``last_login`` and, when Django upgrades the password hash, ``password``; no page shows either,
so those writes move no data version, while every other write still does (read-your-writes).
A real password change still signs the person's other sessions out: no kept page reaches them."""

from __future__ import annotations

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.contrib.auth.tokens import default_token_generator
from django.db import connection
from django.test import Client
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from learnloop.accounts.models import User
from learnloop.testing.builders import PASSWORD
from learnloop.web import data_version

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache_on")]

LIBRARY = "/lessons/"


def viewer(user: User) -> Client:
    client = Client()
    client.force_login(user)
    client.cookies["csrftoken"] = "b" * 32
    return client


def versions(*users: User) -> list[int]:
    return [data_version.data_version(user.organisation_id or 0) for user in users]


class TwoIterations(PBKDF2PasswordHasher):
    """This install's hasher: PBKDF2 with more iterations than the stored hash has (a Django
    upgrade raises them every release), at a test's cost."""

    iterations = 2


@pytest.mark.parametrize("outdated_hash", [False, True], ids=["hash-current", "hash-upgraded"])
def test_signing_in_keeps_the_team_s_and_other_organisations_kept_pages(
    alice, bob, mallory, settings, outdated_hash
):
    if outdated_hash:  # Django re-hashes it on the way in (decision 0254)
        old = PBKDF2PasswordHasher()
        old.iterations = 1
        alice.password = old.encode(PASSWORD, old.salt())
        alice.save(update_fields=["password"])
        settings.PASSWORD_HASHERS = [f"{__name__}.TwoIterations"]
    as_bob, as_mallory = viewer(bob), viewer(mallory)
    assert as_bob.get(LIBRARY).context is not None  # rendered, then kept
    assert as_mallory.get(LIBRARY).context is not None
    before = versions(bob, mallory)

    signing_in = Client()
    response = signing_in.post("/login/", {"username": alice.email, "password": PASSWORD})
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.last_login is not None  # the sign-in did write last_login
    assert alice.password.startswith("pbkdf2_sha256$2$") is outdated_hash  # and the hash

    assert versions(bob, mallory) == before
    assert as_bob.get(LIBRARY).context is None  # served kept: the view did not run
    assert as_mallory.get(LIBRARY).context is None
    assert signing_in.get(LIBRARY).status_code == 200  # and alice is signed in


def test_a_password_reset_signs_the_other_sessions_out_kept_pages_and_all(alice, bob):
    as_bob = viewer(bob)
    assert as_bob.get(LIBRARY).context is not None  # kept for bob's session

    resetting = Client()
    link = f"/password-reset/{urlsafe_base64_encode(force_bytes(bob.pk))}/"
    form = resetting.get(link + default_token_generator.make_token(bob) + "/", follow=True)
    new = "a new long password 7"
    done = resetting.post(form.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    assert done.status_code == 302
    bob.refresh_from_db()
    assert bob.check_password(new)

    response = as_bob.get(LIBRARY)
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_a_password_written_alone_is_quiet_and_still_signs_the_other_sessions_out(alice, bob):
    """The quiet write (what an upgrade on sign-in writes) with a new password: no version
    moves, and yet bob's old session gets no kept page: Django's session hash signs it out
    before the page cache looks for one."""
    as_alice, as_bob = viewer(alice), viewer(bob)
    assert as_alice.get(LIBRARY).context is not None
    assert as_bob.get(LIBRARY).context is not None
    before = versions(alice)

    bob.set_password("another long password 8")
    bob.save(update_fields=["password"])

    assert versions(alice) == before
    assert as_alice.get(LIBRARY).context is None  # the teammate's kept page stays
    response = as_bob.get(LIBRARY)
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_a_sign_in_outside_a_request_moves_no_version(alice, bob, mallory):
    """``force_login`` signs in outside any request: its write of last_login belonged to scope
    0, "any organisation", and dropped every organisation's kept pages."""
    before = versions(bob, mallory)
    Client().force_login(alice)
    assert versions(bob, mallory) == before


def test_a_write_of_last_login_with_anything_else_still_moves_the_version(alice, bob, mallory):
    before = versions(bob, mallory)
    with connection.cursor() as cursor:
        cursor.execute(
            'UPDATE "accounts_user" SET "last_login" = %s, "display_name" = %s WHERE "id" = %s',
            ["2026-12-06 01:00:00", "Alicia", alice.pk],
        )
    after = versions(bob, mallory)
    assert after[0] > before[0] and after[1] > before[1]  # outside a request: every organisation


@pytest.mark.parametrize(
    ("sql", "quiet"),
    [
        ('UPDATE "accounts_user" SET "last_login" = %s WHERE "accounts_user"."id" = %s', True),
        ("UPDATE `accounts_user` SET `last_login` = %s WHERE `accounts_user`.`id` = %s", True),
        ('UPDATE "accounts_user" SET "last_login" = %s', True),
        ('UPDATE "accounts_user" SET "password" = %s WHERE "accounts_user"."id" = %s', True),
        ('UPDATE "accounts_user" SET "password" = %s, "last_login" = %s WHERE "id" = %s', True),
        ('UPDATE "accounts_user" SET "password" = %s, "email" = %s WHERE "id" = %s', False),
        ('UPDATE "accounts_user" SET "password" = %s, "is_active" = %s WHERE "id" = %s', False),
        ('UPDATE "accounts_user" SET "last_login" = %s, "email" = %s WHERE "id" = %s', False),
        ('UPDATE "accounts_user" SET "display_name" = %s WHERE "id" = %s', False),
        ('UPDATE "accounts_user" SET "last_login" = NULL, "is_active" = %s', False),
        ('UPDATE "lessons_lesson" SET "last_login" = %s WHERE "id" = %s', False),
        ('INSERT INTO "accounts_user" ("last_login") VALUES (%s)', False),
        ('DELETE FROM "accounts_user" WHERE "last_login" = %s', False),
    ],
)
def test_only_a_write_of_nothing_but_last_login_and_password_is_quiet(sql, quiet):
    assert (data_version.written_table(sql) is None) is quiet
