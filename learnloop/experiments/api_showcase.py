"""Experiments API: the monthly showcase (list, set up, read with its agenda, settings with
``version``, bring up to date, add / move / mark / remove items). Applause on items goes
through ``/api/applause`` with kind ``showcase_item``."""

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.http import HttpResponse
from ninja import Field, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from learnloop.accounts.http import AuthedHttpRequest
from learnloop.accounts.models import Team, User
from learnloop.accounts.visibility import get_visible_or_404
from learnloop.api.errors import errors
from learnloop.api.pagination import Pagination
from learnloop.api.teams import member_team, team_by_ref
from learnloop.api.types import BodyIn, JsonBool, JsonInt
from learnloop.core.errors import ApplicationError, NotFound
from learnloop.core.validation import id_or_none
from learnloop.experiments import showcase as svc
from learnloop.experiments.models import Experiment, Showcase, ShowcaseItem
from learnloop.lessons.models import Lesson

router = Router(tags=["experiments"])


class ShowcaseItemOut(Schema):
    id: int
    position: int
    title: str
    insight: str
    outcome: str
    experiment_id: int | None
    learning_card_id: int | None
    lesson_id: int | None
    presenter_id: int | None
    leader: bool
    presented_at: dt.datetime | None


class ShowcaseOut(Schema):
    id: int
    team: str = Field(..., alias="team.slug")
    scope: str
    month: dt.date
    title: str
    facilitator_id: int | None
    meeting_at: dt.datetime | None
    duration_minutes: int
    location: str
    visibility: str
    version: int
    url: str
    markdown_url: str
    ics_url: str | None

    @staticmethod
    def resolve_url(obj: Showcase) -> str:
        return obj.get_absolute_url()

    @staticmethod
    def resolve_markdown_url(obj: Showcase) -> str:
        return obj.get_absolute_url() + "showcase.md"

    @staticmethod
    def resolve_ics_url(obj: Showcase) -> str | None:
        return obj.get_absolute_url() + "showcase.ics" if obj.meeting_at else None


class ShowcaseDetailOut(ShowcaseOut):
    items: list[ShowcaseItemOut]

    @staticmethod
    def resolve_items(obj: Showcase) -> list[ShowcaseItem]:
        return list(svc.items_of(obj))


class ShowcaseIn(BodyIn):
    team: JsonInt | str = Field(..., description="Team id or slug (the host team)")
    month: str = Field(..., description="YYYY-MM: the month it looks back on")
    scope: str = Field("team", description="team or organisation (organisation admins)")
    title: str = ""
    meeting_at: dt.datetime | None = None
    duration_minutes: JsonInt = 60
    location: str = ""
    visibility: str = Field(
        "team", description="team or organisation (organisation scope: always organisation)"
    )


class ShowcasePatch(BodyIn):
    version: JsonInt = Field(..., description="The version you read; a stale one answers 409.")
    title: str | None = None
    meeting_at: dt.datetime | None = None
    duration_minutes: JsonInt | None = None
    location: str | None = None
    facilitator_id: JsonInt | None = None


class ItemIn(BodyIn):
    title: str = ""
    insight: str = ""
    presenter_id: JsonInt | None = None
    experiment_id: JsonInt | None = None
    lesson_id: JsonInt | None = None


class ItemPatch(BodyIn):
    position: JsonInt | None = Field(None, description="1 = first")
    presented: JsonBool | None = None


def _host_team(user: User, ref: int | str) -> Team:
    """The team a showcase is for: one of the caller's own, or for an organisation admin any
    team of the organisation; anything else is "unknown" (no hint it exists)."""
    if not user.is_org_admin:
        return member_team(user, ref)
    team = team_by_ref(Team.objects.filter(organisation_id=user.organisation_id or 0), ref)
    if team is None:
        raise ApplicationError(
            "Unknown team.", fields={"team": ["No team of yours has this id or slug."]}
        )
    return team


def _get(request: AuthedHttpRequest, pk: int) -> Showcase:
    return get_visible_or_404(
        Showcase.objects.select_related("team__organisation", "facilitator"), request.user, pk=pk
    )


def _item(showcase: Showcase, item_id: int) -> ShowcaseItem:
    item = showcase.items.filter(pk=item_id).first()
    if item is None:
        raise NotFound()
    item.showcase = showcase
    return item


def _person(user: User, pk: int | None, field: str) -> User | None:
    if pk is None:
        return None
    person: User | None = User.objects.filter(
        pk=id_or_none(pk) or 0, organisation_id=user.organisation_id
    ).first()
    if person is None:
        raise ApplicationError("Check the person.", fields={field: ["Not in your organisation."]})
    return person


