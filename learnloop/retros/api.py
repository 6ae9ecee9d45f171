"""Retros API: formats, retros (create, read, settings with ``version``), phases and the
timer. The board, cards, grouping, votes, notes and what a topic produces are in
``api_board.py``, carry-over in ``api_carry.py``; both add their routes to this router.
"""

import datetime as dt
from typing import Any

from ninja import Field, Router, Schema
from ninja.responses import Status

from learnloop.accounts.http import AuthedHttpRequest
from learnloop.accounts.models import Team, User
from learnloop.accounts.visibility import team_ids_of
from learnloop.api.errors import errors
from learnloop.api.teams import member_team
from learnloop.api.types import BodyIn, JsonInt
from learnloop.core.errors import ApplicationError, NotFound
from learnloop.retros import meeting, selectors, services
from learnloop.retros.models import Retro, RetroFormat, link_model

router = Router(tags=["retros"])


class FormatOut(Schema):
    id: int
    name: str
    slug: str
    description: str
    columns: list[dict[str, str]]
    is_shipped: bool
    team_id: int | None
    version: int


class FormatCopyIn(BodyIn):
    team: JsonInt | str = Field(..., description="Team id or slug; you must be a member.")
    name: str = ""


class ColumnIn(BodyIn):
    title: str
    prompt: str = ""
    key: str | None = Field(None, description="Kept when given; made from the title otherwise.")


class FormatPatch(BodyIn):
    version: JsonInt
    name: str | None = None
    description: str | None = None
    columns: list[ColumnIn] | None = None


class RetroOut(Schema):
    id: int
    team: str = Field(..., alias="team.slug")
    title: str
    format_id: int | None
    columns: list[dict[str, str]]
    phase: str
    anonymity: str
    facilitator_id: int | None
    participant_ids: list[int]
    votes_per_person: int
    votes_per_topic: int
    meeting_at: dt.datetime | None
    timer_ends_at: dt.datetime | None
    incident_id: int | None
    review_id: int | None
    deliverable_id: int | None
    experiment_id: int | None
    state_version: int
    version: int
    created_at: dt.datetime
    url: str

    @staticmethod
    def resolve_participant_ids(obj: Retro) -> list[int]:
        return sorted(u.pk for u in obj.participants.all())

    @staticmethod
    def resolve_url(obj: Retro) -> str:
        return obj.get_absolute_url()


class RetroIn(BodyIn):
    team: JsonInt | str
    title: str
    format_id: JsonInt
    facilitator_id: JsonInt | None = None
    participant_ids: list[JsonInt] = []
    anonymity: str = Field("named", description="named, allowed or all")
    votes_per_person: JsonInt = 3
    votes_per_topic: JsonInt = 2
    meeting_at: str | None = Field(None, description="ISO date and time; sends invitations")
    incident_id: JsonInt | None = None
    review_id: JsonInt | None = None
    deliverable_id: JsonInt | None = None
    experiment_id: JsonInt | None = None


class RetroPatch(BodyIn):
    version: JsonInt
    title: str | None = None
    facilitator_id: JsonInt | None = None
    participant_ids: list[JsonInt] | None = None
    votes_per_person: JsonInt | None = None
    votes_per_topic: JsonInt | None = None
    deliverable_id: JsonInt | None = Field(
        None, description="One of the team's deliverables; null unlinks, absent keeps"
    )
    experiment_id: JsonInt | None = Field(
        None, description="One of the team's experiments; null unlinks, absent keeps"
    )
    incident_id: JsonInt | None = Field(
        None, description="One of the team's incidents; null unlinks, absent keeps"
    )


def _team_object(team: Team, kind: str, pk: int | None) -> Any:
    """The team's deliverable, experiment or incident ``pk`` (None stays None), else a field
    error that does not say whether another team has one with that id."""
    if pk is None:
        return None
    obj = link_model(kind).objects.filter(team=team, pk=pk).first()
    if obj is None:
        raise ApplicationError(f"Unknown {kind}.", fields={f"{kind}_id": ["Not your team's."]})
    return obj


class RetroPhaseIn(BodyIn):
    phase: str


class RetroTimerIn(BodyIn):
    minutes: JsonInt


def retro_or_404(request: AuthedHttpRequest, pk: int) -> Retro:
    """A retro of one of the caller's teams, else 404 (another team's is never named)."""
    retro = selectors.retro_get(user=request.user, pk=pk)
    if retro.team_id not in team_ids_of(request.user):
        raise NotFound()
    return retro


def team_member(team: Team, pk: int | None, field: str) -> User | None:
    """The member of ``team`` with this id (None stays None), else a 400 naming ``field``."""
    if pk is None:
        return None
    user: User | None = User.objects.filter(pk=pk, memberships__team=team).first()
    if user is None:
        raise ApplicationError(
            "Check the people.", fields={field: [f"Must be a member of {team.name}."]}
        )
    return user


# --- formats --------------------------------------------------------------------------------


@router.get("/formats", response={200: list[FormatOut], **errors()})
def format_list(request: AuthedHttpRequest) -> list[RetroFormat]:
    return list(selectors.formats_for(team_ids=team_ids_of(request.user)))


def _format(request: AuthedHttpRequest, pk: int) -> RetroFormat:
    fmt = selectors.formats_for(team_ids=team_ids_of(request.user)).filter(pk=pk).first()
    if fmt is None:
        raise NotFound()
    return fmt


