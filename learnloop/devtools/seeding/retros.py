"""Seeded retrospectives: closed ones with cards, topics and votes, and one running per team,
so the retro pages and the live poll are measured with a realistic board.

One bulk insert per table (no ``save()`` per row): signals do not fire, so the retros' search
documents are written by :func:`~learnloop.devtools.seeding.search_index.index_organisation`
with the rest, and no dense vectors are computed for them (decision 0086).

Topics' and cards' places in their columns (``order_key``, random in the product so that order
says nothing about time) and anonymous cards' ids come from the retros' own random source, so
the same seed gives the same board; the rest of the draws are the shared source's, as before.

Some closed retros look back on something of their team, as the product's "Start a retro about
this" makes them (decision 0255): a recent incident with its published review, a deliverable or
an experiment, picked with a source of their own so that no other row
changes. Each retro is created by its facilitator, as ``retros.services.retro_create`` records.
"""

from __future__ import annotations

import random
from collections import defaultdict
from typing import Any

from learnloop.accounts.models import User
from learnloop.debriefs.models import Deliverable
from learnloop.devtools.seeding.common import SeedContext, negative_id
from learnloop.devtools.seeding.rows import insert
from learnloop.devtools.seeding.words import ACTION_VERBS
from learnloop.experiments.models import Experiment
from learnloop.retros.models import Card, Phase, Retro, RetroFormat, Topic, Vote
from learnloop.reviews.models import Review, Status

CARDS_PER_RETRO = 12
TOPICS_PER_RETRO = 4


#: A topic's or card's place in its column: ``retros.models.random_order_key``'s range.
ORDER_KEYS = 2**31

#: What the closed retros look back on, in turn: four in ten are about something of their team.
ABOUT = ("incident", "deliverable", "experiment", None, "incident", None, None, None, None, None)
#: A retro looks back on one of its team's newest objects of that kind.
RECENT = 30


def create_retros(ctx: SeedContext, count: int, seed: int) -> None:
    """``count`` retros spread over the teams (the last of each team still collecting)."""
    rng = ctx.rng
    keys = random.Random(seed * 7919 + 160)  # order keys and anonymous cards' ids
    formats = list(RetroFormat.objects.filter(is_shipped=True).order_by("slug"))
    if not formats or not ctx.teams:
        return
    retros: list[Retro] = []
    people_of: list[list[User]] = []
    for n in range(count):
        team = ctx.teams[n % len(ctx.teams)]
        people = ctx.members.get(team.pk) or ctx.users[:1]
        fmt = formats[rng.randrange(len(formats))]
        running = n >= count - len(ctx.teams)
        retros.append(
            Retro(
                team=team,
                title=f"Retro {n + 1}: {rng.choice(ACTION_VERBS).lower()} our releases",
                format=fmt,
                columns=list(fmt.columns),
                facilitator=people[0],
                created_by=people[0],
                anonymity=rng.choice(["named", "allowed", "all"]),
                phase=Phase.COLLECT if running else Phase.CLOSED,
            )
        )
        people_of.append(people)
    _link_subjects(ctx, [r for r in retros if r.phase == Phase.CLOSED], seed)
    insert(retros)
    participants = Retro.participants.through
    insert(
        [
            participants(retro_id=retro.pk, user_id=p.pk)
            for retro, people in zip(retros, people_of, strict=True)
            for p in {u.pk: u for u in people}.values()
        ],
    )
    topics = insert(
        [
            Topic(retro=retro, title=f"Topic {t + 1}", order_key=keys.randrange(ORDER_KEYS))
            for retro in retros
            if retro.phase != Phase.COLLECT
            for t in range(TOPICS_PER_RETRO)
        ],
    )
    closed = [r for r in retros if r.phase != Phase.COLLECT]
    topics_of = {
        r.pk: topics[i * TOPICS_PER_RETRO : (i + 1) * TOPICS_PER_RETRO]
        for i, r in enumerate(closed)
    }
    cards: list[Card] = []
    votes: list[Vote] = []
    for retro, people in zip(retros, people_of, strict=True):
        fmt_columns = retro.columns
        own_topics = topics_of.get(retro.pk)
        for c in range(CARDS_PER_RETRO):
            anonymous = retro.anonymity == "all" or (retro.anonymity == "allowed" and c % 3 == 0)
            card = Card(
                retro=retro,
                column=fmt_columns[c % len(fmt_columns)]["key"],
                text=f"{rng.choice(ACTION_VERBS)} the handover notes ({c + 1})",
                is_anonymous=anonymous,
                author=None if anonymous else people[c % len(people)],
                topic=own_topics[c % len(own_topics)] if own_topics else None,
                order_key=keys.randrange(ORDER_KEYS),
            )
            if anonymous:  # as Card.save does: outside the id sequence
                card.pk = negative_id(keys)
            cards.append(card)
        if own_topics:
            votes.extend(
                Vote(retro=retro, topic=own_topics[rng.randrange(len(own_topics))], voter=p)
                for p in people
                for _ in range(3)
            )
            ctx.result.counts["retro"] += 1
    insert(cards)
    insert(votes)
    ctx.result.counts["retro_card"] += len(cards)


def _link_subjects(ctx: SeedContext, closed: list[Retro], seed: int) -> None:
    """Point some of ``closed`` at what they look back on (``ABOUT``, in turn), each at one of
    its team's ``RECENT`` newest of that kind: an incident with its published review, a
    deliverable or an experiment."""
    rng = random.Random(seed * 7919 + 255)
    team_ids = [t.pk for t in ctx.teams]
    reviewed = Review.objects.filter(status=Status.PUBLISHED, incident__isnull=False)
    recent = {
        "incident": _newest(reviewed, team_ids, "incident_id", "pk"),
        "deliverable": _newest(Deliverable.objects.all(), team_ids, "pk"),
        "experiment": _newest(Experiment.objects.all(), team_ids, "pk"),
    }
    fields = {
        "incident": ("incident_id", "review_id"),
        "deliverable": ("deliverable_id",),
        "experiment": ("experiment_id",),
    }
    for i, retro in enumerate(closed):
        kind = ABOUT[i % len(ABOUT)]
        choices = recent[kind].get(retro.team_id) if kind is not None else None
        if kind is not None and choices:
            for field, value in zip(fields[kind], rng.choice(choices), strict=True):
                setattr(retro, field, value)


def _newest(objects: Any, team_ids: list[int], *fields: str) -> dict[int, list[tuple[int, ...]]]:
    """Per team, ``fields`` of its ``RECENT`` newest rows of ``objects``, newest first."""
    newest: dict[int, list[tuple[int, ...]]] = defaultdict(list)
    rows = objects.filter(team_id__in=team_ids).order_by("team_id", "-pk")
    for team_id, *values in rows.values_list("team_id", *fields):
        if len(newest[team_id]) < RECENT:
            newest[team_id].append(tuple(values))
    return newest
