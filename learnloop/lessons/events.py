"""The ``lesson.created`` event's payload and emitter (decisions/0180). Lessons written by
the import are not announced (they are history, not news)."""

from __future__ import annotations

from typing import Any

from learnloop.core.events import emit
from learnloop.core.urls_util import absolute_url
from learnloop.lessons.models import Lesson

CREATED = "lesson.created"


def lesson_payload(lesson: Lesson) -> dict[str, Any]:
    team = lesson.team
    return {
        "id": lesson.pk,
        "url": absolute_url(f"/lessons/{lesson.pk}/"),
        "team": {"id": team.pk, "slug": team.slug, "name": team.name},
        "statement": lesson.statement,
        "context": lesson.context,
        "tags": sorted(t.name for t in lesson.tags.all()),
        "visibility": lesson.visibility,
        "source_kind": lesson.source_kind,
        "source_review_id": lesson.source_review_id,
        "created_at": lesson.created_at.isoformat(),
    }


def emit_created(lesson: Lesson) -> None:
    emit(
        CREATED,
        team_id=lesson.team_id,
        visibility=lesson.visibility,
        build=lambda: lesson_payload(lesson),
    )
