"""Debriefs API: deliverables (list, create, read, PATCH with ``version``, close, reopen) and
their entries (list, add, PATCH by the author with ``version``, delete). Thin: ids resolve through
the visibility rule, writes call debriefs.services."""

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.http import HttpResponse
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from learnloop.accounts.http import AuthedHttpRequest
from learnloop.accounts.models import Team
from learnloop.accounts.visibility import get_visible_or_404, team_ids_of, teams_visible_to
from learnloop.api.errors import errors
from learnloop.api.pagination import Pagination
from learnloop.api.teams import member_team
from learnloop.api.types import BodyIn, JsonInt
from learnloop.core.errors import NotFound, PermissionDenied
from learnloop.core.validation import id_or_none
from learnloop.debriefs import closing, nudges, selectors, services, spread
from learnloop.debriefs.models import DebriefEntry, Deliverable

router = Router(tags=["debriefs"])


class DeliverableOut(Schema):
    id: int
    team: str = Field(..., alias="team.slug")
    team_id: int
    title: str
    description: str
    owner_id: int | None
    collaborator_ids: list[int]
    status: str
    start_date: dt.date | None
    target_date: dt.date | None
    external_url: str
    visibility: str
    closed_at: dt.datetime | None
    version: int
    created_at: dt.datetime
    updated_at: dt.datetime
    url: str

    @staticmethod
    def resolve_collaborator_ids(obj: Deliverable) -> list[int]:
        return sorted(u.pk for u in obj.collaborators.all())

    @staticmethod
    def resolve_url(obj: Deliverable) -> str:
        return obj.get_absolute_url()


class DeliverableIn(BodyIn):
    team: JsonInt | str = Field(..., description="Team id or slug; you must be a member.")
    title: str
    description: str = ""
    owner_id: JsonInt | None = Field(None, description="Default: you.")
    collaborator_ids: list[JsonInt] = Field(default_factory=list)
    start_date: str | None = Field(None, description="YYYY-MM-DD")
    target_date: str | None = Field(None, description="YYYY-MM-DD")
    external_url: str = ""
    visibility: str = "team"


class DeliverablePatch(BodyIn):
    version: JsonInt = Field(..., description="The version you read; a stale one answers 409.")
    title: str | None = None
    description: str | None = None
    owner_id: JsonInt | None = None
    collaborator_ids: list[JsonInt] | None = None
    start_date: str | None = None
    target_date: str | None = None
    external_url: str | None = None
    visibility: str | None = None


class DeliverableFilters(Schema):
    team: str | None = Field(None, description="Team id or slug")
    status: str | None = Field(None, description="active or closed")
    mine: bool | None = Field(None, description="Only the ones you own or are on")


class EntryOut(Schema):
    id: int
    deliverable_id: int
    kind: str
    text: str
    link: str
    author_id: int | None
    author_name: str | None
    version: int
    created_at: dt.datetime
    updated_at: dt.datetime
    url: str

    @staticmethod
    def resolve_author_name(obj: DebriefEntry) -> str | None:
        return obj.author.name if obj.author is not None else None

    @staticmethod
    def resolve_url(obj: DebriefEntry) -> str:
        return obj.get_absolute_url()


class EntryIn(BodyIn):
    kind: str = Field(..., description="win, opportunity or lesson")
    text: str
    link: str = ""


class EntryPatch(BodyIn):
    version: JsonInt = Field(..., description="The version you read; a stale one answers 409.")
    kind: str | None = None
    text: str | None = None
    link: str | None = None


def _get(request: AuthedHttpRequest, pk: int) -> Deliverable:
    return get_visible_or_404(selectors.deliverable_detail_qs(), request.user, pk=pk)


def _get_entry(request: AuthedHttpRequest, pk: int) -> DebriefEntry:
    return get_visible_or_404(
        DebriefEntry.objects.select_related("deliverable", "team", "author"), request.user, pk=pk
    )


@router.get("/deliverables", response={200: list[DeliverableOut], **errors(400, 422)})
@paginate(Pagination)
def deliverable_list(
    request: AuthedHttpRequest,
    filters: Query[DeliverableFilters],
) -> QuerySet[Deliverable]:
    team = None
    if filters.team:
        teams = Team.objects.filter(organisation_id=request.user.organisation_id or 0)
        pk = id_or_none(filters.team)
        team = (teams.filter(pk=pk) if pk is not None else teams.filter(slug=filters.team)).first()
        if team is None:
            return Deliverable.objects.none()
    return selectors.deliverable_list(
        user=request.user, team=team, status=filters.status, mine=bool(filters.mine)
    ).prefetch_related("collaborators")


