"""Writes for the board after reveal: topics (groups of cards), votes, discussion notes, and
what comes out of a topic (an action in the actions app, a lesson in the library).

Grouping is a choice from a menu (a ``<select>`` per card), so it works by keyboard, with a
screen reader and on a phone; nothing needs drag and drop.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Count

from learnloop.accounts.models import User
from learnloop.actions.models import Action
from learnloop.actions.services import action_create
from learnloop.core.errors import ApplicationError, Conflict
from learnloop.core.validation import id_or_none
from learnloop.lessons.models import Lesson, SourceKind
from learnloop.lessons.services import lesson_create
from learnloop.retros.models import PHASE_ORDER, Card, Phase, Retro, Topic, TopicAction, Vote
from learnloop.retros.services import bump, clean_field, require_member

NEW_TOPIC = "new"


def _in_phase(retro: Retro, *phases: str, what: str) -> None:
    if retro.phase not in phases:
        names = " or ".join(Phase(p).label.lower() for p in phases)
        raise ApplicationError(
            f"{what} happens during {names}.",
            code="wrong_phase",
            fields={"phase": [f"The retro is in {retro.get_phase_display().lower()}."]},
            status=409,
        )


def topics_for_loose_cards(retro: Retro) -> None:
    """Every card without a topic gets one of its own (entering the vote)."""
    for card in Card.objects.filter(retro=retro, topic__isnull=True):
        topic = Topic.objects.create(retro=retro)
        Card.objects.filter(pk=card.pk).update(topic=topic)


def card_group(*, actor: User, retro: Retro, card: Card, target: str | int | None) -> Card:
    """Put a card into a topic of the same retro, into a new topic, or (``None``/"") on its
    own again. Anyone in the retro groups, during reveal and group."""
    require_member(actor, retro.team_id)
    current = Retro.objects.get(pk=retro.pk)
    _in_phase(current, Phase.REVEAL, Phase.GROUP, what="Grouping")
    if card.retro_id != retro.pk:
        raise ApplicationError(
            "That card is not in this retro.", fields={"card": ["Not in this retro."]}
        )
    with transaction.atomic():
        old_topic_id = card.topic_id
        if target in (None, ""):
            topic = None
        elif target == NEW_TOPIC:
            topic = Topic.objects.create(retro=retro)
        else:
            topic = Topic.objects.filter(retro=retro, pk=id_or_none(target) or 0).first()
            if topic is None:
                raise ApplicationError(
                    "Choose a group of this retro.", fields={"topic": ["Not in this retro."]}
                )
        Card.objects.filter(pk=card.pk).update(topic=topic)
        card.topic = topic
        if old_topic_id and not Card.objects.filter(topic_id=old_topic_id).exists():
            Topic.objects.filter(pk=old_topic_id, title="").delete()
        bump(retro)
    return card


def topic_rename(*, actor: User, retro: Retro, topic: Topic, title: str) -> Topic:
    require_member(actor, retro.team_id)
    current = Retro.objects.get(pk=retro.pk)
    _in_phase(current, Phase.REVEAL, Phase.GROUP, Phase.VOTE, Phase.DISCUSS, what="Naming groups")
    cleaned, msgs = clean_field(title, "title", maximum=200, required=False)
    if msgs:
        raise ApplicationError("Check the name.", fields={"title": msgs})
    with transaction.atomic():
        Topic.objects.filter(pk=topic.pk).update(title=cleaned)
        bump(retro)
    topic.title = cleaned
    return topic


def vote_cast(*, actor: User, retro: Retro, topic: Topic) -> Vote:
    """One vote within both limits: per person in this retro and per person on one topic.
    The retro row is locked, so two quick clicks cannot both pass the last free vote."""
    require_member(actor, retro.team_id)
    if topic.retro_id != retro.pk:
        raise ApplicationError("That topic is not in this retro.", fields={"topic": ["Unknown."]})
    with transaction.atomic():
        current = Retro.objects.select_for_update().get(pk=retro.pk)
        _in_phase(current, Phase.VOTE, what="Voting")
        mine = Vote.objects.filter(retro=current, voter=actor)
        if mine.count() >= current.votes_per_person:
            raise Conflict(
                f"You have used your {current.votes_per_person} votes.",
                fields={"topic": ["Take a vote back to move it."]},
            )
        if mine.filter(topic=topic).count() >= current.votes_per_topic:
            raise Conflict(
                f"At most {current.votes_per_topic} of your votes on one topic.",
                fields={"topic": ["Limit per topic reached."]},
            )
        vote = Vote.objects.create(retro=current, topic=topic, voter=actor)
        bump(current)
    return vote


def vote_retract(*, actor: User, retro: Retro, topic: Topic) -> None:
    require_member(actor, retro.team_id)
    with transaction.atomic():
        current = Retro.objects.select_for_update().get(pk=retro.pk)
        _in_phase(current, Phase.VOTE, what="Voting")
        vote = Vote.objects.filter(retro=current, voter=actor, topic=topic).first()
        if vote is None:
            raise ApplicationError("You have no vote on that topic.", fields={"topic": ["None."]})
        vote.delete()
        bump(current)


def votes_visible(retro: Retro) -> bool:
    """Totals are shown once the vote phase has ended."""
    return retro.phase_index > PHASE_ORDER.index(Phase.VOTE)


def topics_by_votes(retro: Retro) -> list[Topic]:
    """Discussion order: most votes first, then the topics' random order."""
    return list(
        Topic.objects.filter(retro=retro)
        .annotate(vote_count=Count("votes", distinct=True))
        .order_by("-vote_count", "order_key", "id")
    )


