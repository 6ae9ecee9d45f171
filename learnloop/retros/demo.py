"""Demo retros for Crumb & Co's platform team: last month's, closed, with grouped cards, votes,
an action and a lesson, about the checkout retry flow (a deliverable); and this month's,
collecting cards (one anonymous), for the double-charge incident and its published review,
which carries the open action over. Built through the services, as people would."""

from __future__ import annotations

from learnloop.core.demo import DemoContext, step
from learnloop.retros import board, cards, services
from learnloop.retros.models import Card, Phase, Retro, RetroFormat, Topic, link_model
from learnloop.retros.rotation import share_decide, share_next

CARDS = [
    ("priya", "stop", "Deploying on Friday afternoons with half the team away"),
    ("ines", "stop", "Waiting two days for a review of a one-line change"),
    ("jonas", "continue", "Pairing on the checkout release"),
    ("priya", "start", "A reviewer of the day, so small changes do not wait"),
]


@step(62)
def retros(ctx: DemoContext) -> None:
    team = ctx.teams["platform"]
    facilitator = ctx.users["jonas"]
    people = [ctx.users[k] for k in ("priya", "ines")]
    fmt = RetroFormat.objects.get(slug="start-stop-continue", is_shipped=True)
    last = services.retro_create(
        actor=facilitator,
        team=team,
        title="Platform retro, last month",
        fmt=fmt,
        participants=people,
        anonymity="allowed",
        deliverable=link_model("deliverable").objects.get(
            team=team, title="New checkout retry flow"
        ),
    )
    for who, column, text in CARDS:
        cards.card_write(actor=ctx.users[who], retro=last, column=column, text=text)
    cards.card_write(
        actor=ctx.users["ines"],
        retro=last,
        column="stop",
        text="Nobody says when the on-call phone was silent all night",
        anonymous=True,
    )
    for phase in (Phase.REVEAL, Phase.GROUP):
        last = services.retro_set_phase(actor=facilitator, retro=last, phase=phase)
    waiting = [c for c in last.cards.all() if "review" in c.text.lower()]
    for card in waiting:
        board.card_group(actor=facilitator, retro=last, card=card, target=_topic_of(last, waiting))
    for phase in (Phase.VOTE,):
        last = services.retro_set_phase(actor=facilitator, retro=last, phase=phase)
    topic = Topic.objects.filter(retro=last, cards__text__icontains="review").first()
    assert topic is not None
    board.topic_rename(actor=facilitator, retro=last, topic=topic, title="Reviews wait")
    for person in [facilitator, *people]:
        board.vote_cast(actor=person, retro=last, topic=topic)
    last = services.retro_set_phase(actor=facilitator, retro=last, phase=Phase.DISCUSS)
    board.topic_notes(
        actor=facilitator,
        retro=last,
        topic=topic,
        notes="Small changes queue behind big ones.",
        version=topic.notes_version,
    )
    board.topic_action(
        actor=facilitator,
        retro=last,
        topic=topic,
        title="Name a reviewer of the day",
        owner=ctx.users["priya"],
        due_date=ctx.date(10),
    )
    board.topic_lesson(
        actor=ctx.users["ines"],
        retro=last,
        topic=topic,
        statement="Small changes need a short path to review, or people batch them.",
    )
    last = services.retro_set_phase(actor=facilitator, retro=last, phase=Phase.CLOSED)
    Retro.objects.filter(pk=last.pk).update(created_at=ctx.at(30, 10), updated_at=ctx.at(30, 11))
    now = services.retro_create(
        actor=facilitator,
        team=team,
        title="Platform retro",
        fmt=fmt,
        participants=people,
        anonymity="allowed",
        incident=ctx.extra["incidents"]["double_charge"],
        review=ctx.extra["reviews"]["double_charge"],
    )
    cards.card_write(
        actor=ctx.users["priya"], retro=now, column="continue", text="The reviewer of the day"
    )
    # The learning share: two meetings so far.
    for _ in range(2):
        share_next(team=team)
        share_decide(actor=facilitator, team=team, outcome="done")
    share_next(team=team)


def _topic_of(retro: Retro, cards: list[Card]) -> str:
    """The topic the first of ``cards`` is in ("new" until it has one)."""
    first = retro.cards.get(pk=cards[0].pk)
    return str(first.topic_id) if first.topic_id else board.NEW_TOPIC
