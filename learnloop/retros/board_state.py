"""The board as one viewer may see it, for the page, the live poll and the API alike (reads).

Blind writing is decided here, once: while collect runs a viewer receives only the cards they
wrote (named cards by author, anonymous ones by the secrets their browser presents), and vote
totals are shown only after the vote phase.

Built from narrow ``values_list`` rows (no model instances, no joins but the card's author name
and the action's title and owner), a fixed number of queries whatever the board's or the
organisation's size (decision 0088). What every member sees alike after collect (cards, topics
with totals, actions, lessons, the team's people) is :class:`SharedBoard`; what is the viewer's
own (their votes, their anonymous cards, the facilitator's controls) is added per request.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from typing import cast

from django.core.cache import caches
from django.db.models import BigIntegerField, Count
from django.urls import reverse
from django.utils import timezone

from learnloop.accounts.models import Membership, User
from learnloop.core.compiled import Compiled, Param
from learnloop.lessons.models import Lesson
from learnloop.retros.board import votes_visible
from learnloop.retros.cards import secret_hash
from learnloop.retros.models import PHASE_ORDER, Card, Phase, Retro, Topic, TopicAction, Vote
from learnloop.web.data_version import data_version


def person_name(display_name: str, first_name: str, last_name: str, email: str) -> str:
    """``User.name`` from the row's columns (no model instance)."""
    return display_name or f"{first_name} {last_name}".strip() or email.split("@")[0]


@dataclass(frozen=True, slots=True)
class CardRow:
    pk: int
    column: str
    text: str
    is_anonymous: bool
    author_id: int | None
    author_name: str  # "" for an anonymous card or a former member
    topic_id: int | None
    version: int


@dataclass(frozen=True, slots=True)
class TopicRow:
    pk: int
    title: str
    notes: str
    notes_version: int
    vote_count: int  # 0 while totals are hidden (not counted then)


@dataclass(frozen=True, slots=True)
class ActionRow:
    topic_id: int | None
    action_id: int
    title: str
    owner_name: str
    due_date: date | None
    url: str


@dataclass(frozen=True, slots=True)
class SharedBoard:
    """What every member of the team sees of the board at one state: nothing of any viewer's
    own (no votes of theirs, no "mine"), and during collect nothing but the card count."""

    card_count: int
    cards: tuple[CardRow, ...] = ()  # after collect only
    topics: tuple[TopicRow, ...] = ()  # in discussion order once totals are shown
    actions: tuple[ActionRow, ...] = ()
    lessons: tuple[tuple[int, str], ...] = ()
    members: tuple[tuple[int, str], ...] = ()  # owners to choose from (discuss, actions)


def own_anonymous_ids(retro: Retro, secrets: Mapping[int, str]) -> set[int]:
    """The anonymous cards of ``retro`` whose secret the viewer holds."""
    if not secrets:
        return set()
    wanted = {secret_hash(s): pk for pk, s in secrets.items() if s}
    rows = Card.objects.filter(retro_id=retro.pk, pk__in=list(secrets), is_anonymous=True)
    return {pk for pk, h in rows.values_list("pk", "secret_hash") if wanted.get(h) == pk}


_CARD_COLUMNS = ("pk", "column", "text", "is_anonymous", "author_id", "topic_id", "version")
#: The columns ``User.name`` is made of, in :func:`person_name`'s order.
_NAME_COLUMNS = ("display_name", "first_name", "last_name", "email")


_BLIND_CARDS = Compiled(
    lambda: Card.objects.filter(retro_id=Param("retro", BigIntegerField())).values(*_CARD_COLUMNS)
)
#: The viewer's votes on a retro, topic by topic (one row a vote), compiled once per connection.
_MY_VOTES = Compiled(
    lambda: Vote.objects.filter(
        retro_id=Param("retro", BigIntegerField()), voter_id=Param("voter", BigIntegerField())
    ).values("topic_id")
)


