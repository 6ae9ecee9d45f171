"""API routes for review meetings, comments and exports (mounted under /api/reviews).

The same services as the web views; every review lookup goes through the visibility rule.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from ninja import Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from learnloop.accounts.http import AuthedHttpRequest
from learnloop.accounts.visibility import can_manage_team, get_visible_or_404
from learnloop.api.errors import errors
from learnloop.api.pagination import Pagination
from learnloop.api.types import BodyIn, JsonInt
from learnloop.core.markdown import render_markdown
from learnloop.reviews import comments as comment_services
from learnloop.reviews import export, meeting
from learnloop.reviews.models import Comment, Review

router = Router(tags=["reviews"])


class MeetingIn(BodyIn):
    meeting_at: str
    duration_minutes: JsonInt = meeting.DEFAULT_DURATION
    location: str = ""


class MeetingInviteeOut(Schema):
    user_id: int
    name: str
    email: str
    status: str


class MeetingOut(Schema):
    review_id: int
    meeting_at: str
    duration_minutes: int
    location: str
    ics_url: str
    invitations: list[MeetingInviteeOut]


class CommentIn(BodyIn):
    body: str


class CommentOut(Schema):
    id: int
    review_id: int
    author_id: int | None
    author_name: str | None
    body: str
    body_html: str
    created_at: str
    can_delete: bool


def _review(request: AuthedHttpRequest, review_id: int) -> Review:
    return get_visible_or_404(
        Review.objects.select_related("team__organisation", "incident"),
        request.user,
        pk=review_id,
    )


def _meeting_out(review: Review) -> dict[str, Any]:
    return {
        "review_id": review.pk,
        "meeting_at": review.meeting_at.isoformat(),
        "duration_minutes": meeting.meeting_duration(review),
        "location": review.meeting_location,
        "ics_url": f"/api/reviews/{review.pk}/meeting.ics",
        "invitations": [
            {"user_id": i.user.pk, "name": i.user.name, "email": i.user.email, "status": i.status}
            for i in meeting.meeting_invitations(review)
        ],
    }


def _comment_out(comment: Comment, *, can_delete: bool) -> dict[str, Any]:
    return {
        "id": comment.pk,
        "review_id": comment.review_id,
        "author_id": comment.author_id,
        "author_name": comment.author.name if comment.author_id else None,
        "body": comment.body,
        "body_html": str(render_markdown(comment.body)),
        "created_at": comment.created_at.isoformat(),
        "can_delete": can_delete,
    }


@router.post("/{review_id}/meeting", response={200: MeetingOut, **errors(400, 403, 404, 422)})
def meeting_schedule(
    request: AuthedHttpRequest, review_id: int, payload: MeetingIn
) -> dict[str, Any]:
    """Schedule or move the review meeting; every invitee gets an email with the .ics file."""
    review = _review(request, review_id)
    review = meeting.review_meeting_schedule(
        actor=request.user,
        review=review,
        meeting_at=meeting.parse_meeting_at(payload.meeting_at),
        duration_minutes=payload.duration_minutes,
        location=payload.location,
    )
    return _meeting_out(review)


@router.get("/{review_id}/meeting.ics", response={200: None, **errors(404, 422)})
def meeting_ics(request: AuthedHttpRequest, review_id: int) -> HttpResponse:
    """The meeting as an iCalendar file (404 while no meeting is scheduled)."""
    review = _review(request, review_id)
    if review.meeting_at is None:
        raise Http404
    response = HttpResponse(
        meeting.meeting_ics(review), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{meeting.meeting_filename(review)}"'
    return response


@router.get("/{review_id}/comments", response={200: list[CommentOut], **errors(404, 422)})
@paginate(Pagination)
def comment_list(request: AuthedHttpRequest, review_id: int) -> _CommentPage:
    review = _review(request, review_id)
    manager = can_manage_team(request.user, review.team)
    qs = comment_services.comment_list(user=request.user, review=review)
    return _CommentPage(qs, manager=manager, user_id=request.user.pk)


class _CommentPage:
    """A sliceable view over the comment queryset that serialises only the requested page."""

    def __init__(self, qs: QuerySet[Comment], *, manager: bool, user_id: int) -> None:
        self.qs, self.manager, self.user_id = qs, manager, user_id

    def __getitem__(self, item: slice) -> list[dict[str, Any]]:
        return [
            _comment_out(c, can_delete=self.manager or c.author_id == self.user_id)
            for c in self.qs[item]
        ]

    def count(self) -> int:
        return self.qs.count()


@router.post("/{review_id}/comments", response={201: CommentOut, **errors(400, 404, 422)})
def comment_add(
    request: AuthedHttpRequest, review_id: int, payload: CommentIn
) -> Status[dict[str, Any]]:
    review = _review(request, review_id)
    comment = comment_services.comment_add(actor=request.user, review=review, body=payload.body)
    return Status(201, _comment_out(comment, can_delete=True))


@router.delete("/{review_id}/comments/{comment_id}", response={204: None, **errors(403, 404, 422)})
def comment_delete(request: AuthedHttpRequest, review_id: int, comment_id: int) -> Status[None]:
    review = _review(request, review_id)
    comment = comment_services.comment_get(user=request.user, review=review, comment_id=comment_id)
    comment_services.comment_delete(actor=request.user, comment=comment)
    return Status(204, None)


@router.get("/{review_id}/export.md", response={200: None, **errors(404, 422)})
def export_markdown(request: AuthedHttpRequest, review_id: int) -> HttpResponse:
    """The review as Markdown with YAML front matter (the corpus format, re-importable)."""
    review = _review(request, review_id)
    response = HttpResponse(
        export.review_to_markdown(review), content_type="text/markdown; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{export.export_filename(review)}"'
    return response
