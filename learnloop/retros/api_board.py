"""Retros API, the board: what you may see of it (the same blind rule as the page), cards,
grouping, topic titles and notes, votes, and the actions and lessons a topic produces. Routes on
the retros router (``api.py``); their operation ids are the ones they had there.

An anonymous card's secret comes back once, in the answer to its creation; the client keeps
it and sends it to change or delete the card (body field ``secret`` or header
``X-Card-Secret``) or to see its own anonymous cards while collect runs (header
``X-Retro-Secrets: <id>~<secret>.<id>~<secret>``). Card writes are left out of the access log.
"""

from typing import Any

from django.urls import reverse
from ninja import Field, Schema
from ninja.responses import Status

from learnloop.accounts.http import AuthedHttpRequest
from learnloop.api.errors import errors
from learnloop.api.types import BodyIn, JsonBool, JsonInt, SignedId
from learnloop.core.accesslog import leave_out_of_access_log
from learnloop.core.errors import ApplicationError, NotFound
from learnloop.core.validation import id_or_none
from learnloop.retros import board as board_services
from learnloop.retros import board_state, cards, live, selectors
from learnloop.retros.api import retro_or_404, router, team_member
from learnloop.retros.models import Card, Retro, Topic


class CardIn(BodyIn):
    column: str
    text: str
    anonymous: JsonBool = False


class CardOut(Schema):
    id: int
    column: str
    text: str
    anonymous: bool
    version: int
    secret: str | None = Field(None, description="Anonymous cards only; shown once. Keep it.")


class CardPatch(BodyIn):
    text: str
    version: JsonInt
    secret: str | None = None


class CardGroupIn(BodyIn):
    topic: JsonInt | str | None = Field(None, description='A topic id, "new", or null (alone)')


class TopicPatch(BodyIn):
    title: str | None = None
    notes: str | None = None
    notes_version: JsonInt | None = None


class RetroActionIn(BodyIn):
    title: str
    topic_id: JsonInt | None = None
    owner_id: JsonInt | None = None
    due_date: str | None = None


class RetroLessonIn(BodyIn):
    statement: str
    topic_id: JsonInt | None = None
    context: str = ""


class RetroCreated(Schema):
    id: int
    url: str


def _header_secrets(request: AuthedHttpRequest) -> dict[int, str]:
    out: dict[int, str] = {}
    for pair in request.headers.get("X-Retro-Secrets", "").split(".")[: live.COOKIE_MAX_CARDS]:
        card_id, _, secret = pair.partition("~")
        if id_or_none(card_id, signed=True) is not None:
            out[int(card_id)] = secret
    return out


def _card(retro: Retro, card_id: SignedId) -> Card:
    card = Card.objects.filter(retro=retro, pk=card_id).first()
    if card is None:
        raise NotFound()
    card.retro = retro
    return card


def _topic(retro: Retro, topic_id: int | None) -> Topic | None:
    if topic_id is None:
        return None
    topic = Topic.objects.filter(retro=retro, pk=topic_id).first()
    if topic is None:
        raise ApplicationError("Unknown topic.", fields={"topic_id": ["Not in this retro."]})
    return topic


@router.get(
    "/{int:retro_id}/board",
    response={200: dict[str, Any], **errors(404)},
    operation_id="learnloop_retros_api_retro_board",
)
def retro_board(request: AuthedHttpRequest, retro_id: int) -> dict[str, Any]:
    """The board as you may see it: before reveal, only your own cards."""
    retro = selectors.retro_live_get(user=request.user, pk=retro_id)
    if retro is None:
        raise NotFound()
    secrets = _header_secrets(request)
    return board_state.board_json(
        board_state.board_for(retro=retro, viewer=request.user, secrets=secrets)
    )


# --- cards, topics, votes -------------------------------------------------------------------


@router.post(
    "/{int:retro_id}/cards",
    response={201: CardOut, **errors(404, 409, 422, 429)},
    operation_id="learnloop_retros_api_card_write",
)
def card_write(
    request: AuthedHttpRequest, retro_id: int, payload: CardIn
) -> Status[dict[str, Any]]:
    leave_out_of_access_log(request)
    card, secret = cards.card_write(
        actor=request.user,
        retro=retro_or_404(request, retro_id),
        column=payload.column,
        text=payload.text,
        anonymous=payload.anonymous,
    )
    return Status(201, _card_out(card, secret))


def _card_out(card: Card | board_state.CardRow, secret: str | None = None) -> dict[str, Any]:
    return {
        "id": card.pk,
        "column": card.column,
        "text": card.text,
        "anonymous": card.is_anonymous,
        "version": card.version,
        "secret": secret,
    }


def _writer_secret(request: AuthedHttpRequest, given: str | None) -> str | None:
    return given or request.headers.get("X-Card-Secret") or None


@router.get(
    "/{int:retro_id}/cards/{card_id}",
    response={200: CardOut, **errors(404, 422)},
    operation_id="learnloop_retros_api_card_detail",
)
def card_detail(request: AuthedHttpRequest, retro_id: int, card_id: SignedId) -> dict[str, Any]:
    """A card you may see now (before reveal: only your own)."""
    retro = retro_or_404(request, retro_id)
    board = board_state.board_for(
        retro=retro, viewer=request.user, secrets=_header_secrets(request)
    )
    card = next((c for _, cards in board.columns for c in cards if c.pk == card_id), None)
    if card is None:
        raise NotFound()
    return _card_out(card)


