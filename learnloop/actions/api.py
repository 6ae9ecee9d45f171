"""Actions API: create, read, update (PATCH with ``version``; 409 on a stale version), list
with filters and pagination. Endpoints are thin: they resolve ids through the visibility rule
and call actions.services."""

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from learnloop.accounts.http import AuthedHttpRequest
from learnloop.accounts.models import Team, User
from learnloop.accounts.visibility import get_visible_or_404, team_ids_of
from learnloop.actions import selectors, services
from learnloop.actions.models import Action
from learnloop.api.errors import errors
from learnloop.api.pagination import Pagination
from learnloop.api.rows import answer_item, json_time, rows_answer
from learnloop.api.teams import member_team
from learnloop.api.types import BodyIn, Id, IsoDate, JsonInt, SignedId
from learnloop.core.errors import ApplicationError, NotFound
from learnloop.core.pagination import capped_count
from learnloop.core.validation import id_or_none, looks_like_id, parse_id
from learnloop.incidents.models import Incident
from learnloop.reviews.models import Review

router = Router(tags=["actions"])


class ActionOut(Schema):
    id: int
    team: str = Field(..., alias="team.slug")
    team_id: int
    title: str
    description: str
    owner_id: int | None
    owner_name: str | None
    due_date: dt.date | None
    kind: str
    status: str
    done_at: dt.datetime | None
    overdue: bool
    external_url: str
    visibility: str
    review_id: int | None
    incident_id: int | None
    version: int
    created_at: dt.datetime
    updated_at: dt.datetime
    url: str

    @staticmethod
    def resolve_owner_name(obj: Action) -> str | None:
        return obj.owner.name if obj.owner_id else None

    @staticmethod
    def resolve_overdue(obj: Action) -> bool:
        return obj.is_overdue

    @staticmethod
    def resolve_url(obj: Action) -> str:
        return obj.get_absolute_url()


class ActionIn(BodyIn):
    team: JsonInt | str = Field(..., description="Team id or slug; you must be a member.")
    title: str
    description: str = ""
    owner_id: JsonInt | None = None
    due_date: str | None = Field(None, description="YYYY-MM-DD")
    kind: str = "prevent"
    external_url: str = ""
    visibility: str | None = Field(
        None, description="team or organisation; default: the review's or incident's, else team"
    )
    review_id: JsonInt | None = None
    incident_id: JsonInt | None = None


class ActionPatch(BodyIn):
    version: JsonInt = Field(..., description="The version you read; a stale one answers 409.")
    title: str | None = None
    description: str | None = None
    owner_id: JsonInt | None = None
    due_date: str | None = Field(None, description="YYYY-MM-DD, or empty to clear")
    kind: str | None = None
    status: str | None = None
    external_url: str | None = None
    visibility: str | None = None


class ActionFilters(Schema):
    team: str | None = Field(None, description="Team id or slug")
    status: str | None = Field(None, description="open (open or in progress), done, ...")
    kind: str | None = None
    owner: str | None = Field(None, description="me, none, or a user id")
    overdue: bool | None = None
    due_before: IsoDate | None = None
    due_after: IsoDate | None = None
    review: Id | None = None
    incident: SignedId | None = None


def _owner(team: Team, owner_id: int | None) -> User | None:
    if owner_id is None:
        return None
    owner = User.objects.filter(pk=owner_id, memberships__team=team).first()
    if owner is None:
        raise ApplicationError(
            "Check the owner.", fields={"owner_id": [f"The owner must be a member of {team.name}."]}
        )
    return owner


def _linked(model: Any, user: User, pk: int | None, field: str) -> Any:
    if pk is None:
        return None
    try:
        return get_visible_or_404(model, user, pk=pk)
    except Http404:
        raise ApplicationError(f"Unknown {field}.", fields={field: ["Not found."]}) from None


def _get(request: AuthedHttpRequest, pk: int) -> Action:
    return get_visible_or_404(Action.objects.select_related("team", "owner"), request.user, pk=pk)


#: What the list reads of an action and its owner (``ActionOut``'s fields; the owner's name is
#: made from the four columns ``User.name`` reads).
ROW_FIELDS = (
    "id",
    "team_id",
    "title",
    "description",
    "owner_id",
    "owner__display_name",
    "owner__first_name",
    "owner__last_name",
    "owner__email",
    "due_date",
    "kind",
    "status",
    "done_at",
    "external_url",
    "visibility",
    "review_id",
    "incident_id",
    "version",
    "created_at",
    "updated_at",
)


