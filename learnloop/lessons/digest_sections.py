"""The weekly digest's lesson sections: new lessons in the person's teams, and one past lesson
"on this day" (found by the notifications app; decision 0191)."""

from __future__ import annotations

from django.urls import reverse

from learnloop.core.urls_util import absolute_url
from learnloop.lessons.models import Lesson
from learnloop.notifications.digest import DigestItem, DigestScope, DigestSection, section

LIMIT = 8


def _item(lesson: Lesson, note: str = "") -> DigestItem:
    return DigestItem(
        lesson.statement, absolute_url(reverse("lessons:detail", args=[lesson.pk])), note
    )


@section("lessons.new", order=10)
def new_lessons(scope: DigestScope) -> DigestSection | None:
    lessons = Lesson.objects.filter(team_id__in=scope.team_ids, created_at__gte=scope.since)
    found = list(lessons.select_related("team").order_by("-created_at", "-id")[: LIMIT + 1])
    if not found:
        return None
    return DigestSection(
        "New lessons in your teams",
        tuple(_item(lesson, lesson.team.name) for lesson in found[:LIMIT]),
        more=lessons.count() - LIMIT if len(found) > LIMIT else 0,
        more_url=absolute_url(reverse("lessons:library")),
    )


@section("lessons.on_this_day", order=90)
def on_this_day(scope: DigestScope) -> DigestSection | None:
    """A lesson the person can see from this day in an earlier year, else from this week of
    an earlier year; the oldest first, so long-standing lessons come back."""
    today = scope.local_now.date()
    earlier = Lesson.objects.visible_to(scope.user).filter(created_at__year__lt=today.year)
    lesson = (
        earlier.filter(created_at__month=today.month, created_at__day=today.day)
        .order_by("created_at", "id")
        .first()
    ) or (
        earlier.filter(created_at__week=today.isocalendar()[1]).order_by("created_at", "id").first()
    )
    if lesson is None:
        return None
    return DigestSection("On this day", (_item(lesson, f"learned {lesson.created_at:%d %B %Y}"),))
