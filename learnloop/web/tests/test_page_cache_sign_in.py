"""Signing in keeps everyone's kept pages (decision 0244): the sign-in's only page-visible
write would be ``last_login``, and no page shows it, so that write moves no data version,
while every other write still does (read-your-writes)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client

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


def test_signing_in_keeps_the_team_s_and_other_organisations_kept_pages(alice, bob, mallory):
    as_bob, as_mallory = viewer(bob), viewer(mallory)
    assert as_bob.get(LIBRARY).context is not None  # rendered, then kept
    assert as_mallory.get(LIBRARY).context is not None
    before = versions(bob, mallory)

    signing_in = Client()
    response = signing_in.post("/login/", {"username": alice.email, "password": PASSWORD})
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.last_login is not None  # the sign-in did write last_login

    assert versions(bob, mallory) == before
    assert as_bob.get(LIBRARY).context is None  # served kept: the view did not run
    assert as_mallory.get(LIBRARY).context is None


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
        ('UPDATE "accounts_user" SET "last_login" = %s, "email" = %s WHERE "id" = %s', False),
        ('UPDATE "accounts_user" SET "display_name" = %s WHERE "id" = %s', False),
        ('UPDATE "accounts_user" SET "last_login" = NULL, "is_active" = %s', False),
        ('UPDATE "lessons_lesson" SET "last_login" = %s WHERE "id" = %s', False),
        ('INSERT INTO "accounts_user" ("last_login") VALUES (%s)', False),
        ('DELETE FROM "accounts_user" WHERE "last_login" = %s', False),
    ],
)
def test_only_a_write_of_nothing_but_last_login_is_quiet(sql, quiet):
    assert (data_version.written_table(sql) is None) is quiet
