"""Chat API: the organisation's Slack settings (organisation admins; the signing secret is
written, never read) and the person's own Slack link."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Router, Schema
from ninja.responses import Status

from learnloop.accounts.http import AuthedHttpRequest
from learnloop.accounts.models import Team
from learnloop.api.errors import errors
from learnloop.api.types import BodyIn, JsonInt
from learnloop.chat import services
from learnloop.chat.models import SlackLink, SlackWorkspace
from learnloop.chat.selectors import workspace_of
from learnloop.core.errors import ApplicationError, NotFound

router = Router(tags=["chat"])


class WorkspaceOut(Schema):
    slack_team_id: str
    default_team_id: int | None
    version: int
    updated_at: dt.datetime


class WorkspaceIn(BodyIn):
    slack_team_id: str
    signing_secret: str = Field("", description="Required the first time; empty keeps it")
    default_team_id: JsonInt | None = None
    version: JsonInt | None = Field(None, description="The version you read (when changing)")


class LinkOut(Schema):
    slack_user_id: str
    slack_team_id: str = Field(..., alias="workspace.slack_team_id")
    created_at: dt.datetime


def _workspace(request: AuthedHttpRequest) -> SlackWorkspace:
    workspace = workspace_of(request.user)
    if not request.user.is_org_admin or workspace is None:
        raise NotFound()
    return workspace


@router.get("/slack", response={200: WorkspaceOut, **errors(404)})
def workspace_detail(request: AuthedHttpRequest) -> SlackWorkspace:
    return _workspace(request)


@router.put("/slack", response={200: WorkspaceOut, **errors(404, 422, conflict=True)})
def workspace_put(request: AuthedHttpRequest, payload: WorkspaceIn) -> SlackWorkspace:
    team = None
    if payload.default_team_id is not None:
        team = Team.objects.filter(
            pk=payload.default_team_id, organisation__users=request.user
        ).first()
        if team is None:
            raise ApplicationError(
                "Unknown team.", fields={"default_team_id": ["Choose a team of the organisation."]}
            )
    return services.workspace_save(
        actor=request.user,
        version=payload.version,
        slack_team_id=payload.slack_team_id,
        signing_secret=payload.signing_secret,
        default_team=team,
    )


@router.delete("/slack", response={204: None, **errors(404)})
def workspace_delete(request: AuthedHttpRequest) -> Status[None]:
    _workspace(request)
    services.workspace_delete(actor=request.user)
    return Status(204, None)


@router.get("/link", response={200: LinkOut, **errors(404)})
def link_detail(request: AuthedHttpRequest) -> SlackLink:
    link = SlackLink.objects.filter(user=request.user).select_related("workspace").first()
    if link is None:
        raise NotFound()
    return link


@router.delete("/link", response={204: None, **errors(404)})
def link_delete(request: AuthedHttpRequest) -> Status[None]:
    if not services.link_delete(actor=request.user):
        raise NotFound()
    return Status(204, None)