@router.post("/deliverables", response={201: DeliverableOut, **errors(400, 422)})
def deliverable_create(request: AuthedHttpRequest, payload: DeliverableIn) -> Status[Deliverable]:
    team = member_team(request.user, payload.team)
    deliverable = services.deliverable_create(
        actor=request.user,
        team=team,
        title=payload.title,
        description=payload.description,
        owner=payload.owner_id,
        collaborators=payload.collaborator_ids,
        start_date=payload.start_date,
        target_date=payload.target_date,
        external_url=payload.external_url,
        visibility=payload.visibility,
    )
    return Status(201, _get(request, deliverable.pk))


@router.get("/deliverables/{int:deliverable_id}", response={200: DeliverableOut, **errors(404)})
def deliverable_detail(request: AuthedHttpRequest, deliverable_id: int) -> Deliverable:
    return _get(request, deliverable_id)


@router.patch(
    "/deliverables/{int:deliverable_id}",
    response={200: DeliverableOut, **errors(403, 404, 422, conflict=True)},
)
def deliverable_update(
    request: AuthedHttpRequest, deliverable_id: int, payload: DeliverablePatch
) -> Deliverable:
    deliverable = _get(request, deliverable_id)
    if deliverable.team_id not in team_ids_of(request.user):
        raise NotFound()
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    changes: dict[str, Any] = {}
    for key, value in data.items():
        if key == "owner_id":
            changes["owner"] = value
        elif key == "collaborator_ids":
            changes["collaborators"] = value or []
        elif value is not None or key in ("start_date", "target_date"):
            changes[key] = value
    services.deliverable_update(
        actor=request.user, deliverable=deliverable, version=version, **changes
    )
    return _get(request, deliverable_id)


def _set_status(request: AuthedHttpRequest, deliverable_id: int, status: str) -> Deliverable:
    deliverable = _get(request, deliverable_id)
    services.deliverable_set_status(actor=request.user, deliverable=deliverable, status=status)
    return _get(request, deliverable_id)


class CloseIn(BodyIn):
    promote: list[JsonInt] = Field(
        default_factory=list,
        description="Ids of this deliverable's lesson-learned or opportunity entries that "
        "become library lessons (source debrief).",
    )


@router.post(
    "/deliverables/{int:deliverable_id}/close",
    response={200: DeliverableOut, **errors(403, 404, 422)},
)
def deliverable_close(
    request: AuthedHttpRequest, deliverable_id: int, payload: CloseIn
) -> Deliverable:
    closing.deliverable_close(
        actor=request.user, deliverable=_get(request, deliverable_id), promote=payload.promote
    )
    return _get(request, deliverable_id)


@router.post(
    "/deliverables/{int:deliverable_id}/reopen",
    response={200: DeliverableOut, **errors(403, 404)},
)
def deliverable_reopen(request: AuthedHttpRequest, deliverable_id: int) -> Deliverable:
    return _set_status(request, deliverable_id, Deliverable.Status.ACTIVE)


@router.get(
    "/deliverables/{int:deliverable_id}/entries",
    response={200: list[EntryOut], **errors(404, 422)},
)
@paginate(Pagination)
def entry_list(request: AuthedHttpRequest, deliverable_id: int) -> QuerySet[DebriefEntry]:
    return selectors.entries_of(deliverable=_get(request, deliverable_id))


@router.post(
    "/deliverables/{int:deliverable_id}/entries",
    response={201: EntryOut, **errors(403, 404, 422)},
)
def entry_create(
    request: AuthedHttpRequest, deliverable_id: int, payload: EntryIn
) -> Status[DebriefEntry]:
    entry = services.entry_create(
        actor=request.user,
        deliverable=_get(request, deliverable_id),
        kind=payload.kind,
        text=payload.text,
        link=payload.link,
    )
    return Status(201, _get_entry(request, entry.pk))


@router.get("/entries/{int:entry_id}", response={200: EntryOut, **errors(404)})
def entry_detail(request: AuthedHttpRequest, entry_id: int) -> DebriefEntry:
    return _get_entry(request, entry_id)