@router.patch(
    "/{int:retro_id}/cards/{card_id}",
    response={200: CardOut, **errors(403, 404, 409, 422)},
    operation_id="learnloop_retros_api_card_edit",
)
def card_edit(
    request: AuthedHttpRequest, retro_id: int, card_id: SignedId, payload: CardPatch
) -> dict[str, Any]:
    leave_out_of_access_log(request)
    card = _card(retro_or_404(request, retro_id), card_id)
    cards.card_edit(
        actor=request.user,
        card=card,
        text=payload.text,
        version=payload.version,
        secret=_writer_secret(request, payload.secret),
    )
    return _card_out(card)


@router.delete(
    "/{int:retro_id}/cards/{card_id}",
    response={204: None, **errors(403, 404, 409, 422)},
    operation_id="learnloop_retros_api_card_delete",
)
def card_delete(request: AuthedHttpRequest, retro_id: int, card_id: SignedId) -> Status[None]:
    leave_out_of_access_log(request)
    card = _card(retro_or_404(request, retro_id), card_id)
    cards.card_delete(actor=request.user, card=card, secret=_writer_secret(request, None))
    return Status(204, None)


@router.post(
    "/{int:retro_id}/cards/{card_id}/group",
    response={200: dict[str, Any], **errors(404, 409, 422)},
    operation_id="learnloop_retros_api_card_group",
)
def card_group(
    request: AuthedHttpRequest, retro_id: int, card_id: SignedId, payload: CardGroupIn
) -> dict[str, Any]:
    retro = retro_or_404(request, retro_id)
    card = board_services.card_group(
        actor=request.user,
        retro=retro,
        card=_card(retro, card_id),
        target=str(payload.topic) if payload.topic is not None else None,
    )
    return {"card_id": card.pk, "topic_id": card.topic_id}


@router.patch(
    "/{int:retro_id}/topics/{int:topic_id}",
    response={200: dict[str, Any], **errors(404, 409, 422)},
    operation_id="learnloop_retros_api_topic_update",
)
def topic_update(
    request: AuthedHttpRequest, retro_id: int, topic_id: int, payload: TopicPatch
) -> dict[str, Any]:
    retro = retro_or_404(request, retro_id)
    topic = _topic(retro, topic_id)
    assert topic is not None
    if payload.title is not None:
        board_services.topic_rename(
            actor=request.user, retro=retro, topic=topic, title=payload.title
        )
    if payload.notes is not None:
        board_services.topic_notes(
            actor=request.user,
            retro=retro,
            topic=topic,
            notes=payload.notes,
            version=payload.notes_version or 0,
        )
    return {
        "id": topic.pk,
        "title": topic.title,
        "notes": topic.notes,
        "notes_version": topic.notes_version,
    }


@router.post(
    "/{int:retro_id}/topics/{int:topic_id}/votes",
    response={201: dict[str, Any], **errors(404, 409)},
    operation_id="learnloop_retros_api_vote_cast",
)
def vote_cast(request: AuthedHttpRequest, retro_id: int, topic_id: int) -> Status[dict[str, Any]]:
    retro = retro_or_404(request, retro_id)
    topic = _topic(retro, topic_id)
    assert topic is not None
    board_services.vote_cast(actor=request.user, retro=retro, topic=topic)
    board = board_state.board_for(retro=retro_or_404(request, retro_id), viewer=request.user)
    return Status(201, {"topic_id": topic.pk, "my_votes_left": board.my_votes_left})


@router.delete(
    "/{int:retro_id}/topics/{int:topic_id}/votes",
    response={204: None, **errors(404, 409)},
    operation_id="learnloop_retros_api_vote_retract",
)
def vote_retract(request: AuthedHttpRequest, retro_id: int, topic_id: int) -> Status[None]:
    retro = retro_or_404(request, retro_id)
    topic = _topic(retro, topic_id)
    assert topic is not None
    board_services.vote_retract(actor=request.user, retro=retro, topic=topic)
    return Status(204, None)


@router.post(
    "/{int:retro_id}/actions",
    response={201: RetroCreated, **errors(404, 409, 422)},
    operation_id="learnloop_retros_api_retro_action",
)
def retro_action(
    request: AuthedHttpRequest, retro_id: int, payload: RetroActionIn
) -> Status[dict[str, Any]]:
    retro = retro_or_404(request, retro_id)
    action = board_services.topic_action(
        actor=request.user,
        retro=retro,
        topic=_topic(retro, payload.topic_id),
        title=payload.title,
        owner=team_member(retro.team, payload.owner_id, "owner_id"),
        due_date=payload.due_date,
    )
    return Status(201, {"id": action.pk, "url": action.get_absolute_url()})


@router.post(
    "/{int:retro_id}/lessons",
    response={201: RetroCreated, **errors(404, 409, 422)},
    operation_id="learnloop_retros_api_retro_lesson",
)
def retro_lesson(
    request: AuthedHttpRequest, retro_id: int, payload: RetroLessonIn
) -> Status[dict[str, Any]]:
    retro = retro_or_404(request, retro_id)
    lesson = board_services.topic_lesson(
        actor=request.user,
        retro=retro,
        topic=_topic(retro, payload.topic_id),
        statement=payload.statement,
        context=payload.context,
    )
    return Status(201, {"id": lesson.pk, "url": reverse("lessons:detail", args=[lesson.pk])})
