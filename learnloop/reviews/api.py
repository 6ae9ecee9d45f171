"""Reviews API: create from a template, read, update with the version (409 on conflict), list
with filters and pagination, publish (400 naming what is missing), revisions, templates."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import QuerySet
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from learnloop.accounts.http import AuthedHttpRequest
from learnloop.accounts.models import Team
from learnloop.accounts.visibility import get_visible_or_404, team_ids_of
from learnloop.api.errors import errors
from learnloop.api.pagination import Pagination
from learnloop.api.types import BodyIn, JsonInt
from learnloop.core.errors import ApplicationError, NotFound
from learnloop.core.validation import MAX_ID, id_or_none, looks_like_id
from learnloop.incidents.models import Incident
from learnloop.reviews import selectors, services
from learnloop.reviews.models import Review, ReviewRevision, ReviewTemplate

router = Router(tags=["reviews"])


class ReviewOut(Schema):
    id: int
    title: str
    team: str
    status: str
    visibility: str
    incident_id: int | None
    template_id: int | None
    template: str | None
    sections: list[dict[str, Any]]
    content: dict[str, Any]
    version: int
    opens_at: datetime | None
    published_at: datetime | None
    created_at: datetime
    updated_at: datetime
    participants: list[int]

    @staticmethod
    def resolve_team(obj: Review) -> str:
        return obj.team.slug

    @staticmethod
    def resolve_template(obj: Review) -> str | None:
        return obj.template.name if obj.template_id else None

    @staticmethod
    def resolve_participants(obj: Review) -> list[int]:
        return [p.pk for p in obj.participants.all()]


class ReviewListOut(Schema):
    id: int
    title: str
    team: str
    status: str
    incident_id: int | None
    template_id: int | None
    version: int
    created_at: datetime
    published_at: datetime | None

    @staticmethod
    def resolve_team(obj: Review) -> str:
        return obj.team.slug


class ReviewCreateIn(BodyIn):
    template: JsonInt | str
    incident_id: JsonInt | None = None
    team: str | None = None
    title: str = ""
    visibility: str | None = None


class ReviewUpdateIn(BodyIn):
    version: JsonInt
    title: str | None = None
    content: dict[str, Any] | None = Field(
        None,
        description="Keyed by the review's section keys (see `sections`); sections not sent "
        "keep their saved value. A key that is not a section, or an entry field its section "
        "does not take, is refused (400, naming its path, e.g. `content.next_steps.0.due_dat`).",
    )
    participants: list[JsonInt] | None = None
    status: str | None = None


class RevisionOut(Schema):
    version: int
    author: str | None
    created_at: datetime
    title: str
    summary: str
    content: dict[str, Any]

    @staticmethod
    def resolve_author(obj: Any) -> str | None:
        return obj.author.name if obj.author_id else None


class TemplateOut(Schema):
    id: int
    name: str
    slug: str
    description: str
    team: str | None
    is_shipped: bool
    cooling_off_hours: int
    sections: list[dict[str, Any]]

    @staticmethod
    def resolve_team(obj: Any) -> str | None:
        return obj.team.slug if obj.team_id else None


def _get(request: AuthedHttpRequest, review_id: int) -> Review:
    return selectors.review_get_visible(user=request.user, pk=review_id)


def _full(review: Review) -> Review:
    return (
        Review.objects.select_related("team", "template")
        .prefetch_related("participants")
        .get(pk=review.pk)
    )


@router.get("", response={200: list[ReviewListOut], **errors(400, 422)})
@paginate(Pagination)
def review_list(
    request: AuthedHttpRequest,
    team: str | None = None,
    status: str | None = None,
    template: str | None = None,
    incident: int | None = Query(None, ge=-MAX_ID, le=MAX_ID),
) -> QuerySet[Review]:
    """Reviews you may see; filter by team slug, status, template (id or slug), incident id."""
    return selectors.review_list(
        user=request.user, team=team, status=status, template=template, incident=incident
    )


@router.get("/templates", response={200: list[TemplateOut], **errors(422)})
@paginate(Pagination)
def template_list(request: AuthedHttpRequest) -> QuerySet[ReviewTemplate]:
    return selectors.templates_visible_to(request.user)


@router.post("", response={201: ReviewOut, **errors(400, 404, 422)})
def review_create(request: AuthedHttpRequest, payload: ReviewCreateIn) -> Status[Review]:
    incident = None
    team = None
    if payload.incident_id is not None:
        incident = get_visible_or_404(Incident, request.user, pk=payload.incident_id)
        if incident.team_id not in team_ids_of(request.user):
            raise NotFound()
    elif payload.team:
        team = Team.objects.filter(pk__in=team_ids_of(request.user), slug=payload.team).first()
        if team is None:
            raise ApplicationError("Unknown team.", fields={"team": ["Choose one of your teams."]})
    else:
        raise ApplicationError(
            "Say which incident or team the review is for.",
            fields={"incident_id": ["Give an incident or a team."]},
        )
    templates = selectors.templates_visible_to(request.user)
    key = str(payload.template)
    if looks_like_id(key):
        template = templates.filter(pk=id_or_none(key)).first()
    else:
        owner = incident.team if incident else team
        template = (
            templates.filter(slug=key, team=owner).first()
            or templates.filter(slug=key, is_shipped=True).first()
        )
    if template is None:
        raise ApplicationError("Unknown template.", fields={"template": ["Unknown template."]})
    review = services.review_create(
        actor=request.user,
        template=template,
        team=team,
        incident=incident,
        title=payload.title,
        visibility=payload.visibility,
    )
    return Status(201, _full(review))


@router.get("/{int:review_id}", response={200: ReviewOut, **errors(404)})
def review_detail(request: AuthedHttpRequest, review_id: int) -> Review:
    return _full(_get(request, review_id))


@router.patch("/{int:review_id}", response={200: ReviewOut, **errors(400, 404, 422, conflict=True)})
def review_update(request: AuthedHttpRequest, review_id: int, payload: ReviewUpdateIn) -> Any:
    """Change content and title with the version you started from; 409 if somebody saved since."""
    review = selectors.review_get_writable(user=request.user, pk=review_id)
    try:
        if payload.content is not None or payload.title is not None:
            services.review_content_save(
                actor=request.user,
                review=review,
                version=payload.version,
                content=payload.content or {},
                title=payload.title,
            )
        elif review.version != payload.version:
            raise services.ReviewConflict(review)
    except services.ReviewConflict as exc:
        return Status(409, {**exc.as_dict(), "current_version": exc.current_version})
    if payload.participants is not None:
        services.review_set_participants(
            actor=request.user, review=review, user_ids=payload.participants
        )
    if payload.status is not None and payload.status != review.status:
        services.review_set_status(actor=request.user, review=review, status=payload.status)
    return _full(review)


@router.post("/{int:review_id}/publish", response={200: ReviewOut, **errors(400, 404)})
def review_publish(request: AuthedHttpRequest, review_id: int) -> Review:
    """Publish; 400 with ``fields`` naming each missing learning or next step."""
    review = selectors.review_get_writable(user=request.user, pk=review_id)
    services.review_publish(actor=request.user, review=review)
    return _full(review)


@router.get("/{int:review_id}/revisions", response={200: list[RevisionOut], **errors(404, 422)})
@paginate(Pagination)
def revision_list(request: AuthedHttpRequest, review_id: int) -> QuerySet[ReviewRevision]:
    return selectors.revisions_of(_get(request, review_id))