@router.patch(
    "/entries/{int:entry_id}", response={200: EntryOut, **errors(403, 404, 422, conflict=True)}
)
def entry_update(request: AuthedHttpRequest, entry_id: int, payload: EntryPatch) -> DebriefEntry:
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    changes = {k: v for k, v in data.items() if v is not None}
    services.entry_update(
        actor=request.user, entry=_get_entry(request, entry_id), version=version, **changes
    )
    return _get_entry(request, entry_id)


@router.delete("/entries/{int:entry_id}", response={204: None, **errors(403, 404)})
def entry_delete(request: AuthedHttpRequest, entry_id: int) -> HttpResponse:
    services.entry_delete(actor=request.user, entry=_get_entry(request, entry_id))
    return HttpResponse(status=204)


class NumbersOut(Schema):
    received: int
    given: int
    entries: int


class TeamSpreadOut(Schema):
    members: int
    gini: float | None
    enough_people: bool
    unrecognised: list[str] = Field(..., description="Names, alphabetically; never ranked.")


class SpreadOut(Schema):
    team_slug: str
    days: int
    mine: NumbersOut
    team: TeamSpreadOut | None = Field(
        None, description="The team's spread, for its admins and facilitators only."
    )


class SpreadFilters(Schema):
    team: str | None = Field(None, description="Team slug (default: your first team)")
    days: int = Field(spread.DEFAULT_DAYS, description="30, 90 or 365")


@router.get("/spread", response={200: SpreadOut, **errors(404, 422)})
def spread_detail(request: AuthedHttpRequest, filters: Query[SpreadFilters]) -> SpreadOut:
    user = request.user
    teams = Team.objects.filter(pk__in=team_ids_of(user)).order_by("name")
    team = teams.filter(slug=filters.team).first() if filters.team else teams.first()
    if team is None:
        raise NotFound()
    start, end = spread.period(filters.days)
    days = filters.days if filters.days in spread.PERIODS else spread.DEFAULT_DAYS
    mine = spread.my_numbers(user=user, team=team, start=start, end=end)
    out = SpreadOut(
        team_slug=team.slug,
        days=days,
        mine=NumbersOut(received=mine.received, given=mine.given, entries=mine.entries),
        team=None,
    )
    if spread.can_see_spread(user, team):
        s = spread.team_spread(team=team, start=start, end=end)
        out.team = TeamSpreadOut(
            members=s.members,
            gini=s.gini,
            enough_people=s.enough_people,
            unrecognised=s.unrecognised,
        )
    return out


class TrendOut(Schema):
    team_slug: str
    enough_people: bool
    months: list[str]
    gini: list[float | None]


@router.get("/spread/organisation", response={200: list[TrendOut], **errors(403)})
def spread_organisation(request: AuthedHttpRequest) -> list[TrendOut]:
    """The Gini of applause received per team and month: organisation admins only."""
    user = request.user
    if not user.is_org_admin or user.organisation_id is None:
        raise PermissionDenied("Only organisation admins see the spread per team.")
    labels, trends = spread.organisation_trend(organisation_id=user.organisation_id)
    return [
        TrendOut(
            team_slug=t.team.slug,
            enough_people=t.enough_people,
            months=labels,
            gini=[value for _, value in t.points],
        )
        for t in trends
    ]


class NudgeIn(BodyIn):
    days: JsonInt = Field(..., description="Days without an entry before a nudge; 0 = off.")
    version: JsonInt = Field(..., description="The team's version you read (409 if stale).")


class NudgeOut(Schema):
    team_slug: str
    days: int
    version: int


@router.get("/teams/{slug}/nudge", response={200: NudgeOut, **errors(404)})
def nudge_detail(request: AuthedHttpRequest, slug: str) -> NudgeOut:
    team = _team_for_settings(request, slug)
    return NudgeOut(team_slug=team.slug, days=nudges.nudge_days(team), version=team.version)


@router.put("/teams/{slug}/nudge", response={200: NudgeOut, **errors(403, 404, 422, conflict=True)})
def nudge_update(request: AuthedHttpRequest, slug: str, payload: NudgeIn) -> NudgeOut:
    team = nudges.nudge_days_set(
        actor=request.user,
        team=_team_for_settings(request, slug),
        days=payload.days,
        version=payload.version,
    )
    return NudgeOut(team_slug=team.slug, days=nudges.nudge_days(team), version=team.version)


def _team_for_settings(request: AuthedHttpRequest, slug: str) -> Team:
    """A team of the person's own (organisation admins: any of the organisation's)."""
    team = teams_visible_to(request.user).filter(slug=slug).first()
    if team is None:
        raise NotFound()
    return team
