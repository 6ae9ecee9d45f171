"""Small builders for lesson tests (plain functions, no factory library)."""

from __future__ import annotations

from typing import Any

from learnloop.core.models import Visibility
from learnloop.incidents.models import Incident
from learnloop.lessons import services
from learnloop.lessons.models import Lesson
from learnloop.reviews.models import Learning, Review, Status


def make_lesson(
    team: Any, statement: str = "Check expiry dates a month ahead.", **extra: Any
) -> Lesson:
    extra.setdefault("visibility", Visibility.TEAM)
    return services.lesson_create(actor=None, team=team, statement=statement, **extra)


def make_incident(team: Any, title: str = "Checkout slow", **extra: Any) -> Incident:
    extra.setdefault("visibility", Visibility.TEAM)
    return Incident.objects.create(team=team, title=title, description="It was slow.", **extra)


def make_review(
    team: Any, *, status: str = Status.PUBLISHED, learnings: tuple[str, ...] = (), **extra: Any
) -> Review:
    extra.setdefault("visibility", Visibility.TEAM)
    review = Review.objects.create(team=team, title="Checkout review", status=status, **extra)
    for n, text in enumerate(learnings):
        Learning.objects.create(review=review, text=text, position=n)
    return review
