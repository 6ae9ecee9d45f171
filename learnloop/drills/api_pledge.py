"""Leaders' pledge API: read the pledges shown to you (with history), write a new version,
sign the current one."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Field, Router, Schema
from ninja.responses import Status

from learnloop.accounts.http import AuthedHttpRequest
from learnloop.accounts.models import Team
from learnloop.api.errors import errors
from learnloop.api.types import BodyIn, JsonInt
from learnloop.core.errors import NotFound
from learnloop.drills import pledge as pledges
from learnloop.drills.models import Pledge

router = Router(tags=["pledges"])


class SignatureOut(Schema):
    name: str
    signed_on: dt.date


class VersionOut(Schema):
    number: int
    text: str
    written_by_name: str
    written_at: dt.datetime
    signatures: list[SignatureOut]

    @staticmethod
    def resolve_signatures(obj: Any) -> list[Any]:
        return list(obj.signatures.all())


class PledgeOut(Schema):
    id: int
    team: str | None = Field(description="The team's slug; null for the organisation's pledge.")
    version: int
    versions: list[VersionOut] = Field(description="Newest first; the first is the current.")


class PledgeIn(BodyIn):
    text: str
    version: JsonInt | None = Field(None, description="The version you read (not for the first).")


def _out(pledge: Pledge) -> dict[str, Any]:
    return {
        "id": pledge.pk,
        "team": pledge.team.slug if pledge.team_id and pledge.team else None,
        "version": pledge.version,
        "versions": pledges.history(pledge),
    }


def _team(request: AuthedHttpRequest, slug: str) -> Team:
    team = Team.objects.filter(organisation_id=request.user.organisation_id or 0, slug=slug).first()
    if team is None:
        raise NotFound()
    return team


@router.get("", response={200: list[PledgeOut], **errors()})
def pledge_list(request: AuthedHttpRequest) -> list[dict[str, Any]]:
    return [_out(v.pledge) for v in pledges.pledges_shown_to(request.user)]


@router.get("/organisation", response={200: PledgeOut, **errors(404)})
def pledge_organisation(request: AuthedHttpRequest) -> dict[str, Any]:
    found = pledges.pledge_for(organisation_id=request.user.organisation_id or 0, team=None)
    if found is None:
        raise NotFound()
    return _out(found)


@router.get("/teams/{slug}", response={200: PledgeOut, **errors(404)})
def pledge_team(request: AuthedHttpRequest, slug: str) -> dict[str, Any]:
    found = pledges.pledge_for(
        organisation_id=request.user.organisation_id or 0, team=_team(request, slug)
    )
    if found is None:
        raise NotFound()
    return _out(found)


@router.put("/organisation", response={200: PledgeOut, **errors(403, 409, 422)})
def pledge_write_organisation(request: AuthedHttpRequest, payload: PledgeIn) -> dict[str, Any]:
    return _out(
        pledges.pledge_write(
            actor=request.user, team=None, text=payload.text, version=payload.version
        )
    )


@router.put("/teams/{slug}", response={200: PledgeOut, **errors(403, 404, 409, 422)})
def pledge_write_team(request: AuthedHttpRequest, slug: str, payload: PledgeIn) -> dict[str, Any]:
    team = _team(request, slug)
    return _out(
        pledges.pledge_write(
            actor=request.user, team=team, text=payload.text, version=payload.version
        )
    )


@router.post("/{int:pledge_id}/sign", response={201: PledgeOut, **errors(403, 404)})
def pledge_sign(request: AuthedHttpRequest, pledge_id: int) -> Status[dict[str, Any]]:
    pledge = Pledge.objects.filter(
        pk=pledge_id, organisation_id=request.user.organisation_id or 0
    ).first()
    if pledge is None:
        raise NotFound()
    pledges.pledge_sign(actor=request.user, pledge=pledge)
    return Status(201, _out(pledge))
