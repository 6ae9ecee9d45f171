from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from learnloop.accounts import profile_and_renames, services
from learnloop.accounts.http import AuthedHttpRequest
from learnloop.accounts.models import Invitation, Membership, Team
from learnloop.accounts.visibility import can_manage_team, teams_visible_to
from learnloop.api.errors import errors
from learnloop.api.pagination import Pagination
from learnloop.api.types import BodyIn
from learnloop.core.errors import NotFound

router = Router(tags=["accounts"])


class MeOut(Schema):
    id: int
    email: str
    name: str
    organisation: str | None
    is_org_admin: bool
    teams: list[str]
    display_name: str
    time_zone: str


class MeIn(BodyIn):
    display_name: str | None = None
    time_zone: str | None = None


class TeamOut(Schema):
    id: int
    slug: str
    name: str
    description: str


class TeamIn(BodyIn):
    name: str
    description: str = ""


class MemberOut(Schema):
    id: int
    user_id: int
    name: str
    email: str
    role: str


class InvitationIn(BodyIn):
    email: str
    role: str = "member"


class InvitationOut(Schema):
    id: int
    email: str
    role: str
    status: str
    expires_at: str


@router.get("/me", response={200: MeOut, **errors()})
def me(request: AuthedHttpRequest) -> dict[str, Any]:
    user = request.user
    return {
        "id": user.pk,
        "email": user.email,
        "name": user.name,
        "organisation": user.organisation.name if user.organisation_id else None,
        "is_org_admin": user.is_org_admin,
        "teams": list(user.teams.values_list("slug", flat=True)),
        "display_name": user.display_name,
        "time_zone": user.time_zone,
    }


@router.patch("/me", response={200: MeOut, **errors(400, 422)})
def me_update(request: AuthedHttpRequest, payload: MeIn) -> dict[str, Any]:
    """Change your display name and/or time zone (a zoneinfo name; "" for the server's)."""
    user = request.user
    profile_and_renames.profile_update(
        user=user,
        display_name=user.display_name if payload.display_name is None else payload.display_name,
        time_zone=user.time_zone if payload.time_zone is None else payload.time_zone,
    )
    return me(request)


@router.get("/teams", response={200: list[TeamOut], **errors(422)})
@paginate(Pagination)
def team_list(request: AuthedHttpRequest) -> QuerySet[Team]:
    return teams_visible_to(request.user).order_by("name")


@router.post("/teams", response={201: TeamOut, **errors(400, 403, 422)})
def team_create(request: AuthedHttpRequest, payload: TeamIn) -> Status[Team]:
    return Status(
        201,
        services.team_create(
            actor=request.user, name=payload.name, description=payload.description
        ),
    )


def _team(request: AuthedHttpRequest, slug: str) -> Team:
    return get_object_or_404(teams_visible_to(request.user), slug=slug)


@router.get("/teams/{slug}", response={200: TeamOut, **errors(404)})
def team_detail(request: AuthedHttpRequest, slug: str) -> Team:
    return _team(request, slug)


@router.get("/teams/{slug}/members", response={200: list[MemberOut], **errors(404, 422)})
@paginate(Pagination)
def member_list(request: AuthedHttpRequest, slug: str) -> list[dict[str, Any]]:
    team = _team(request, slug)
    return [
        {
            "id": m.pk,
            "user_id": m.user_id,
            "name": m.user.name,
            "email": m.user.email,
            "role": m.role,
        }
        for m in Membership.objects.filter(team=team).select_related("user")
    ]


@router.post("/teams/{slug}/invitations", response={201: InvitationOut, **errors(400, 404, 422)})
def invitation_create(
    request: AuthedHttpRequest, slug: str, payload: InvitationIn
) -> Status[dict[str, Any]]:
    team = _team(request, slug)
    if not can_manage_team(request.user, team):
        raise NotFound()
    invitation, _ = services.invitation_create(
        actor=request.user, team=team, email=payload.email, role=payload.role
    )
    return Status(201, _invitation_out(invitation))


@router.get("/teams/{slug}/invitations", response={200: list[InvitationOut], **errors(404)})
def invitation_list(request: AuthedHttpRequest, slug: str) -> list[dict[str, Any]]:
    team = _team(request, slug)
    if not can_manage_team(request.user, team):
        raise NotFound()
    return [_invitation_out(i) for i in team.invitations.all()[:200]]


def _invitation_out(invitation: Invitation) -> dict[str, Any]:
    return {
        "id": invitation.pk,
        "email": invitation.email,
        "role": invitation.role,
        "status": invitation.status,
        "expires_at": invitation.expires_at.isoformat(),
    }
