"""Reads for applause: who reacted with what on a set of items, in one query."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from learnloop.accounts.models import User
from learnloop.applause.models import EMOJI_NAMES, Emoji, Reaction


@dataclass
class EmojiCount:
    emoji: str
    symbol: str
    name: str
    names: list[str] = field(default_factory=list)
    mine: bool = False

    @property
    def count(self) -> int:
        return len(self.names)


def empty_bar() -> list[EmojiCount]:
    return [EmojiCount(e.value, str(e.label), EMOJI_NAMES[e.value]) for e in Emoji]


def bars_for(*, user: User, kind: str, ids: Iterable[int]) -> dict[int, list[EmojiCount]]:
    """Each item's reactions, every emoji of the set in order, with who gave it (by name).

    The caller has already checked that ``user`` may see the items."""
    wanted = list(ids)
    bars: dict[int, list[EmojiCount]] = {pk: empty_bar() for pk in wanted}
    if not wanted:
        return bars
    order = {e: i for i, e in enumerate(Emoji.values)}
    rows = (
        Reaction.objects.filter(kind=kind, object_id__in=wanted)
        .select_related("user")
        .order_by("created_at", "id")
    )
    for r in rows:
        slot = bars[int(r.object_id)][order[r.emoji]]
        slot.names.append(r.user.name)
        slot.mine = slot.mine or r.user_id == user.pk
    return bars
