"""Comments on reviews: services (add, delete) and selectors (list).

Anyone who can see a review may comment on it (an organisation-visible review invites other
teams' questions); the author or an admin of the review's team may delete a comment.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import QuerySet

from learnloop.accounts.models import User
from learnloop.accounts.visibility import can_manage_team, can_see
from learnloop.core.errors import ApplicationError, NotFound, PermissionDenied
from learnloop.notifications.delivery import notify
from learnloop.notifications.models import Kind
from learnloop.reviews.models import Comment, Review

MAX_BODY = 10000
PAGE_SIZE = 50


# --- selectors -----------------------------------------------------------------------------


def comment_list(*, user: User, review: Review) -> QuerySet[Comment]:
    """The review's comments, oldest first, for a user allowed to see the review."""
    return (
        Comment.objects.filter(review__in=Review.objects.visible_to(user), review=review)
        .select_related("author")
        .order_by("created_at", "id")
    )


def comment_get(*, user: User, review: Review, comment_id: int) -> Comment:
    comment = comment_list(user=user, review=review).filter(pk=comment_id).first()
    if comment is None:
        raise NotFound()
    return comment


def comment_can_delete(*, user: User, comment: Comment) -> bool:
    if comment.author_id is not None and comment.author_id == user.pk:
        return True
    return can_manage_team(user, comment.review.team)


# --- services ------------------------------------------------------------------------------


def comment_add(*, actor: User, review: Review, body: str) -> Comment:
    if not can_see(actor, review):
        raise NotFound()
    body = (body or "").strip()
    if not body:
        raise ApplicationError("Write a comment first.", fields={"body": ["Write a comment."]})
    if len(body) > MAX_BODY:
        raise ApplicationError(
            "The comment is too long.",
            fields={"body": [f"Keep comments under {MAX_BODY} characters (it has {len(body)})."]},
        )
    comment = Comment(review=review, author=actor, body=body)
    with transaction.atomic():
        comment.full_clean()
        comment.save()
        notify(
            recipients=[*review.participants.all(), review.created_by],
            kind=Kind.COMMENT,
            text=f"{actor.name} commented on the review “{review.title}”",
            path=f"/reviews/{review.pk}/",
            actor=actor,
        )
    return comment


def comment_delete(*, actor: User, comment: Comment) -> None:
    if not can_see(actor, comment.review):
        raise NotFound()
    if not comment_can_delete(user=actor, comment=comment):
        raise PermissionDenied("Only the author or a team admin can delete this comment.")
    with transaction.atomic():
        comment.delete()