def _all_cards(retro: Retro, *, names: bool = True) -> tuple[CardRow, ...]:
    """Every card of the retro, with its author's name unless ``names`` is false (a card's
    text is only ever shown to whom :func:`board_for` allows)."""
    if not names:  # every blind poll: compiled once per connection (decision 0234)
        return tuple(
            CardRow(
                r["pk"],
                r["column"],
                r["text"],
                r["is_anonymous"],
                r["author_id"],
                "",
                r["topic_id"],
                r["version"],
            )
            for r in _BLIND_CARDS.rows(retro=retro.pk)
        )
    qs = Card.objects.filter(retro_id=retro.pk)
    rows = qs.values_list(*_CARD_COLUMNS, *(f"author__{c}" for c in _NAME_COLUMNS))
    return tuple(
        CardRow(
            pk=pk,
            column=column,
            text=text,
            is_anonymous=anonymous,
            author_id=None if anonymous else author_id,
            author_name="" if anonymous or author_id is None else person_name(*author),
            topic_id=topic_id,
            version=version,
        )
        for pk, column, text, anonymous, author_id, topic_id, version, *author in rows
    )


def shared_board(retro: Retro, cards: tuple[CardRow, ...] | None = None) -> SharedBoard:
    """The board every member sees alike, read now (during collect: the card count only).
    ``cards``: the retro's cards, if the caller has read them already."""
    if cards is None:
        cards = _all_cards(retro)
    if retro.phase == Phase.COLLECT:
        return SharedBoard(card_count=len(cards))
    topic_rows = Topic.objects.filter(retro_id=retro.pk)
    columns = ("pk", "title", "notes", "notes_version")
    if votes_visible(retro):
        counted = topic_rows.annotate(n=Count("votes")).order_by("-n", "order_key", "id")
        topics = tuple(
            TopicRow(pk, title, notes, version, n)
            for pk, title, notes, version, n in counted.values_list(*columns, "n")
        )
    else:
        topics = tuple(
            TopicRow(pk, title, notes, version, 0)
            for pk, title, notes, version in topic_rows.values_list(*columns)
        )
    discussing = retro.phase in (Phase.DISCUSS, Phase.ACTIONS)
    return SharedBoard(
        card_count=len(cards),
        cards=cards,
        topics=topics,
        actions=_actions(retro),
        lessons=_lessons(retro),
        members=_members(retro) if discussing else (),
    )


#: How long a shared board stays in a process's memory at most (the key changes on any write).
KEEP_SECONDS = 60


def kept_shared_board(retro: Retro, organisation_id: int | None) -> SharedBoard:
    """After collect, the shared board from this process's memory (``caches["local"]``, never
    a file or a shared cache), keyed by the retro, its phase and ``state_version`` and the
    organisation's data version (decision 0076: moved by every write in the organisation, so
    an action renamed in the actions app or a person's new name shows at once, as a board
    change does). Each participant's poll after a change reads the board once per process,
    not once per person. Never during collect: nothing is shared then, and an entry written
    at the moment of an anonymous card would date it (decision 0088)."""
    if retro.phase == Phase.COLLECT or organisation_id is None:
        return shared_board(retro)
    version = data_version(organisation_id)
    key = f"retro-board:{retro.pk}:{retro.phase}:{retro.state_version}:{version}"
    return cast(
        SharedBoard, caches["local"].get_or_set(key, lambda: shared_board(retro), KEEP_SECONDS)
    )


def _lessons(retro: Retro) -> tuple[tuple[int, str], ...]:
    """The retro's lessons, newest first, found through the ``source_retro`` index. Sorted
    here, and the ids picked by a subquery: SQLite's statistics see that column as nearly all
    NULL, so with ``ORDER BY created_at`` (or any column the index does not cover) it walked
    the whole library instead: the live board's growth with the organisation's size
    (decision 0088)."""
    own = Lesson.objects.filter(source_retro_id=retro.pk).order_by().values("pk")
    rows = Lesson.objects.filter(pk__in=own).order_by()
    newest_first = sorted(rows.values_list("created_at", "pk", "statement"), reverse=True)
    return tuple((pk, statement) for _, pk, statement in newest_first)


def _actions(retro: Retro) -> tuple[ActionRow, ...]:
    rows = (
        TopicAction.objects.filter(retro_id=retro.pk)
        .order_by("id")
        .values_list(
            "topic_id",
            "action_id",
            "action__title",
            "action__due_date",
            *(f"action__owner__{c}" for c in _NAME_COLUMNS),
        )
    )
    return tuple(
        ActionRow(
            topic_id=topic_id,
            action_id=action_id,
            title=title,
            owner_name=person_name(*owner) if owner[3] is not None else "",
            due_date=due,
            url=reverse("actions:detail", args=[action_id]),
        )
        for topic_id, action_id, title, due, *owner in rows
    )


