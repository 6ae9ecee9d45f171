"""Seeded retrospectives: closed ones with cards, topics and votes, and one running per team,
so the retro pages and the live poll are measured with a realistic board."""

from __future__ import annotations

from learnloop.devtools.seeding.common import SeedContext
from learnloop.devtools.seeding.words import ACTION_VERBS
from learnloop.retros.models import Card, Phase, Retro, RetroFormat, Topic, Vote

CARDS_PER_RETRO = 12


def create_retros(ctx: SeedContext, count: int) -> None:
    """``count`` retros spread over the teams (the last of each team still collecting)."""
    rng = ctx.rng
    formats = list(RetroFormat.objects.filter(is_shipped=True).order_by("slug"))
    if not formats or not ctx.teams:
        return
    for n in range(count):
        team = ctx.teams[n % len(ctx.teams)]
        people = ctx.members.get(team.pk) or ctx.users[:1]
        fmt = formats[rng.randrange(len(formats))]
        running = n >= count - len(ctx.teams)
        retro = Retro.objects.create(
            team=team,
            title=f"Retro {n + 1}: {rng.choice(ACTION_VERBS).lower()} our releases",
            format=fmt,
            columns=list(fmt.columns),
            facilitator=people[0],
            anonymity=rng.choice(["named", "allowed", "all"]),
            phase=Phase.COLLECT if running else Phase.CLOSED,
        )
        retro.participants.set([p.pk for p in people])
        cards = []
        for c in range(CARDS_PER_RETRO):
            anonymous = retro.anonymity == "all" or (retro.anonymity == "allowed" and c % 3 == 0)
            card = Card(
                retro=retro,
                column=fmt.columns[c % len(fmt.columns)]["key"],
                text=f"{rng.choice(ACTION_VERBS)} the handover notes ({c + 1})",
                is_anonymous=anonymous,
                author=None if anonymous else people[c % len(people)],
            )
            card.save()
            cards.append(card)
        if running:
            continue
        topics = [Topic.objects.create(retro=retro, title=f"Topic {t + 1}") for t in range(4)]
        for i, card in enumerate(cards):
            Card.objects.filter(pk=card.pk).update(topic=topics[i % len(topics)])
        Vote.objects.bulk_create(
            Vote(retro=retro, topic=topics[rng.randrange(len(topics))], voter=p)
            for p in people
            for _ in range(3)
        )
        ctx.result.counts["retro"] += 1
    ctx.result.counts["retro_card"] += count * CARDS_PER_RETRO
