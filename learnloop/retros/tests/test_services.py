"""Retro services: formats, phases by the facilitator only, blind cards, grouping, vote
limits, notes, and what a topic produces (an action, a lesson with source "retro")."""

from __future__ import annotations

import pytest

from learnloop.actions.models import Action
from learnloop.core.errors import ApplicationError, PermissionDenied
from learnloop.lessons.models import Lesson
from learnloop.retros import board, board_state, cards, services
from learnloop.retros.models import Card, Phase, Retro, RetroFormat, Topic, Vote
from learnloop.testing.builders import make_card, make_retro

pytestmark = pytest.mark.django_db


def _move(retro: Retro, actor, *phases: str) -> Retro:
    for phase in phases:
        retro = services.retro_set_phase(actor=actor, retro=retro, phase=phase)
    return retro


def test_the_four_shipped_formats_are_data(alice, alpha) -> None:
    shipped = {f.slug: f for f in RetroFormat.objects.filter(is_shipped=True)}
    assert set(shipped) == {"start-stop-continue", "went-well-to-improve", "4ls", "mad-sad-glad"}
    assert [c["title"] for c in shipped["4ls"].columns] == [
        "Liked",
        "Learned",
        "Lacked",
        "Longed for",
    ]


def test_a_team_copies_and_edits_a_format_and_a_stale_edit_is_refused(alice, alpha) -> None:
    source = RetroFormat.objects.get(slug="mad-sad-glad")
    copy = services.format_copy(actor=alice, team=alpha, source=source)
    assert copy.team == alpha and copy.columns == source.columns and copy.copied_from == source
    edited = services.format_update(
        actor=alice,
        fmt=copy,
        version=copy.version,
        columns=[{"title": "Energy", "prompt": "What gave you energy?"}, {"title": "Drain"}],
    )
    assert [c["key"] for c in edited.columns] == ["energy", "drain"]
    with pytest.raises(ApplicationError) as stale:
        services.format_update(actor=alice, fmt=copy, version=copy.version, name="Old")
    assert stale.value.status == 409
    with pytest.raises(PermissionDenied):
        services.format_update(actor=alice, fmt=source, version=1, name="Mine")
    with pytest.raises(ApplicationError) as empty:
        services.format_update(actor=alice, fmt=edited, version=edited.version, columns=[])
    assert "columns" in empty.value.fields
    # Editing the format later never changes a retro made from it.
    retro = services.retro_create(actor=alice, team=alpha, title="R", fmt=edited)
    services.format_update(
        actor=alice, fmt=edited, version=edited.version, columns=[{"title": "Other"}]
    )
    retro.refresh_from_db()
    assert [c["key"] for c in retro.columns] == ["energy", "drain"]


def test_creating_a_retro_checks_people_limits_and_the_format(alice, bob, charlie, alpha, beta):
    fmt = RetroFormat.objects.get(slug="4ls")
    with pytest.raises(ApplicationError) as bad:
        services.retro_create(
            actor=alice,
            team=alpha,
            title="",
            fmt=fmt,
            participants=[charlie],
            votes_per_person=0,
            anonymity="secret",
        )
    assert set(bad.value.fields) == {"title", "participants", "votes_per_person", "anonymity"}
    assert not Retro.objects.exists()
    other = services.format_copy(actor=charlie, team=beta, source=fmt)
    with pytest.raises(ApplicationError) as foreign:
        services.retro_create(actor=alice, team=alpha, title="R", fmt=other)
    assert "format" in foreign.value.fields
    with pytest.raises(PermissionDenied):
        services.retro_create(actor=charlie, team=alpha, title="R", fmt=fmt)
    retro = services.retro_create(actor=alice, team=alpha, title="R", fmt=fmt, participants=[bob])
    assert retro.facilitator == alice and retro.phase == Phase.COLLECT
    assert set(retro.participants.all()) == {alice, bob}


def test_only_the_facilitator_moves_the_phases(retro, alice, bob) -> None:
    with pytest.raises(PermissionDenied):
        services.retro_set_phase(actor=bob, retro=retro, phase=Phase.REVEAL)
    with pytest.raises(ApplicationError) as unknown:
        services.retro_set_phase(actor=alice, retro=retro, phase="party")
    assert "phase" in unknown.value.fields
    before = Retro.objects.get(pk=retro.pk).state_version
    retro = _move(retro, alice, Phase.REVEAL)
    assert retro.phase == Phase.REVEAL
    assert Retro.objects.get(pk=retro.pk).state_version == before + 1
    retro = _move(retro, alice, Phase.CLOSED)
    with pytest.raises(ApplicationError):
        services.retro_set_phase(actor=alice, retro=retro, phase=Phase.DISCUSS)


