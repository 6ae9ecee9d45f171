"""Writes for retro cards: write, change and delete while collect runs.

A named card is changed by its author; an anonymous one only with the capability secret its
writer's browser holds: the card keeps the secret's SHA-256, never an author or a time
(decisions/0161, 0166). Every write ends with :func:`~learnloop.retros.services.bump`, which the
live poll reads (decisions/0163).
"""

import hashlib
import hmac
import secrets
from typing import Any

from django.db import transaction

from learnloop.accounts.models import User
from learnloop.core.errors import ApplicationError, PermissionDenied
from learnloop.core.ratelimit import limit_hit
from learnloop.core.versioning import claim_version
from learnloop.retros.models import CARD_MAX, Anonymity, Card, Phase, Retro
from learnloop.retros.services import bump, clean_field, require_member

# Cards per person per hour, named and anonymous counted together (decisions/0010).
CARD_RATE_SCOPE = "retro-card"
CARD_RATE_PER_HOUR = 200


def secret_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def secret_matches(card: Card, secret: str | None) -> bool:
    return bool(
        secret
        and card.is_anonymous
        and card.secret_hash
        and hmac.compare_digest(card.secret_hash, secret_hash(secret))
    )


def _card_text(text: Any) -> str:
    cleaned, msgs = clean_field(text, "text", maximum=CARD_MAX, required=True)
    if msgs:
        raise ApplicationError("Check the card.", fields={"text": msgs})
    return cleaned


def card_write(
    *, actor: User, retro: Retro, column: str, text: str, anonymous: bool = False
) -> tuple[Card, str | None]:
    """Write a card while collect runs. Returns the card and, for an anonymous card, the
    capability secret (shown once, kept by the writer's browser; only its hash is stored)."""
    require_member(actor, retro.team_id)
    current = Retro.objects.get(pk=retro.pk)
    if current.phase != Phase.COLLECT:
        raise ApplicationError(
            "Cards are written while collect runs.",
            code="wrong_phase",
            fields={"phase": [f"The retro is in {current.get_phase_display().lower()}."]},
            status=409,
        )
    errors: dict[str, list[str]] = {}
    if column not in {c["key"] for c in current.columns}:
        errors["column"] = ["Choose one of the retro's columns."]
    cleaned, msgs = clean_field(text, "text", maximum=CARD_MAX, required=True)
    if msgs:
        errors["text"] = msgs
    if current.anonymity == Anonymity.ALL:
        anonymous = True
    elif current.anonymity == Anonymity.NAMED and anonymous:
        errors["anonymous"] = ["This retro takes named cards only."]
    if errors:
        raise ApplicationError("Check the card.", fields=errors)
    # Named and anonymous cards are counted together, in a counter nobody can tie to a person
    # after the hour (core.ratelimit, decisions/0010).
    if limit_hit(CARD_RATE_SCOPE, str(actor.pk), CARD_RATE_PER_HOUR, 3600):
        raise ApplicationError(
            "That is a lot of cards for one hour; try again later.",
            code="rate_limited",
            status=429,
        )
    secret = secrets.token_urlsafe(32) if anonymous else None
    with transaction.atomic():
        card = Card(
            retro=current,
            column=column,
            text=cleaned,
            is_anonymous=anonymous,
            author=None if anonymous else actor,
            secret_hash=secret_hash(secret) if secret else "",
        )
        card.save()
        bump(current)
    return card, secret


def _editable(actor: User, card: Card, secret: str | None) -> None:
    require_member(actor, card.retro.team_id)
    mine = secret_matches(card, secret) if card.is_anonymous else card.author_id == actor.pk
    if not mine:
        raise PermissionDenied("Only the card's writer changes it.")
    if card.retro.phase != Phase.COLLECT:
        raise ApplicationError(
            "Cards are changed while collect runs.",
            code="wrong_phase",
            fields={"phase": ["Collect has ended."]},
            status=409,
        )


def card_edit(
    *, actor: User, card: Card, text: str, version: int, secret: str | None = None
) -> Card:
    """The writer changes a card while collect runs: a named card by its author, an
    anonymous one only with the secret its writer's browser holds."""
    _editable(actor, card, secret)
    cleaned = _card_text(text)
    with transaction.atomic():
        new_version = claim_version(
            Card,
            pk=card.pk,
            version=version,
            message="This card changed meanwhile.",
            submitted={"text": cleaned},
            saved=lambda c: {"text": c.text},
        )
        Card.objects.filter(pk=card.pk).update(text=cleaned, version=new_version)
        bump(card.retro)
    card.text, card.version = cleaned, new_version
    return card


def card_delete(*, actor: User, card: Card, secret: str | None = None) -> None:
    _editable(actor, card, secret)
    with transaction.atomic():
        Card.objects.filter(pk=card.pk).delete()
        bump(card.retro)
