"""Writes for applause: add, remove and toggle one reaction (decisions/0142)."""

from __future__ import annotations

from contextlib import suppress
from typing import Any

from django.db import IntegrityError, transaction

from learnloop.accounts.models import User
from learnloop.applause import registry
from learnloop.applause.models import Emoji, Reaction
from learnloop.core.errors import ApplicationError, Conflict, NotFound
from learnloop.core.validation import id_or_none


def item_get(*, actor: User, kind: str, object_id: Any) -> Any:
    """The item through the visibility rule; an unknown kind or an invisible item is a 404."""
    reactable = registry.get(str(kind))
    pk = id_or_none(object_id)
    if reactable is None or pk is None:
        raise NotFound()
    manager: Any = reactable.model._default_manager
    item = manager.visible_to(actor).select_related("team").filter(pk=pk).first()
    if item is None:
        raise NotFound()
    return item


def _check_emoji(emoji: Any) -> str:
    if emoji not in Emoji.values:
        raise ApplicationError(
            "Choose one of the reactions offered.",
            fields={"emoji": [f"One of: {', '.join(Emoji.values)}."]},
        )
    return str(emoji)


def reaction_add(*, actor: User, kind: str, object_id: Any, emoji: str) -> Reaction:
    """One reaction of ``actor`` on the item; the same one twice is a 409."""
    item = item_get(actor=actor, kind=kind, object_id=object_id)
    emoji = _check_emoji(emoji)
    reactable = registry.KINDS[kind]
    try:
        with transaction.atomic():
            return Reaction.objects.create(
                kind=kind,
                object_id=item.pk,
                team_id=item.team_id,
                recipient_id=getattr(item, reactable.recipient, None),
                emoji=emoji,
                user=actor,
            )
    except IntegrityError:
        raise Conflict(
            "You already reacted with this.",
            fields={"emoji": ["Already given; one of each per person per item."]},
        ) from None


def reaction_remove(*, actor: User, kind: str, object_id: Any, emoji: str) -> bool:
    """Withdraw ``actor``'s own reaction; True if there was one."""
    item = item_get(actor=actor, kind=kind, object_id=object_id)
    emoji = _check_emoji(emoji)
    deleted, _ = Reaction.objects.filter(
        kind=kind, object_id=item.pk, emoji=emoji, user=actor
    ).delete()
    return deleted > 0


def reaction_toggle(*, actor: User, kind: str, object_id: Any, emoji: str) -> bool:
    """Add the reaction, or withdraw it if given already; True when it is now given."""
    if reaction_remove(actor=actor, kind=kind, object_id=object_id, emoji=emoji):
        return False
    with suppress(Conflict):  # a double click raced us: it is given either way
        reaction_add(actor=actor, kind=kind, object_id=object_id, emoji=emoji)
    return True
