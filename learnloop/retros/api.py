"""Retros API: formats, retros, the board (the same blind rule as the page), cards, grouping,
votes, phases, notes, and the actions and lessons a retro produces.

An anonymous card's secret comes back once, in the answer to its creation; the client keeps
it and sends it to change or delete the card (body field ``secret`` or header
``X-Card-Secret``) or to see its own anonymous cards while collect runs (header
``X-Retro-Secrets: <id>~<secret>.<id>~<secret>``). Card writes are left out of the access log.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse
from ninja import Field, Router, Schema
from ninja.responses import Status

from learnloop.accounts.http import AuthedHttpRequest
from learnloop.accounts.models import Team, User
from learnloop.accounts.visibility import team_ids_of
from learnloop.api.errors import errors
from learnloop.api.types import JsonBool, JsonInt, SignedId
from learnloop.core.accesslog import leave_out_of_access_log
from learnloop.core.errors import ApplicationError, NotFound
from learnloop.core.validation import id_or_none, looks_like_id
from learnloop.retros import board as board_services
from learnloop.retros import live, meeting, selectors, services
from learnloop.retros.models import Card, Retro, RetroFormat, Topic

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


class FormatCopyIn(Schema):
    team: JsonInt | str = Field(..., description="Team id or slug; you must be a member.")
    name: str = ""


class FormatPatch(Schema):
    version: JsonInt
    name: str | None = None
    description: str | None = None
    columns: list[dict[str, Any]] | None = Field(None, description='[{"title", "prompt"}]')


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


class RetroIn(Schema):
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


class RetroPatch(Schema):
    version: JsonInt
    title: str | None = None
    facilitator_id: JsonInt | None = None
    participant_ids: list[JsonInt] | None = None
    votes_per_person: JsonInt | None = None
    votes_per_topic: JsonInt | None = None
    deliverable_id: JsonInt | None = Field(None, description="One of the team's deliverables")
    experiment_id: JsonInt | None = Field(None, description="One of the team's experiments")
    incident_id: JsonInt | None = Field(None, description="One of the team's incidents")


def _team_object(team: Team, kind: str, pk: int | None) -> Any:
    """The team's deliverable, experiment or incident ``pk`` (None stays None), else a field
    error that does not say whether another team has one with that id."""
    if pk is None:
        return None
    from learnloop.debriefs.models import Deliverable
    from learnloop.experiments.models import Experiment
    from learnloop.incidents.models import Incident

    models: dict[str, Any] = {
        "deliverable": Deliverable,
        "experiment": Experiment,
        "incident": Incident,
    }
    obj = models[kind].objects.filter(team=team, pk=pk).first()
    if obj is None:
        raise ApplicationError(f"Unknown {kind}.", fields={f"{kind}_id": ["Not your team's."]})
    return obj


class RetroPhaseIn(Schema):
    phase: str


class RetroTimerIn(Schema):
    minutes: JsonInt


class CardIn(Schema):
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


class CardPatch(Schema):
    text: str
    version: JsonInt
    secret: str | None = None


class CardGroupIn(Schema):
    topic: JsonInt | str | None = Field(None, description='A topic id, "new", or null (alone)')


class TopicPatch(Schema):
    title: str | None = None
    notes: str | None = None
    notes_version: JsonInt | None = None


class RetroActionIn(Schema):
    title: str
    topic_id: JsonInt | None = None
    owner_id: JsonInt | None = None
    due_date: str | None = None


class RetroLessonIn(Schema):
    statement: str
    topic_id: JsonInt | None = None
    context: str = ""


class RetroCreated(Schema):
    id: int
    url: str


def _retro(request: AuthedHttpRequest, pk: int) -> Retro:
    retro = selectors.retro_get(user=request.user, pk=pk)
    if retro.team_id not in team_ids_of(request.user):
        raise NotFound()
    return retro


def _member_team(user: User, ref: int | str) -> Team:
    qs = Team.objects.filter(pk__in=team_ids_of(user))
    team = (
        qs.filter(pk=id_or_none(ref) or 0).first()
        if looks_like_id(ref)
        else qs.filter(slug=str(ref)).first()
    )
    if team is None:
        raise ApplicationError("Unknown team.", fields={"team": ["No team of yours."]})
    return team


def _member(team: Team, pk: int | None, field: str) -> User | None:
    if pk is None:
        return None
    user: User | None = User.objects.filter(pk=pk, memberships__team=team).first()
    if user is None:
        raise ApplicationError(
            "Check the people.", fields={field: [f"Must be a member of {team.name}."]}
        )
    return user


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
    team = _member_team(request.user, payload.team)
    return Status(
        201, services.format_copy(actor=request.user, team=team, source=source, name=payload.name)
    )


@router.patch(
    "/formats/{int:format_id}", response={200: FormatOut, **errors(404, 422, conflict=True)}
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
    team = _member_team(user, payload.team)
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
    participants = [_member(team, pk, "participant_ids") for pk in payload.participant_ids]
    retro = services.retro_create(
        actor=user,
        team=team,
        title=payload.title,
        fmt=fmt,
        facilitator=_member(team, payload.facilitator_id, "facilitator_id"),
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
    return Status(201, _retro(request, retro.pk))


@router.get("/{int:retro_id}", response={200: RetroOut, **errors(404)})
def retro_detail(request: AuthedHttpRequest, retro_id: int) -> Retro:
    return _retro(request, retro_id)


@router.patch("/{int:retro_id}", response={200: RetroOut, **errors(404, 422, conflict=True)})
def retro_update(request: AuthedHttpRequest, retro_id: int, payload: RetroPatch) -> Retro:
    retro = _retro(request, retro_id)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    changes: dict[str, Any] = {}
    for key, value in data.items():
        if value is None:
            continue
        if key == "facilitator_id":
            changes["facilitator"] = _member(retro.team, value, key)
        elif key == "participant_ids":
            changes["participants"] = [_member(retro.team, pk, key) for pk in value]
        elif key in ("deliverable_id", "experiment_id", "incident_id"):
            changes[key[:-3]] = _team_object(retro.team, key[:-3], value)
        else:
            changes[key] = value
    services.retro_update(actor=request.user, retro=retro, version=version, **changes)
    return _retro(request, retro_id)


@router.post("/{int:retro_id}/phase", response={200: RetroOut, **errors(403, 404, 422)})
def retro_phase(request: AuthedHttpRequest, retro_id: int, payload: RetroPhaseIn) -> Retro:
    services.retro_set_phase(
        actor=request.user, retro=_retro(request, retro_id), phase=payload.phase
    )
    return _retro(request, retro_id)


@router.post("/{int:retro_id}/timer", response={200: RetroOut, **errors(403, 404, 422)})
def retro_timer(request: AuthedHttpRequest, retro_id: int, payload: RetroTimerIn) -> Retro:
    services.retro_set_timer(
        actor=request.user, retro=_retro(request, retro_id), minutes=payload.minutes
    )
    return _retro(request, retro_id)


@router.get("/{int:retro_id}/board", response={200: dict[str, Any], **errors(404)})
def retro_board(request: AuthedHttpRequest, retro_id: int) -> dict[str, Any]:
    """The board as you may see it: before reveal, only your own cards."""
    retro = _retro(request, retro_id)
    board = selectors.board_for(retro=retro, viewer=request.user, secrets=_header_secrets(request))
    return selectors.board_json(board)


# --- cards, topics, votes -------------------------------------------------------------------


@router.post("/{int:retro_id}/cards", response={201: CardOut, **errors(404, 409, 422, 429)})
def card_write(
    request: AuthedHttpRequest, retro_id: int, payload: CardIn
) -> Status[dict[str, Any]]:
    leave_out_of_access_log(request)
    card, secret = services.card_write(
        actor=request.user,
        retro=_retro(request, retro_id),
        column=payload.column,
        text=payload.text,
        anonymous=payload.anonymous,
    )
    return Status(201, _card_out(card, secret))


def _card_out(card: Card, secret: str | None = None) -> dict[str, Any]:
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


@router.get("/{int:retro_id}/cards/{card_id}", response={200: CardOut, **errors(404, 422)})
def card_detail(request: AuthedHttpRequest, retro_id: int, card_id: SignedId) -> dict[str, Any]:
    """A card you may see now (before reveal: only your own)."""
    retro = _retro(request, retro_id)
    board = selectors.board_for(retro=retro, viewer=request.user, secrets=_header_secrets(request))
    card = next((c for _, cards in board.columns for c in cards if c.pk == card_id), None)
    if card is None:
        raise NotFound()
    return _card_out(card)


@router.patch(
    "/{int:retro_id}/cards/{card_id}", response={200: CardOut, **errors(403, 404, 409, 422)}
)
def card_edit(
    request: AuthedHttpRequest, retro_id: int, card_id: SignedId, payload: CardPatch
) -> dict[str, Any]:
    leave_out_of_access_log(request)
    card = _card(_retro(request, retro_id), card_id)
    services.card_edit(
        actor=request.user,
        card=card,
        text=payload.text,
        version=payload.version,
        secret=_writer_secret(request, payload.secret),
    )
    return _card_out(card)


@router.delete(
    "/{int:retro_id}/cards/{card_id}", response={204: None, **errors(403, 404, 409, 422)}
)
def card_delete(request: AuthedHttpRequest, retro_id: int, card_id: SignedId) -> Status[None]:
    leave_out_of_access_log(request)
    card = _card(_retro(request, retro_id), card_id)
    services.card_delete(actor=request.user, card=card, secret=_writer_secret(request, None))
    return Status(204, None)


@router.post(
    "/{int:retro_id}/cards/{card_id}/group", response={200: dict[str, Any], **errors(404, 409, 422)}
)
def card_group(
    request: AuthedHttpRequest, retro_id: int, card_id: SignedId, payload: CardGroupIn
) -> dict[str, Any]:
    retro = _retro(request, retro_id)
    card = board_services.card_group(
        actor=request.user,
        retro=retro,
        card=_card(retro, card_id),
        target=str(payload.topic) if payload.topic is not None else None,
    )
    return {"card_id": card.pk, "topic_id": card.topic_id}


@router.patch(
    "/{int:retro_id}/topics/{int:topic_id}", response={200: dict[str, Any], **errors(404, 409, 422)}
)
def topic_update(
    request: AuthedHttpRequest, retro_id: int, topic_id: int, payload: TopicPatch
) -> dict[str, Any]:
    retro = _retro(request, retro_id)
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
)
def vote_cast(request: AuthedHttpRequest, retro_id: int, topic_id: int) -> Status[dict[str, Any]]:
    retro = _retro(request, retro_id)
    topic = _topic(retro, topic_id)
    assert topic is not None
    board_services.vote_cast(actor=request.user, retro=retro, topic=topic)
    board = selectors.board_for(retro=_retro(request, retro_id), viewer=request.user)
    return Status(201, {"topic_id": topic.pk, "my_votes_left": board.my_votes_left})


@router.delete(
    "/{int:retro_id}/topics/{int:topic_id}/votes", response={204: None, **errors(404, 409)}
)
def vote_retract(request: AuthedHttpRequest, retro_id: int, topic_id: int) -> Status[None]:
    retro = _retro(request, retro_id)
    topic = _topic(retro, topic_id)
    assert topic is not None
    board_services.vote_retract(actor=request.user, retro=retro, topic=topic)
    return Status(204, None)


@router.post("/{int:retro_id}/actions", response={201: RetroCreated, **errors(404, 409, 422)})
def retro_action(
    request: AuthedHttpRequest, retro_id: int, payload: RetroActionIn
) -> Status[dict[str, Any]]:
    retro = _retro(request, retro_id)
    action = board_services.topic_action(
        actor=request.user,
        retro=retro,
        topic=_topic(retro, payload.topic_id),
        title=payload.title,
        owner=_member(retro.team, payload.owner_id, "owner_id"),
        due_date=payload.due_date,
    )
    return Status(201, {"id": action.pk, "url": action.get_absolute_url()})


@router.post("/{int:retro_id}/lessons", response={201: RetroCreated, **errors(404, 409, 422)})
def retro_lesson(
    request: AuthedHttpRequest, retro_id: int, payload: RetroLessonIn
) -> Status[dict[str, Any]]:
    retro = _retro(request, retro_id)
    lesson = board_services.topic_lesson(
        actor=request.user,
        retro=retro,
        topic=_topic(retro, payload.topic_id),
        statement=payload.statement,
        context=payload.context,
    )
    return Status(201, {"id": lesson.pk, "url": reverse("lessons:detail", args=[lesson.pk])})


from learnloop.retros import api_carry  # noqa: E402, F401 - its routes join this router
