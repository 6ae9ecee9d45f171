"""Applause API: the reactions on one item, add one (409 if given already), withdraw one.
Kinds are the registered reactable kinds (``entry``, ``lesson``, ``review``); an item you cannot
see, or an unknown kind, is a 404."""

from django.http import HttpResponse
from ninja import Router, Schema
from ninja.responses import Status

from learnloop.accounts.http import AuthedHttpRequest
from learnloop.api.errors import errors
from learnloop.api.types import BodyIn
from learnloop.applause import selectors, services
from learnloop.core.errors import NotFound

router = Router(tags=["applause"])


class ReactionCount(Schema):
    emoji: str
    symbol: str
    count: int
    names: list[str]
    mine: bool


class ReactionIn(BodyIn):
    emoji: str


class ReactionOut(Schema):
    kind: str
    object_id: int
    emoji: str


def _bar(request: AuthedHttpRequest, kind: str, object_id: int) -> list[ReactionCount]:
    item = services.item_get(actor=request.user, kind=kind, object_id=object_id)
    bar = selectors.bars_for(user=request.user, kind=kind, ids=[item.pk])[item.pk]
    return [
        ReactionCount(emoji=r.emoji, symbol=r.symbol, count=r.count, names=r.names, mine=r.mine)
        for r in bar
    ]


@router.get("/{kind}/{int:object_id}", response={200: list[ReactionCount], **errors(404)})
def reaction_list(request: AuthedHttpRequest, kind: str, object_id: int) -> list[ReactionCount]:
    return _bar(request, kind, object_id)


@router.post("/{kind}/{int:object_id}", response={201: ReactionOut, **errors(404, 409, 422)})
def reaction_add(
    request: AuthedHttpRequest, kind: str, object_id: int, payload: ReactionIn
) -> Status[ReactionOut]:
    r = services.reaction_add(
        actor=request.user, kind=kind, object_id=object_id, emoji=payload.emoji
    )
    return Status(201, ReactionOut(kind=r.kind, object_id=r.object_id, emoji=r.emoji))


@router.delete("/{kind}/{int:object_id}/{emoji}", response={204: None, **errors(404)})
def reaction_remove(
    request: AuthedHttpRequest, kind: str, object_id: int, emoji: str
) -> HttpResponse:
    if not services.reaction_remove(
        actor=request.user, kind=kind, object_id=object_id, emoji=emoji
    ):
        raise NotFound("You have not given this reaction.")
    return HttpResponse(status=204)
