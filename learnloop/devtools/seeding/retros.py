"""Seeded retrospectives: closed ones with cards, topics and votes, and one running per team,
so the retro pages and the live poll are measured with a realistic board.

One bulk insert per table (no ``save()`` per row): signals do not fire, so the retros' search
documents are written by :func:`~learnloop.devtools.seeding.search_index.index_organisation`
with the rest, and no dense vectors are computed for them (decision 0086).

Topics' and cards' places in their columns (``order_key``, random in the product so that order
says nothing about time) and anonymous cards' ids come from the retros' own random source, so
the same seed gives the same board; the rest of the draws are the shared source's, as before.
"""

from __future__ import annotations

import random

from learnloop.accounts.models import User
from learnloop.devtools.seeding.common import SeedContext, negative_id
from learnloop.devtools.seeding.rows import insert
from learnloop.devtools.seeding.words import ACTION_VERBS
from learnloop.retros.models import Card, Phase, Retro, RetroFormat, Topic, Vote

CARDS_PER_RETRO = 12
TOPICS_PER_RETRO = 4


#: A topic's or card's place in its column: ``retros.models.random_order_key``'s range.
ORDER_KEYS = 2**31


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
                anonymity=rng.choice(["named", "allowed", "all"]),
                phase=Phase.COLLECT if running else Phase.CLOSED,
            )
        )
        people_of.append(people)
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
