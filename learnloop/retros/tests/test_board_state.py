"""The board read for the live poll and the API (decision 0088): a fixed number of queries in
every phase whatever the board's size and the organisation's other rows; the same content as
before it was read from narrow rows (names, actions, lessons, the owner menu); and the shared
board kept in process memory after collect, never during it, never with anyone's own parts,
and never past a write."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from learnloop.accounts.models import Role, User
from learnloop.actions.models import Action
from learnloop.retros import board, cards
from learnloop.retros.models import Phase, Retro, Topic
from learnloop.testing.builders import make_card, make_lesson, make_retro, make_user

pytestmark = pytest.mark.django_db

#: Queries of a full (not 304) answer, the session and the user included. Collect: the retro
#: with the membership joined, the cards, the viewer's votes. Later phases add the
#: organisation's data version and, unless the shared board is kept for this state, the
#: cards with names, topics, actions and lessons, and in discussion the team's people.
QUERIES = {Phase.COLLECT: 5, Phase.VOTE: 9, Phase.DISCUSS: 10}
#: The same once another participant's request has kept the shared board.
KEPT = {Phase.COLLECT: 5, Phase.VOTE: 5, Phase.DISCUSS: 5}


def _queries(client: Client, path: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def _fill(retro: Retro, people: list[User], cards_each: int) -> None:
    for n in range(cards_each):
        for person in people:
            make_card(retro, text=f"Card {n} of {person.name}", author=person)
        make_card(retro, text=f"Anonymous {n}", is_anonymous=True, secret_hash="0" * 64)


def _to(retro: Retro, phase: str) -> None:
    Retro.objects.filter(pk=retro.pk).update(phase=phase)
    retro.refresh_from_db()


@pytest.mark.parametrize("phase", list(QUERIES))
def test_the_live_state_and_api_board_run_fixed_queries_whatever_the_size(
    client_for, alice, bob, alpha, phase
) -> None:
    small = make_retro(alpha, facilitator=alice, participants=[bob], anonymity="allowed")
    big = make_retro(alpha, facilitator=alice, participants=[bob], anonymity="allowed")
    _fill(small, [alice], 1)
    _fill(big, [alice, bob], 12)
    # The rest of the organisation: lessons and retros that are not these boards' own.
    other = make_retro(alpha, facilitator=alice, title="Another retro")
    for n in range(15):
        make_lesson(alpha, statement=f"Lesson {n} of the library", actor=alice)
    for retro in (small, big, other):
        _to(retro, phase)
    if phase != Phase.COLLECT:
        board.topics_for_loose_cards(big)
        board.topics_for_loose_cards(small)
        topic = Topic.objects.filter(retro=big).first()
        _to(big, Phase.DISCUSS)
        for n in range(3):
            board.topic_action(actor=alice, retro=big, topic=topic, title=f"Action {n}", owner=bob)
            board.topic_lesson(actor=alice, retro=big, topic=topic, statement=f"Learned {n}")
        _to(big, phase)
    alice_client, bob_client = client_for(alice), client_for(bob)
    for retro in (small, big):
        alice_client.get(f"/retros/{retro.pk}/state/")  # counts the set-up's writes
        caches["local"].clear()
        first = _queries(alice_client, f"/retros/{retro.pk}/state/")
        kept = _queries(bob_client, f"/api/retros/{retro.pk}/board")
        assert (first, kept) == (QUERIES[phase], KEPT[phase])


def test_the_discussion_board_shows_names_actions_lessons_and_the_owner_menu(
    client_for, alice, bob, alpha
) -> None:
    carol = make_user("carol@example.org", alpha.organisation, team=alpha, role=Role.MEMBER)
    retro = make_retro(alpha, facilitator=alice, participants=[bob], anonymity="allowed")
    make_card(retro, text="Deploys wait for review", author=bob)
    make_card(retro, text="Nobody owns the pager", is_anonymous=True, secret_hash="0" * 64)
    _to(retro, Phase.VOTE)
    board.topics_for_loose_cards(retro)
    _to(retro, Phase.DISCUSS)
    topic = Topic.objects.filter(retro=retro).order_by("id").first()
    assert topic is not None
    board.topic_action(
        actor=alice,
        retro=retro,
        topic=topic,
        title="Review rota",
        owner=carol,
        due_date="2030-02-01",
    )
    first = board.topic_lesson(
        actor=alice, retro=retro, topic=topic, statement="Queues need owners"
    )
    second = board.topic_lesson(actor=alice, retro=retro, topic=None, statement="Pagers need names")
    make_lesson(alpha, statement="A lesson of another source", actor=alice)

    state = client_for(bob).get(f"/retros/{retro.pk}/state/").content.decode()
    assert "Deploys wait for review <small>— Bob</small>" in state
    assert "Nobody owns the pager <small>— anonymous</small>" in state
    assert (
        f'href="/actions/{topic.topic_actions.get().action_id}/">Review rota</a> · Carol' in state
    )
    assert "due 1 Feb" in state
    # The retro's own lessons, newest first; nothing of the rest of the library.
    assert state.index(second.statement) < state.index(first.statement)
    assert "another source" not in state
    owners = state.split('id="action-owner"', 1)[1].split("</select>", 1)[0]
    assert [f">{p.name}<" in owners for p in (alice, bob, carol)] == [True, True, True]

    api = client_for(bob).get(f"/api/retros/{retro.pk}/board").json()
    by_text = {c["text"]: c for c in api["cards"]}
    assert by_text["Deploys wait for review"]["author_name"] == "Bob"
    assert by_text["Deploys wait for review"]["mine"] is True
    assert by_text["Nobody owns the pager"]["author_name"] is None
    assert by_text["Nobody owns the pager"]["mine"] is False
    assert api["card_count"] == 2


def test_during_collect_each_sees_only_their_own_cards_with_the_full_count(
    client_for, alice, bob, retro
) -> None:
    make_card(retro, text="Alice's own card", author=alice)
    anon, secret = cards.card_write(
        actor=bob, retro=retro, column="stop", text="Bob's quiet card", anonymous=True
    )
    make_card(retro, text="Bob's named card", author=bob)
    alice_board = client_for(alice).get(f"/api/retros/{retro.pk}/board").json()
    assert [c["text"] for c in alice_board["cards"]] == ["Alice's own card"]
    assert alice_board["cards"][0]["author_name"] == alice.name
    assert alice_board["card_count"] == 3
    bob_board = (
        client_for(bob)
        .get(f"/api/retros/{retro.pk}/board", HTTP_X_RETRO_SECRETS=f"{anon.pk}~{secret}")
        .json()
    )
    assert {c["text"]: c["mine"] for c in bob_board["cards"]} == {
        "Bob's quiet card": True,
        "Bob's named card": True,
    }
    assert next(c for c in bob_board["cards"] if c["anonymous"])["author_name"] is None
    state = client_for(alice).get(f"/retros/{retro.pk}/state/").content.decode()
    assert "Alice&#x27;s own card" in state and "Bob" not in state


def _kept_boards() -> list[str]:
    local: Any = caches["local"]
    return [key for key in local._cache if "retro-board:" in key]


def test_the_shared_board_is_kept_after_collect_only_and_never_past_a_write(
    client_for, alice, bob, retro
) -> None:
    card = make_card(retro, text="Releases wait for sign-off", author=bob)
    make_card(retro, text="Pager is too loud", is_anonymous=True, secret_hash="0" * 64)
    alice_client, bob_client = client_for(alice), client_for(bob)
    for client in (alice_client, bob_client):
        assert client.get(f"/retros/{retro.pk}/state/").status_code == 200
        assert client.get(f"/api/retros/{retro.pk}/board").status_code == 200
    assert _kept_boards() == []  # collect: nothing kept, not even the card count

    _to(retro, Phase.VOTE)
    board.topics_for_loose_cards(retro)
    Retro.objects.filter(pk=retro.pk).update(state_version=retro.state_version + 1)
    topic = Topic.objects.get(cards=card)
    board.vote_cast(actor=bob, retro=retro, topic=topic)
    bob_board = bob_client.get(f"/api/retros/{retro.pk}/board").json()
    alice_state = alice_client.get(f"/retros/{retro.pk}/state/").content.decode()
    alice_board = alice_client.get(f"/api/retros/{retro.pk}/board").json()
    assert len(_kept_boards()) == 1  # one read of the board for both of them
    kept: Any = caches["local"].get(_kept_boards()[0].split(":", 2)[2])
    anonymous = next(c for c in kept.cards if c.is_anonymous)
    assert anonymous.author_id is None and anonymous.author_name == ""
    assert kept.topics and all(t.vote_count == 0 for t in kept.topics)  # totals hidden
    # Their own parts are their own: bob's vote is not alice's; only she facilitates.
    assert {t["id"]: t["my_votes"] for t in bob_board["topics"]}[topic.pk] == 1
    assert {t["id"]: t["my_votes"] for t in alice_board["topics"]}[topic.pk] == 0
    assert alice_board["my_votes_left"] == 3 and bob_board["my_votes_left"] == 2
    assert 'data-votes-left="3"' in alice_state and "Move to discuss" in alice_state
    bob_state = bob_client.get(f"/retros/{retro.pk}/state/").content.decode()
    assert 'data-votes-left="2"' in bob_state and "Move to discuss" not in bob_state

    # A write elsewhere that does not move the retro's state version (an action renamed in
    # the actions app) shows on the next full answer: the key holds the data version.
    _to(retro, Phase.DISCUSS)
    board.topic_action(actor=alice, retro=retro, topic=topic, title="Sign-off rota", owner=bob)
    assert "Sign-off rota" in alice_client.get(f"/retros/{retro.pk}/state/").content.decode()
    Action.objects.filter(title="Sign-off rota").update(title="Sign-off by the on-call")
    state = alice_client.get(f"/retros/{retro.pk}/state/").content.decode()
    assert "Sign-off by the on-call" in state and "Sign-off rota" not in state
