"""``seeding.rows.insert``: the seed's fast inserts give back real ids and store what
``bulk_create`` would have stored (dates, JSON, foreign keys, anonymous random ids)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.db import transaction

from learnloop.core.models import Tag
from learnloop.devtools.seeding.common import given_timestamps, org_fields
from learnloop.devtools.seeding.rows import insert
from learnloop.incidents.models import Incident
from learnloop.retros.models import Card, Retro
from learnloop.testing.builders import make_organisation, make_team, make_user

pytestmark = pytest.mark.django_db


def test_inserted_rows_get_the_ids_the_database_holds() -> None:
    org = make_organisation()
    with transaction.atomic():
        tags = insert([Tag(organisation=org, name=f"tag {i}") for i in range(5)])
    assert all(t.pk for t in tags)
    stored = dict(Tag.objects.filter(organisation=org).values_list("pk", "name"))
    assert stored == {t.pk: t.name for t in tags}
    with transaction.atomic():  # a second batch continues after the first, never reuses ids
        more = insert([Tag(organisation=org, name="later")])
    assert more[0].pk > max(t.pk for t in tags)


def test_times_json_and_anonymous_ids_are_stored_as_bulk_create_would() -> None:
    org = make_organisation()
    team = make_team(org)
    user = make_user("rows@example.com", org, team=team)
    started = dt.datetime(2026, 3, 4, 5, 6, 7, tzinfo=dt.UTC)
    with transaction.atomic(), given_timestamps():
        named, anonymous = insert(
            [
                Incident(
                    **org_fields(Incident, org.pk),
                    team=team,
                    title="Named",
                    reporter=user,
                    started_at=started,
                    created_at=started,
                    updated_at=started,
                ),
                Incident(
                    **org_fields(Incident, org.pk),
                    pk=-12345,
                    team=team,
                    title="Anonymous",
                    is_anonymous=True,
                    created_at=started,
                    updated_at=started,
                ),
            ]
        )
    assert named.pk > 0 and anonymous.pk == -12345
    row = Incident.objects.get(pk=named.pk)
    assert (row.title, row.reporter_id, row.started_at, row.created_at) == (
        "Named",
        user.pk,
        started,
        started,
    )
    assert Incident.objects.get(pk=-12345).reporter_id is None
    with transaction.atomic():  # auto_now fields stamped outside given_timestamps()
        (retro,) = insert([Retro(team=team, title="R", columns=[{"key": "a", "title": "A"}])])
    stored = Retro.objects.get(pk=retro.pk)
    assert stored.columns == [{"key": "a", "title": "A"}]
    assert stored.created_at is not None and stored.created_at == retro.created_at


def test_plain_rows_are_converted_like_model_instances() -> None:
    from learnloop.devtools.seeding.rows import insert_values
    from learnloop.notifications.models import Notification

    org = make_organisation()
    user = make_user("plain@example.com", org, team=make_team(org))
    at = dt.datetime(2026, 1, 2, 3, 4, 5, 678000, tzinfo=dt.UTC)
    with transaction.atomic():
        sent = insert_values(
            Notification,
            ("recipient_id", "text", "url", "key", "created_at", "read_at"),
            [(user.pk, "Hello", "/x/", "", at, None), (user.pk, "Again", "/y/", "k", at, at)],
        )
    assert sent == 2
    rows = list(
        Notification.objects.filter(recipient=user)
        .order_by("text")
        .values_list("text", "created_at", "read_at", "key")
    )
    assert rows == [("Again", at, at, "k"), ("Hello", at, None, "")]


def test_seeded_anonymous_retro_cards_have_random_ids_and_no_author() -> None:
    from django.core.management import call_command

    with transaction.atomic():
        call_command("seed", scale="small", seed=3, no_progress=True, jobs=1, stdout=io.StringIO())
        cards = Card.objects.filter(retro__team__organisation__slug="seed-3")
        anonymous = list(cards.filter(is_anonymous=True).values_list("pk", "author_id"))
        named = list(cards.filter(is_anonymous=False).values_list("pk", "author_id"))
        transaction.set_rollback(True)
    assert anonymous and named
    assert all(pk < 0 and author is None for pk, author in anonymous)
    assert all(pk > 0 and author is not None for pk, author in named)