@router.get("/showcases", response={200: list[ShowcaseOut], **errors(422)})
@paginate(Pagination)
def showcase_list(request: AuthedHttpRequest) -> QuerySet[Showcase]:
    return svc.showcases_visible(request.user).order_by("-month", "-id")


@router.post("/showcases", response={201: ShowcaseDetailOut, **errors(403, 409, 422)})
def showcase_create(request: AuthedHttpRequest, payload: ShowcaseIn) -> Status[Showcase]:
    showcase = svc.showcase_create(
        actor=request.user,
        team=_host_team(request.user, payload.team),
        month=payload.month,
        scope=payload.scope,
        title=payload.title,
        meeting_at=payload.meeting_at,
        duration_minutes=payload.duration_minutes,
        location=payload.location,
        visibility=payload.visibility,
    )
    return Status(201, _get(request, showcase.pk))


@router.get("/showcases/{int:showcase_id}", response={200: ShowcaseDetailOut, **errors(404, 422)})
def showcase_detail(request: AuthedHttpRequest, showcase_id: int) -> Showcase:
    return _get(request, showcase_id)


@router.patch(
    "/showcases/{int:showcase_id}",
    response={200: ShowcaseDetailOut, **errors(403, 404, 422, conflict=True)},
)
def showcase_update(
    request: AuthedHttpRequest, showcase_id: int, payload: ShowcasePatch
) -> Showcase:
    showcase = _get(request, showcase_id)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    changes: dict[str, Any] = {}
    for key, value in data.items():
        if key == "facilitator_id":
            changes["facilitator"] = _person(request.user, value, "facilitator_id")
        elif value is not None or key == "meeting_at":
            changes[key] = value
    svc.showcase_update(actor=request.user, showcase=showcase, version=version, **changes)
    return _get(request, showcase_id)


@router.post(
    "/showcases/{int:showcase_id}/refresh",
    response={200: ShowcaseDetailOut, **errors(403, 404, 422)},
)
def showcase_refresh(request: AuthedHttpRequest, showcase_id: int) -> Showcase:
    svc.showcase_refresh(actor=request.user, showcase=_get(request, showcase_id))
    return _get(request, showcase_id)


@router.post(
    "/showcases/{int:showcase_id}/items",
    response={201: ShowcaseItemOut, **errors(403, 404, 422)},
)
def item_add(request: AuthedHttpRequest, showcase_id: int, payload: ItemIn) -> Status[Any]:
    showcase = _get(request, showcase_id)
    experiment = lesson = None
    if payload.experiment_id is not None:
        experiment = (
            Experiment.objects.visible_to(request.user)
            .filter(pk=id_or_none(payload.experiment_id) or 0)
            .first()
        )
        if experiment is None:
            raise ApplicationError(
                "The item was not added.", fields={"experiment_id": ["No such experiment."]}
            )
    if payload.lesson_id is not None:
        lesson = (
            Lesson.objects.visible_to(request.user)
            .filter(pk=id_or_none(payload.lesson_id) or 0)
            .first()
        )
        if lesson is None:
            raise ApplicationError(
                "The item was not added.", fields={"lesson_id": ["No such lesson."]}
            )
    item = svc.showcase_item_add(
        actor=request.user,
        showcase=showcase,
        title=payload.title,
        insight=payload.insight,
        presenter=_person(request.user, payload.presenter_id, "presenter_id"),
        experiment=experiment,
        lesson=lesson,
    )
    return Status(201, item)


@router.patch(
    "/showcases/{int:showcase_id}/items/{int:item_id}",
    response={200: ShowcaseItemOut, **errors(403, 404, 422)},
)
def item_update(
    request: AuthedHttpRequest, showcase_id: int, item_id: int, payload: ItemPatch
) -> ShowcaseItem:
    item = _item(_get(request, showcase_id), item_id)
    if payload.position is not None:
        svc.showcase_item_move(actor=request.user, item=item, position=payload.position)
    if payload.presented is not None:
        svc.showcase_item_presented(actor=request.user, item=item, presented=payload.presented)
    if payload.position is None and payload.presented is None:
        svc.require_facilitator(request.user, item.showcase)
    return ShowcaseItem.objects.get(pk=item.pk)


@router.delete(
    "/showcases/{int:showcase_id}/items/{int:item_id}",
    response={204: None, **errors(403, 404, 422)},
)
def item_remove(request: AuthedHttpRequest, showcase_id: int, item_id: int) -> HttpResponse:
    item = _item(_get(request, showcase_id), item_id)
    svc.showcase_item_remove(actor=request.user, item=item)
    return HttpResponse(status=204)