def _members(retro: Retro) -> tuple[tuple[int, str], ...]:
    """The team's people, to choose an action's owner from (sorted here: ``ORDER BY`` made
    SQLite walk every membership of the installation)."""
    rows = (
        Membership.objects.filter(team_id=retro.team_id)
        .order_by()
        .values_list("user_id", *(f"user__{c}" for c in _NAME_COLUMNS))
    )
    return tuple(sorted((pk, person_name(*names)) for pk, *names in rows))


@dataclass
class TopicView:
    topic: TopicRow
    cards: list[CardRow]
    my_votes: int = 0
    votes: int | None = None  # None while totals are hidden
    actions: list[ActionRow] = field(default_factory=list)

    @property
    def label(self) -> str:
        """The topic's name, else its first card's text (a named group may have no cards)."""
        return self.topic.title or (self.cards[0].text if self.cards else "Unnamed topic")


@dataclass
class Board:
    retro: Retro
    viewer: User
    columns: list[tuple[dict[str, str], list[CardRow]]]
    own_ids: set[int]
    card_count: int
    topics: list[TopicView]
    loose: list[CardRow]
    my_votes_left: int
    votes_shown: bool
    actions: tuple[ActionRow, ...]
    lessons: tuple[tuple[int, str], ...] = ()
    members: tuple[tuple[int, str], ...] = ()

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

    @property
    def next_phase(self) -> str | None:
        """The phase the facilitator's button moves to (None once closed)."""
        index = self.retro.phase_index + 1
        return PHASE_ORDER[index] if index < len(PHASE_ORDER) else None


def board_for(*, retro: Retro, viewer: User, secrets: Mapping[int, str] | None = None) -> Board:
    """What ``viewer`` may see of the board now. ``secrets``: {card id: secret} from their
    browser, naming their anonymous cards. After collect, what everyone sees alike comes from
    :func:`kept_shared_board`; the viewer's own parts are read for this request."""
    own_anon = own_anonymous_ids(retro, secrets or {})
    collecting = retro.phase == Phase.COLLECT
    if collecting:  # blind: only the viewer's own cards, and how many there are in all
        every = _all_cards(retro, names=False)
        shared = SharedBoard(card_count=len(every))
        name = viewer.name
        cards = [
            replace(c, author_name="" if c.is_anonymous else name)
            for c in every
            if c.pk in own_anon or (c.author_id == viewer.pk and not c.is_anonymous)
        ]
    else:
        shared = kept_shared_board(retro, viewer.organisation_id)
        cards = list(shared.cards)
    own_ids = {c.pk for c in cards if c.author_id == viewer.pk} | own_anon
    columns = [(col, [c for c in cards if c.column == col["key"]]) for col in retro.columns]
    shown = votes_visible(retro)
    mine = Counter(r["topic_id"] for r in _MY_VOTES.rows(retro=retro.pk, voter=viewer.pk))
    topics = []
    if not collecting:
        for topic in shared.topics:
            topics.append(
                TopicView(
                    topic=topic,
                    cards=[c for c in cards if c.topic_id == topic.pk],
                    my_votes=mine.get(topic.pk, 0),
                    votes=topic.vote_count if shown else None,
                    actions=[a for a in shared.actions if a.topic_id == topic.pk],
                )
            )
    return Board(
        retro=retro,
        viewer=viewer,
        columns=columns,
        own_ids=own_ids,
        card_count=shared.card_count,
        topics=topics,
        loose=[] if collecting else [c for c in cards if c.topic_id is None],
        my_votes_left=max(0, retro.votes_per_person - sum(mine.values())),
        votes_shown=shown,
        actions=shared.actions,
        lessons=shared.lessons,
        members=shared.members,
    )


def board_json(board: Board) -> dict[str, object]:
    """The board for the API: the same cards the page shows; an anonymous card has no author."""
    retro = board.retro
    own = board.own_ids
    return {
        "retro_id": retro.pk,
        "phase": retro.phase,
        "state_version": retro.state_version,
        "timer_ends_at": retro.timer_ends_at.isoformat() if retro.timer_ends_at else None,
        "card_count": board.card_count,
        "cards": [
            {
                "id": c.pk,
                "column": c.column,
                "text": c.text,
                "anonymous": c.is_anonymous,
                "author_id": c.author_id,
                "author_name": c.author_name or None,
                "topic_id": c.topic_id,
                "mine": c.pk in own,
                "version": c.version,
            }
            for _, cards in board.columns
            for c in cards
        ],
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