def topic_notes(*, actor: User, retro: Retro, topic: Topic, notes: str, version: int) -> Topic:
    require_member(actor, retro.team_id)
    current = Retro.objects.get(pk=retro.pk)
    _in_phase(current, Phase.DISCUSS, Phase.ACTIONS, what="Taking notes")
    cleaned, msgs = clean_field(notes, "notes", maximum=10000, required=False)
    if msgs:
        raise ApplicationError("Check the notes.", fields={"notes": msgs})
    with transaction.atomic():
        updated = Topic.objects.filter(pk=topic.pk, notes_version=version).update(
            notes=cleaned, notes_version=version + 1
        )
        if not updated:
            raise Conflict(
                "Someone else changed these notes meanwhile.",
                fields={"notes": [Topic.objects.get(pk=topic.pk).notes or "(empty)"]},
            )
        bump(retro)
    topic.notes, topic.notes_version = cleaned, version + 1
    return topic


def topic_action(
    *,
    actor: User,
    retro: Retro,
    topic: Topic | None,
    title: str,
    owner: User | None = None,
    due_date: dt.date | str | None = None,
) -> Action:
    """An action in the actions app (owner, due date, reminders), linked to the retro."""
    require_member(actor, retro.team_id)
    current = Retro.objects.get(pk=retro.pk)
    _in_phase(current, Phase.DISCUSS, Phase.ACTIONS, what="Adding actions")
    if topic is not None and topic.retro_id != retro.pk:
        raise ApplicationError("That topic is not in this retro.", fields={"topic": ["Unknown."]})
    with transaction.atomic():
        action = action_create(
            actor=actor,
            team=retro.team,
            title=title,
            owner=owner,
            due_date=due_date,
            kind=Action.Kind.PROCESS,
            description=f"From the retro “{retro.title}”.",
        )
        TopicAction.objects.create(retro=retro, topic=topic, action=action)
        bump(retro)
    return action


def topic_lesson(
    *, actor: User, retro: Retro, topic: Topic | None, statement: str, context: str = ""
) -> Lesson:
    """A lesson in the library whose source is this retro (decisions/0050)."""
    require_member(actor, retro.team_id)
    current = Retro.objects.get(pk=retro.pk)
    _in_phase(current, Phase.DISCUSS, Phase.ACTIONS, what="Adding lessons")
    with transaction.atomic():
        lesson = lesson_create(
            actor=actor,
            team=retro.team,
            statement=statement,
            context=context or (topic.notes if topic is not None else ""),
            source_kind=SourceKind.RETRO,
            source_retro=retro,
            source_label=retro.title,
        )
        bump(retro)
    return lesson
