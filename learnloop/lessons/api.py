"""Lessons API: list (filters + pagination), create, read, update, delete, apply.

Every object lookup goes through the visibility rule, so another team's private lesson answers
404 exactly like a missing one.
"""

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.http import HttpResponse
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from learnloop.accounts.http import AuthedHttpRequest
from learnloop.accounts.models import Team
from learnloop.accounts.visibility import team_ids_of
from learnloop.api.errors import errors
from learnloop.api.pagination import Pagination
from learnloop.api.types import BodyIn, IsoDate, JsonInt, SignedId
from learnloop.core.errors import ApplicationError
from learnloop.core.models import Visibility
from learnloop.incidents import urls as incident_urls  # noqa: F401 - registers `sint`
from learnloop.lessons import selectors, services
from learnloop.lessons.models import Lesson, LessonApplication, SourceKind, TargetKind

router = Router(tags=["lessons"])


class LessonOut(Schema):
    id: int
    statement: str
    context: str
    tags: list[str]
    team: str
    visibility: str
    source_kind: str
    source_review_id: int | None
    learning_id: int | None
    source_url: str
    source_label: str
    external_id: str | None
    applied_count: int
    version: int
    created_at: dt.datetime
    updated_at: dt.datetime

    @staticmethod
    def resolve_tags(obj: Lesson) -> list[str]:
        return [t.name for t in obj.tags.all()]

    @staticmethod
    def resolve_team(obj: Lesson) -> str:
        return obj.team.slug


class LessonIn(BodyIn):
    team: str = Field(..., description="Slug of one of your teams.")
    statement: str
    context: str = ""
    tags: list[str] = []
    visibility: Visibility = Visibility.TEAM
    source_url: str = ""
    source_label: str = ""


class LessonPatch(BodyIn):
    version: JsonInt = Field(..., description="The version you read; a stale one answers 409.")
    statement: str | None = None
    context: str | None = None
    tags: list[str] | None = None
    visibility: Visibility | None = None
    source_url: str | None = None
    source_label: str | None = None


class LessonFilterIn(Schema):
    team: str = ""
    tag: str = ""
    kind: SourceKind | None = None
    source: str = ""
    date_from: IsoDate | None = Field(None, alias="from")
    date_to: IsoDate | None = Field(None, alias="to")
    sort: str = "newest"


class ApplyIn(BodyIn):
    target_kind: TargetKind = TargetKind.INCIDENT
    target_id: JsonInt | None = None
    target_url: str = ""
    note: str = ""


class ApplicationOut(Schema):
    id: int
    lesson_id: int
    target_kind: str
    target_id: int | None
    target_url: str
    note: str
    created_at: dt.datetime
    created: bool = False
    applied_count: int = 0


def _lesson(request: AuthedHttpRequest, pk: int) -> Lesson:
    return selectors.lesson_get(user=request.user, pk=pk)


@router.get("", response={200: list[LessonOut], **errors(422)})
@paginate(Pagination)
def lesson_list(request: AuthedHttpRequest, filters: Query[LessonFilterIn]) -> QuerySet[Lesson]:
    parsed = selectors.LessonFilters(
        team=filters.team,
        tag=filters.tag,
        kind=filters.kind or "",
        source=filters.source,
        date_from=filters.date_from,
        date_to=filters.date_to,
        sort=filters.sort if filters.sort in selectors.SORTS else "newest",
    )
    return selectors.with_list_relations(selectors.lesson_list(user=request.user, filters=parsed))


@router.post("", response={201: LessonOut, **errors(400, 422)})
def lesson_create(request: AuthedHttpRequest, payload: LessonIn) -> Status[Lesson]:
    team_ids = team_ids_of(request.user)
    team = Team.objects.filter(
        organisation_id=request.user.organisation_id, slug=payload.team, pk__in=team_ids
    ).first()
    if team is None:
        raise ApplicationError(
            "Choose one of your teams.", fields={"team": ["Not one of your teams."]}
        )
    lesson = services.lesson_create(
        actor=request.user,
        team=team,
        statement=payload.statement,
        context=payload.context,
        tags=payload.tags,
        visibility=payload.visibility,
        source_url=payload.source_url,
        source_label=payload.source_label,
    )
    return Status(201, _lesson(request, lesson.pk))


@router.get("/{sint:lesson_id}", response={200: LessonOut, **errors(404, 422)})
def lesson_detail(request: AuthedHttpRequest, lesson_id: SignedId) -> Lesson:
    return _lesson(request, lesson_id)


@router.patch(
    "/{sint:lesson_id}", response={200: LessonOut, **errors(400, 403, 404, 422, conflict=True)}
)
def lesson_update(request: AuthedHttpRequest, lesson_id: SignedId, payload: LessonPatch) -> Lesson:
    lesson = _lesson(request, lesson_id)
    changes = payload.dict(exclude_unset=True)
    services.lesson_update(actor=request.user, lesson=lesson, **changes)
    return _lesson(request, lesson_id)


@router.delete("/{sint:lesson_id}", response={204: None, **errors(403, 404, 422)})
def lesson_delete(request: AuthedHttpRequest, lesson_id: SignedId) -> HttpResponse:
    services.lesson_delete(actor=request.user, lesson=_lesson(request, lesson_id))
    return HttpResponse(status=204)


@router.post(
    "/{sint:lesson_id}/apply",
    response={200: ApplicationOut, 201: ApplicationOut, **errors(400, 403, 404, 422)},
)
def lesson_apply(
    request: AuthedHttpRequest, lesson_id: SignedId, payload: ApplyIn
) -> Status[dict[str, Any]]:
    lesson = _lesson(request, lesson_id)
    application, created = services.lesson_apply(
        actor=request.user,
        lesson=lesson,
        target_kind=payload.target_kind,
        target_id=payload.target_id,
        target_url=payload.target_url,
        note=payload.note,
    )
    out = ApplicationOut.from_orm(application).dict()
    out.update(created=created, applied_count=lesson.applied_count)
    return Status(201 if created else 200, out)


@router.get(
    "/{sint:lesson_id}/applications", response={200: list[ApplicationOut], **errors(404, 422)}
)
@paginate(Pagination)
def application_list(request: AuthedHttpRequest, lesson_id: SignedId) -> list[LessonApplication]:
    lesson = _lesson(request, lesson_id)
    return selectors.applications_visible(user=request.user, lesson=lesson, limit=1000)
