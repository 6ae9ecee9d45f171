"""Anonymous cards are unlinkable (decisions/0010, 0161), proved as the anonymous report is
(incidents/tests/test_anonymous.py): a signed-in person writes an anonymous card through the
real view, with a session, an IP address and a user agent; then every database row the
request created or changed, every file the cache and the data dir gained, the log records and
the access-log decision are searched for anything that links the card to them."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.utils import timezone

from learnloop.core.accesslog import is_logged
from learnloop.incidents.tests.test_anonymous import (
    IP,
    dump_database,
    file_cache,  # noqa: F401 - fixture
    files_under,
    user_foreign_key_columns,
)
from learnloop.retros.models import Card, Phase, Retro
from learnloop.testing.builders import PASSWORD, make_card, make_retro

pytestmark = [pytest.mark.django_db(transaction=False), pytest.mark.usefixtures("page_cache_on")]


def _signed_in(user) -> Client:
    client = Client(REMOTE_ADDR=IP)
    assert client.post("/login/", {"username": user.email, "password": PASSWORD}).status_code == 302
    return client


def test_an_anonymous_card_leaves_nothing_that_links_it_to_its_writer(
    alice,
    bob,
    alpha,
    caplog,
    file_cache,  # noqa: F811
) -> None:
    retro = make_retro(alpha, facilitator=alice, participants=[bob], anonymity="allowed")
    make_card(retro, text="A named card before", author=alice)
    client = _signed_in(bob)
    client.get(f"/retros/{retro.pk}/", HTTP_USER_AGENT="Mozilla/5.0 bob-laptop")
    session_key = client.session.session_key
    assert session_key
    data_dir = settings.DATA_DIR
    cache_before = files_under(file_cache) if file_cache.exists() else {}
    dir_before = files_under(data_dir)
    before = dump_database()
    now = timezone.now()
    with caplog.at_level(logging.DEBUG):
        response = client.post(
            f"/retros/{retro.pk}/cards/",
            {"column": "stop", "text": "The on-call handover is rushed", "anonymous": "on"},
            HTTP_USER_AGENT="Mozilla/5.0 bob-laptop",
        )
        page = client.get(f"/retros/{retro.pk}/state/", HTTP_USER_AGENT="Mozilla/5.0 bob-laptop")
    after = dump_database()
    assert response.status_code == 302
    assert not is_logged(response.wsgi_request.META), "the card write must not be access-logged"
    assert not is_logged(page.wsgi_request.META)

    card = Card.objects.get(is_anonymous=True)
    assert card.author_id is None and card.pk < 0 and len(card.secret_hash) == 64
    assert "handover is rushed" in page.content.decode()  # the writer's browser still sees it

    changed = {key: row for key, row in after.items() if before.get(key) != row}
    tables = {table for table, _ in changed}
    assert "retros_card" in tables
    assert "django_session" not in tables, "the session must not be touched"
    retro_rows = [row for (table, _), row in changed.items() if table == "retros_retro"]
    for row in retro_rows:  # only the live counter moves; no time of the card
        old = before[("retros_retro", str(retro.pk))]
        assert [c for (c, v), (_, w) in zip(row, old, strict=True) if v != w] == ["state_version"]

    hhmm = {f"{now:%H:%M}", f"{timezone.localtime(now):%H:%M}"}
    forbidden = {
        "email": bob.email,
        "name": bob.name,
        "session key": session_key,
        "IP address": IP,
        "user agent": "bob-laptop",
        **{f"time {t}": t for t in hhmm},
    }
    user_fks = user_foreign_key_columns()
    for key, record in changed.items():
        table = key[0]
        if table.startswith("core_ratelimit"):
            continue  # the hourly counter: unlinkable by design, checked in incidents' test
        previous = dict(before.get(key, ()))
        for column, value in record:
            if column in previous and previous[column] == value:
                continue  # there before the card was written: says nothing about it
            for what, needle in forbidden.items():
                assert needle not in str(value), f"{what} found in {table}.{column}"
            if (table, column) in user_fks:
                assert value != bob.pk, f"the writer's id is in {table}.{column}"

    cache_after = files_under(file_cache) if file_cache.exists() else {}
    assert [n for n, e in cache_after.items() if cache_before.get(n) != e] == []
    dir_after = files_under(data_dir)
    # The test database's own file and journal sit in the data dir under SQLite (and, under
    # xdist, a checkpoint can rewrite any page, a named user's row included): its rows are
    # checked above, row by row, so only the other files are searched here.
    database_file = Path(str(connection.settings_dict["NAME"])).name
    written = [
        n
        for n, e in dir_after.items()
        if dir_before.get(n) != e and not n.startswith(database_file)
    ]
    for name in written:
        blob = dir_after[name][1]
        for needle in (bob.email, session_key, "bob-laptop", "handover is rushed", str(card.pk)):
            assert needle.encode() not in blob, f"{needle} in data-dir file {name}"

    log_text = "\n".join(
        f"{r.name} {r.getMessage()} {r.args!r} {getattr(r, 'request', '')!r}"
        for r in caplog.records
    )
    for what, needle in {**forbidden, "user id": f"user {bob.pk}", "card": str(card.pk)}.items():
        if what.startswith("time"):
            continue
        assert needle not in log_text, f"{what} found in the logs"


def test_revealed_anonymous_cards_carry_no_author_in_page_api_or_live_state(
    client_for, alice, bob, alpha
) -> None:
    retro = make_retro(alpha, facilitator=alice, participants=[bob], anonymity="all")
    for n in range(5):
        make_card(retro, text=f"Anonymous card {n}", is_anonymous=True, secret_hash="0" * 64)
    Retro.objects.filter(pk=retro.pk).update(phase=Phase.REVEAL)
    client = client_for(alice)
    page = client.get(f"/retros/{retro.pk}/").content.decode()
    state = client.get(f"/retros/{retro.pk}/state/").content.decode()
    board_html = page.split('id="board"', 1)[1]
    for body in (board_html, state):
        assert "Anonymous card 0" in body and bob.name not in body
    board = client.get(f"/api/retros/{retro.pk}/board").json()
    assert all(c["author_id"] is None and c["author_name"] is None for c in board["cards"])
    assert "secret_hash" not in str(board) and "0" * 64 not in str(board)
    # Order says nothing about when: cards are listed by a random key, not by id or time.
    keys = list(Card.objects.filter(retro=retro).values_list("order_key", flat=True))
    assert len(set(keys)) == 5