def test_cards_are_blind_until_reveal(retro, alice, bob) -> None:
    mine, _ = cards.card_write(actor=bob, retro=retro, column="start", text="Pair on deploys")
    theirs, _ = cards.card_write(actor=alice, retro=retro, column="stop", text="Friday pushes")
    anon, secret = cards.card_write(
        actor=alice, retro=retro, column="stop", text="Silent pager", anonymous=True
    )
    bob_sees = board_state.board_for(retro=retro, viewer=bob)
    assert [c.pk for _, cards in bob_sees.columns for c in cards] == [mine.pk]
    assert bob_sees.card_count == 3
    alice_sees = board_state.board_for(retro=retro, viewer=alice, secrets={anon.pk: secret or ""})
    assert {c.pk for _, cards in alice_sees.columns for c in cards} == {theirs.pk, anon.pk}
    # A wrong secret shows nothing.
    wrong = board_state.board_for(retro=retro, viewer=alice, secrets={anon.pk: "guess"})
    assert {c.pk for _, cards in wrong.columns for c in cards} == {theirs.pk}
    retro = _move(retro, alice, Phase.REVEAL)
    revealed = board_state.board_for(retro=retro, viewer=bob)
    assert {c.pk for _, cards in revealed.columns for c in cards} == {mine.pk, theirs.pk, anon.pk}


def test_cards_refuse_bad_input_and_the_wrong_phase(retro, alice, bob) -> None:
    with pytest.raises(ApplicationError) as bad:
        cards.card_write(actor=bob, retro=retro, column="nope", text="")
    assert set(bad.value.fields) == {"column", "text"}
    with pytest.raises(ApplicationError) as long:
        cards.card_write(actor=bob, retro=retro, column="start", text="x" * 1001)
    assert "text" in long.value.fields
    named = make_retro(retro.team, facilitator=alice, title="Named only")
    with pytest.raises(ApplicationError) as anon:
        cards.card_write(actor=bob, retro=named, column="start", text="x", anonymous=True)
    assert "anonymous" in anon.value.fields
    _move(retro, alice, Phase.REVEAL)
    with pytest.raises(ApplicationError) as late:
        cards.card_write(actor=bob, retro=retro, column="start", text="Too late")
    assert late.value.status == 409
    assert not Card.objects.exists()


def test_all_anonymous_retros_make_every_card_anonymous(alpha, alice, bob) -> None:
    retro = make_retro(alpha, facilitator=alice, anonymity="all")
    card, secret = cards.card_write(actor=bob, retro=retro, column="start", text="x")
    assert card.is_anonymous and card.author_id is None and card.pk < 0 and secret


def test_only_the_writer_edits_a_card_and_only_during_collect(retro, alice, bob) -> None:
    card, _ = cards.card_write(actor=bob, retro=retro, column="start", text="One")
    anon, secret = cards.card_write(
        actor=bob, retro=retro, column="start", text="Two", anonymous=True
    )
    with pytest.raises(PermissionDenied):
        cards.card_edit(actor=alice, card=card, text="Hijack", version=1)
    with pytest.raises(PermissionDenied):  # the writer without the secret is nobody special
        cards.card_edit(actor=bob, card=anon, text="Changed", version=1)
    cards.card_edit(actor=alice, card=anon, text="Whoever holds it", version=1, secret=secret)
    cards.card_edit(actor=bob, card=card, text="One, clearer", version=1)
    with pytest.raises(ApplicationError) as stale:
        cards.card_edit(actor=bob, card=Card.objects.get(pk=card.pk), text="x", version=1)
    assert stale.value.status == 409
    _move(retro, alice, Phase.REVEAL)
    retro.refresh_from_db()
    card = Card.objects.select_related("retro").get(pk=card.pk)
    with pytest.raises(ApplicationError) as closed:
        cards.card_edit(actor=bob, card=card, text="Later", version=2)
    assert closed.value.code == "wrong_phase"


