"""The ``review.published`` event's payload and emitter (decisions/0180)."""

from __future__ import annotations

from typing import Any

from learnloop.core.events import emit
from learnloop.core.urls_util import absolute_url
from learnloop.reviews.models import Review

PUBLISHED = "review.published"


def review_payload(review: Review) -> dict[str, Any]:
    team = review.team
    return {
        "id": review.pk,
        "url": absolute_url(f"/reviews/{review.pk}/"),
        "team": {"id": team.pk, "slug": team.slug, "name": team.name},
        "title": review.title,
        "visibility": review.visibility,
        "incident_id": review.incident_id,
        "published_at": review.published_at.isoformat() if review.published_at else None,
    }


def emit_published(review: Review) -> None:
    emit(
        PUBLISHED,
        team_id=review.team_id,
        visibility=review.visibility,
        build=lambda: review_payload(review),
    )
