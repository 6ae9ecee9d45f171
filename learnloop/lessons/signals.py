"""Keep ``Lesson.applied_count`` in step when applications disappear by cascade (an incident or a
team deleted), not only through services."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete
from django.dispatch import receiver

from learnloop.lessons.models import LessonApplication


@receiver(post_delete, sender=LessonApplication)
def _application_deleted(sender: Any, instance: LessonApplication, **kwargs: Any) -> None:
    from learnloop.lessons.services import lesson_recount

    lesson_recount(lesson_id=instance.lesson_id)