def test_grouping_moves_cards_between_topics_of_the_same_retro_only(retro, alice, bob) -> None:
    a = make_card(retro, text="Slow CI", author=bob)
    b = make_card(retro, text="Flaky tests", author=alice)
    other = make_retro(retro.team, facilitator=alice, title="Other")
    stranger = make_card(other, text="Elsewhere")
    with pytest.raises(ApplicationError):  # collect: not yet
        board.card_group(actor=bob, retro=retro, card=a, target=board.NEW_TOPIC)
    retro = _move(retro, alice, Phase.REVEAL, Phase.GROUP)
    board.card_group(actor=bob, retro=retro, card=a, target=board.NEW_TOPIC)
    topic = Card.objects.get(pk=a.pk).topic
    assert topic is not None
    board.card_group(actor=alice, retro=retro, card=b, target=str(topic.pk))
    assert set(topic.cards.all()) == {a, b}
    with pytest.raises(ApplicationError) as foreign:
        board.card_group(actor=alice, retro=retro, card=stranger, target=str(topic.pk))
    assert "card" in foreign.value.fields
    foreign_topic = Topic.objects.create(retro=other)
    with pytest.raises(ApplicationError) as wrong:
        board.card_group(actor=alice, retro=retro, card=a, target=str(foreign_topic.pk))
    assert "topic" in wrong.value.fields
    # Taking the last card out of an unnamed group removes the group.
    board.card_group(actor=alice, retro=retro, card=a, target="")
    board.card_group(actor=alice, retro=retro, card=b, target="")
    assert not Topic.objects.filter(retro=retro).exists()


def test_votes_respect_both_limits_and_stay_hidden_until_the_vote_ends(alpha, alice, bob):
    retro = make_retro(alpha, facilitator=alice, votes_per_person=3, votes_per_topic=2)
    cards = [make_card(retro, text=f"Card {n}", author=bob) for n in range(3)]
    retro = _move(retro, alice, Phase.REVEAL, Phase.GROUP, Phase.VOTE)
    topics = list(Topic.objects.filter(retro=retro))
    assert len(topics) == 3  # every loose card got its own topic
    first, second, third = sorted(topics, key=lambda t: t.cards.get().text)
    board.vote_cast(actor=bob, retro=retro, topic=first)
    board.vote_cast(actor=bob, retro=retro, topic=first)
    with pytest.raises(ApplicationError) as per_topic:
        board.vote_cast(actor=bob, retro=retro, topic=first)
    assert per_topic.value.status == 409 and "one topic" in per_topic.value.message
    board.vote_cast(actor=bob, retro=retro, topic=second)
    with pytest.raises(ApplicationError) as per_person:
        board.vote_cast(actor=bob, retro=retro, topic=third)
    assert "used your 3 votes" in per_person.value.message
    assert Vote.objects.filter(voter=bob).count() == 3
    board.vote_retract(actor=bob, retro=retro, topic=second)
    board.vote_cast(actor=bob, retro=retro, topic=third)
    board.vote_cast(actor=alice, retro=retro, topic=third)
    during = board_state.board_for(retro=retro, viewer=alice)
    assert all(t.votes is None for t in during.topics)  # totals hidden while voting
    assert {t.topic.pk: t.my_votes for t in during.topics} == {
        first.pk: 0,
        second.pk: 0,
        third.pk: 1,
    }
    assert during.my_votes_left == 2
    retro = _move(retro, alice, Phase.DISCUSS)
    after = board_state.board_for(retro=retro, viewer=bob)
    assert {t.topic.pk: t.votes for t in after.topics} == {first.pk: 2, second.pk: 0, third.pk: 2}
    assert after.topics[-1].topic.pk == second.pk  # discussed in vote order
    with pytest.raises(ApplicationError):
        board.vote_cast(actor=bob, retro=retro, topic=first)  # the vote is over
    assert len(cards) == 3


def test_discussion_notes_actions_and_lessons(retro, alice, bob) -> None:
    make_card(retro, text="Nobody owns the runbook", author=bob)
    retro = _move(retro, alice, Phase.REVEAL, Phase.GROUP, Phase.VOTE, Phase.DISCUSS)
    topic = Topic.objects.get(retro=retro)
    board.topic_notes(actor=bob, retro=retro, topic=topic, notes="Owner per runbook", version=1)
    with pytest.raises(ApplicationError) as stale:
        board.topic_notes(actor=alice, retro=retro, topic=topic, notes="Other", version=1)
    assert stale.value.status == 409
    action = board.topic_action(
        actor=alice,
        retro=retro,
        topic=topic,
        title="Name runbook owners",
        owner=bob,
        due_date="2030-01-31",
    )
    assert action.owner == bob and str(action.due_date) == "2030-01-31"
    assert action.retro_link.retro == retro
    with pytest.raises(ApplicationError) as no_title:
        board.topic_action(actor=alice, retro=retro, topic=topic, title="")
    assert "title" in no_title.value.fields
    lesson = board.topic_lesson(
        actor=bob, retro=retro, topic=topic, statement="Runbooks need a named owner"
    )
    assert lesson.source_kind == "retro" and lesson.source_retro == retro
    assert lesson.context == "Owner per runbook"
    assert Action.objects.count() == 1 and Lesson.objects.count() == 1
