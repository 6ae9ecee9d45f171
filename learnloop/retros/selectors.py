"""Reads for retros, always through the visibility rule, and the board as one viewer may see
it. Blind writing is decided here, once, for the page, the API and the live poll alike: while
collect runs a viewer receives only the cards they wrote (named cards by author, anonymous
ones by the secrets their browser presents), and votes are shown as totals only after the
vote phase."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from django.db.models import Count, QuerySet
from django.utils import timezone

from learnloop.accounts.models import Team, User
from learnloop.accounts.visibility import get_visible_or_404
from learnloop.retros.board import votes_visible
from learnloop.retros.cards import secret_hash
from learnloop.retros.models import Card, Phase, Retro, RetroFormat, Topic, TopicAction, Vote


def retros_visible(*, user: User) -> QuerySet[Retro]:
    return Retro.objects.visible_to(user).select_related("team", "facilitator")


def retro_list(*, user: User, team: Team | None = None) -> QuerySet[Retro]:
    qs = retros_visible(user=user)
    if team is not None:
        qs = qs.filter(team=team)
    return qs.order_by("-created_at", "-id")


def retro_get(*, user: User, pk: int) -> Retro:
    """The retro or a 404 (another team's retro is indistinguishable from none)."""
    return get_visible_or_404(
        Retro.objects.select_related(
            "team", "facilitator", "format", "deliverable", "experiment", "incident"
        ),
        user,
        pk=pk,
    )


def formats_for(*, team_ids: list[int]) -> QuerySet[RetroFormat]:
    """Shipped formats and the given teams' own."""
    from django.db.models import Q

    return RetroFormat.objects.filter(Q(team__isnull=True) | Q(team_id__in=team_ids))


def own_anonymous_ids(retro: Retro, secrets: Mapping[int, str]) -> set[int]:
    """The anonymous cards of ``retro`` whose secret the viewer holds."""
    if not secrets:
        return set()
    wanted = {secret_hash(s): pk for pk, s in secrets.items() if s}
    rows = Card.objects.filter(retro=retro, pk__in=list(secrets), is_anonymous=True)
    return {pk for pk, h in rows.values_list("pk", "secret_hash") if wanted.get(h) == pk}


@dataclass
class TopicView:
    topic: Topic
    cards: list[Card]
    my_votes: int = 0
    votes: int | None = None  # None while totals are hidden
    actions: list[TopicAction] = field(default_factory=list)

    @property
    def label(self) -> str:
        """The topic's name, else its first card's text (a named group may have no cards)."""
        return self.topic.title or (self.cards[0].text if self.cards else "Unnamed topic")


@dataclass
class Board:
    retro: Retro
    viewer: User
    columns: list[tuple[dict[str, str], list[Card]]]
    own_ids: set[int]
    card_count: int
    topics: list[TopicView]
    loose: list[Card]
    my_votes_left: int
    votes_shown: bool
    actions: list[TopicAction]

    @property
    def is_facilitator(self) -> bool:
        return self.retro.facilitator_id == self.viewer.pk

    @property
    def timer_seconds(self) -> int:
        """Seconds left on the facilitator's timer (0 when none or over)."""
        if self.retro.timer_ends_at is None:
            return 0
        return max(0, int((self.retro.timer_ends_at - timezone.now()).total_seconds()))

    @property
    def timer_text(self) -> str:
        return f"{self.timer_seconds // 60}:{self.timer_seconds % 60:02d}"

    @property
    def blind(self) -> bool:
        return self.retro.phase == Phase.COLLECT


def board_for(*, retro: Retro, viewer: User, secrets: Mapping[int, str] | None = None) -> Board:
    """What ``viewer`` may see of the board now. ``secrets``: {card id: secret} from their
    browser, naming their anonymous cards."""
    own_anon = own_anonymous_ids(retro, secrets or {})
    cards_qs = Card.objects.filter(retro=retro).select_related("author")
    if retro.phase == Phase.COLLECT:
        cards = [c for c in cards_qs if c.author_id == viewer.pk or c.pk in own_anon]
    else:
        cards = list(cards_qs)
    card_count = Card.objects.filter(retro=retro).count()
    own_ids = {c.pk for c in cards if c.author_id == viewer.pk} | own_anon
    columns = [(col, [c for c in cards if c.column == col["key"]]) for col in retro.columns]
    shown = votes_visible(retro)
    topics_qs = Topic.objects.filter(retro=retro).annotate(vote_count=Count("votes"))
    if shown:
        topics_qs = topics_qs.order_by("-vote_count", "order_key", "id")
    mine = dict(
        Vote.objects.filter(retro=retro, voter=viewer)
        .values_list("topic_id")
        .annotate(n=Count("id"))
        .values_list("topic_id", "n")
    )
    links = list(TopicAction.objects.filter(retro=retro).select_related("action", "action__owner"))
    topics = []
    if retro.phase != Phase.COLLECT:
        for topic in topics_qs:
            topics.append(
                TopicView(
                    topic=topic,
                    cards=[c for c in cards if c.topic_id == topic.pk],
                    my_votes=mine.get(topic.pk, 0),
                    votes=topic.vote_count if shown else None,
                    actions=[a for a in links if a.topic_id == topic.pk],
                )
            )
    loose = [c for c in cards if c.topic_id is None] if retro.phase != Phase.COLLECT else []
    return Board(
        retro=retro,
        viewer=viewer,
        columns=columns,
        own_ids=own_ids,
        card_count=card_count,
        topics=topics,
        loose=loose,
        my_votes_left=max(0, retro.votes_per_person - sum(mine.values())),
        votes_shown=shown,
        actions=links,
    )


def board_json(board: Board) -> dict[str, object]:
    """The board for the API: the same cards the page shows; an anonymous card has no author."""
    retro = board.retro

    def card(c: Card) -> dict[str, object]:
        return {
            "id": c.pk,
            "column": c.column,
            "text": c.text,
            "anonymous": c.is_anonymous,
            "author_id": None if c.is_anonymous else c.author_id,
            "author_name": None if c.is_anonymous or c.author is None else c.author.name,
            "topic_id": c.topic_id,
            "mine": c.pk in board.own_ids,
            "version": c.version,
        }

    return {
        "retro_id": retro.pk,
        "phase": retro.phase,
        "state_version": retro.state_version,
        "timer_ends_at": retro.timer_ends_at.isoformat() if retro.timer_ends_at else None,
        "card_count": board.card_count,
        "cards": [card(c) for _, cards in board.columns for c in cards],
        "topics": [
            {
                "id": t.topic.pk,
                "title": t.topic.title,
                "notes": t.topic.notes,
                "notes_version": t.topic.notes_version,
                "card_ids": [c.pk for c in t.cards],
                "my_votes": t.my_votes,
                "votes": t.votes,
                "action_ids": [a.action_id for a in t.actions],
            }
            for t in board.topics
        ],
        "my_votes_left": board.my_votes_left,
        "votes_shown": board.votes_shown,
    }