class ActionPagination(Pagination):
    """``Pagination``'s answer, the same bytes (decision 0247): the same capped count, then the
    page read as ``ROW_FIELDS`` rows (no ``Action`` or ``User`` objects), the teams' slugs in
    one query for the page (as the prefetch read them), and each item written as ``ActionOut``
    answers it, in its field order; ``rows_answer`` encodes the page. ``url`` is the list's URL
    and the id (``actions/urls.py``: ``<int:pk>/``), ``overdue`` as ``Action.is_overdue``."""

    def paginate_queryset(
        self,
        queryset: QuerySet[Any],
        pagination: Pagination.Input,
        request: Any = None,
        **params: Any,
    ) -> dict[str, Any]:
        start, limit = self.bounds(pagination)
        count, capped = capped_count(queryset, limit)
        page = queryset.prefetch_related(None)[start : start + pagination.page_size]
        rows = list(page.values(*ROW_FIELDS))
        slugs = {}
        if rows:
            ids = {row["team_id"] for row in rows}
            slugs = dict(Team.objects.filter(pk__in=ids).order_by().values_list("pk", "slug"))
        prefix, today = reverse("actions:list"), timezone.localdate()
        items = [_answer_item(row, slugs, prefix, today) for row in rows]
        return Pagination.answer(pagination, items, count, capped)


_ANSWER_FIELDS = tuple(ActionOut.model_fields)


def _answer_item(
    row: dict[str, Any], slugs: dict[int, str], prefix: str, today: dt.date
) -> dict[str, Any]:
    """One action as ``ActionOut`` answers it, in its field order, from a ``ROW_FIELDS`` row."""
    status, due = row["status"], row["due_date"]
    made = {
        "team": slugs[row["team_id"]],
        "owner_name": selectors.owner_name(row),
        "due_date": json_time(due),
        "done_at": json_time(row["done_at"]),
        "overdue": Action.overdue(status, due, today),
        "created_at": json_time(row["created_at"]),
        "updated_at": json_time(row["updated_at"]),
        "url": f"{prefix}{row['id']}/",
    }
    return answer_item(_ANSWER_FIELDS, row, made)


@router.get("", response={200: list[ActionOut], **errors(400, 422)})
@rows_answer
@paginate(ActionPagination)
def action_list(
    request: AuthedHttpRequest,
    filters: ActionFilters = Query(...),  # noqa: B008
) -> QuerySet[Action]:
    team = None
    if filters.team:
        team_qs = Team.objects.filter(organisation_id=request.user.organisation_id)
        ref = filters.team
        team = (
            team_qs.filter(pk=id_or_none(ref)) if looks_like_id(ref) else team_qs.filter(slug=ref)
        ).first()
        if team is None:
            return Action.objects.none()
    owner: Any = filters.owner
    if owner not in (None, "", "me", "none"):
        if not looks_like_id(owner):
            raise ApplicationError(
                "Check the owner filter.", fields={"owner": ["Use me, none or a user id."]}
            )
        owner = parse_id(owner, "owner")
    return selectors.action_list(
        user=request.user,
        team=team,
        status=filters.status,
        kind=filters.kind,
        owner=owner,
        overdue=filters.overdue,
        due_before=filters.due_before,
        due_after=filters.due_after,
        review=filters.review,
        incident=filters.incident,
    ).order_by("due_date", "id")


@router.post("", response={201: ActionOut, **errors(400, 422)})
def action_create(request: AuthedHttpRequest, payload: ActionIn) -> Status[Action]:
    user = request.user
    team = member_team(user, payload.team)
    action = services.action_create(
        actor=user,
        team=team,
        title=payload.title,
        description=payload.description,
        owner=_owner(team, payload.owner_id),
        due_date=payload.due_date,
        kind=payload.kind,
        external_url=payload.external_url,
        visibility=payload.visibility,
        review=_linked(Review, user, payload.review_id, "review_id"),
        incident=_linked(Incident, user, payload.incident_id, "incident_id"),
    )
    return Status(201, _get(request, action.pk))


@router.get("/{int:action_id}", response={200: ActionOut, **errors(404)})
def action_detail(request: AuthedHttpRequest, action_id: int) -> Action:
    return _get(request, action_id)


@router.patch("/{int:action_id}", response={200: ActionOut, **errors(400, 404, 422, conflict=True)})
def action_update(request: AuthedHttpRequest, action_id: int, payload: ActionPatch) -> Action:
    action = _get(request, action_id)
    if action.team_id not in team_ids_of(request.user):
        # Visible (organisation-wide) but not theirs to change: as if it did not exist.
        raise NotFound()
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    changes: dict[str, Any] = {}
    for key, value in data.items():
        if key == "owner_id":
            changes["owner"] = _owner(action.team, value)
        elif value is None and key != "due_date":
            continue
        else:
            changes[key] = value
    services.action_update(actor=request.user, action=action, version=version, **changes)
    return _get(request, action_id)