@router.get("/formats/{int:format_id}", response={200: FormatOut, **errors(404)})
def format_detail(request: AuthedHttpRequest, format_id: int) -> RetroFormat:
    return _format(request, format_id)


@router.post("/formats/{int:format_id}/copy", response={201: FormatOut, **errors(404, 422)})
def format_copy(
    request: AuthedHttpRequest, format_id: int, payload: FormatCopyIn
) -> Status[RetroFormat]:
    source = _format(request, format_id)
    team = member_team(request.user, payload.team)
    return Status(
        201, services.format_copy(actor=request.user, team=team, source=source, name=payload.name)
    )


@router.patch(
    "/formats/{int:format_id}",
    response={200: FormatOut, **errors(403, 404, 422, conflict=True)},
)
def format_update(request: AuthedHttpRequest, format_id: int, payload: FormatPatch) -> RetroFormat:
    fmt = _format(request, format_id)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    changes = {k: v for k, v in data.items() if v is not None}
    return services.format_update(actor=request.user, fmt=fmt, version=version, **changes)


# --- retros ---------------------------------------------------------------------------------


@router.get("", response={200: list[RetroOut], **errors(422)})
def retro_list(request: AuthedHttpRequest, team: str | None = None) -> list[Retro]:
    team_obj = None
    if team:
        team_obj = Team.objects.filter(pk__in=team_ids_of(request.user), slug=team).first()
        if team_obj is None:
            return []
    qs = selectors.retro_list(user=request.user, team=team_obj)
    return list(
        qs.filter(team_id__in=team_ids_of(request.user)).prefetch_related("participants")[:100]
    )


@router.post("", response={201: RetroOut, **errors(404, 422)})
def retro_create(request: AuthedHttpRequest, payload: RetroIn) -> Status[Retro]:
    user = request.user
    team = member_team(user, payload.team)
    fmt = selectors.formats_for(team_ids=[team.pk]).filter(pk=payload.format_id).first()
    if fmt is None:
        raise ApplicationError(
            "Unknown format.", fields={"format_id": ["Not a format you can use."]}
        )
    review = None
    if payload.review_id is not None:
        from learnloop.reviews.models import Review

        review = Review.objects.filter(team=team, pk=payload.review_id).first()
        if review is None:
            raise ApplicationError("Unknown review.", fields={"review_id": ["Not your team's."]})
    participants = [team_member(team, pk, "participant_ids") for pk in payload.participant_ids]
    retro = services.retro_create(
        actor=user,
        team=team,
        title=payload.title,
        fmt=fmt,
        facilitator=team_member(team, payload.facilitator_id, "facilitator_id"),
        participants=[p for p in participants if p is not None],
        anonymity=payload.anonymity,
        votes_per_person=payload.votes_per_person,
        votes_per_topic=payload.votes_per_topic,
        incident=_team_object(team, "incident", payload.incident_id),
        review=review,
        deliverable=_team_object(team, "deliverable", payload.deliverable_id),
        experiment=_team_object(team, "experiment", payload.experiment_id),
    )
    if payload.meeting_at:
        meeting.retro_meeting_schedule(actor=user, retro=retro, meeting_at=payload.meeting_at)
    return Status(201, retro_or_404(request, retro.pk))


@router.get("/{int:retro_id}", response={200: RetroOut, **errors(404)})
def retro_detail(request: AuthedHttpRequest, retro_id: int) -> Retro:
    return retro_or_404(request, retro_id)


@router.patch("/{int:retro_id}", response={200: RetroOut, **errors(404, 422, conflict=True)})
def retro_update(request: AuthedHttpRequest, retro_id: int, payload: RetroPatch) -> Retro:
    retro = retro_or_404(request, retro_id)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    changes: dict[str, Any] = {}
    for key, value in data.items():
        if key in ("deliverable_id", "experiment_id", "incident_id"):
            # An explicit null unlinks; an absent field leaves the link as it is.
            changes[key[:-3]] = _team_object(retro.team, key[:-3], value)
        elif value is None:
            continue
        elif key == "facilitator_id":
            changes["facilitator"] = team_member(retro.team, value, key)
        elif key == "participant_ids":
            changes["participants"] = [team_member(retro.team, pk, key) for pk in value]
        else:
            changes[key] = value
    services.retro_update(actor=request.user, retro=retro, version=version, **changes)
    return retro_or_404(request, retro_id)


@router.post("/{int:retro_id}/phase", response={200: RetroOut, **errors(403, 404, 422)})
def retro_phase(request: AuthedHttpRequest, retro_id: int, payload: RetroPhaseIn) -> Retro:
    services.retro_set_phase(
        actor=request.user, retro=retro_or_404(request, retro_id), phase=payload.phase
    )
    return retro_or_404(request, retro_id)


@router.post("/{int:retro_id}/timer", response={200: RetroOut, **errors(403, 404, 422)})
def retro_timer(request: AuthedHttpRequest, retro_id: int, payload: RetroTimerIn) -> Retro:
    services.retro_set_timer(
        actor=request.user, retro=retro_or_404(request, retro_id), minutes=payload.minutes
    )
    return retro_or_404(request, retro_id)


# Their routes join this router, after the ones above (the order of the API document).
from learnloop.retros import api_board, api_carry  # noqa: E402, F401
