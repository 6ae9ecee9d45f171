"""Seeded lessons (about one learning in three) and lessons applied to later incidents."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.db import connection

from learnloop.devtools.seeding.common import SeedContext, org_fields
from learnloop.devtools.seeding.rows import insert, insert_values
from learnloop.incidents.models import Incident
from learnloop.lessons.models import Lesson, LessonApplication
from learnloop.reviews.models import Learning, Review

LESSON_POOL = 5000  # recent lessons later incidents may apply


def create_lessons(ctx: SeedContext, reviews: list[Review], learnings: list[Learning]) -> None:
    rng = ctx.rng
    by_review = {r.pk: r for r in reviews}
    lessons = []
    for learning in learnings:
        if rng.random() >= 0.33:
            continue
        review = by_review[learning.review_id]
        lessons.append(
            Lesson(
                **org_fields(Lesson, ctx.result.organisation_id),
                team_id=review.team_id,
                visibility="organisation" if rng.random() < 0.8 else "team",
                statement=learning.text[:300],
                context=f"From the review “{review.title}”.",
                source_kind="review",
                source_review=review,
                learning=learning,
                created_by=review.created_by,
                created_at=review.created_at + dt.timedelta(days=1),
                updated_at=review.created_at + dt.timedelta(days=1),
            )
        )
    insert(lessons)
    ctx.result.counts["lesson"] += len(lessons)
    lesson_tags = [
        (lesson.pk, t.pk)
        for lesson in lessons
        for t in rng.sample(ctx.tags, rng.choice([0, 1, 1, 2]))
    ]
    insert_values(Lesson.tags.through, ("lesson_id", "tag_id"), lesson_tags)
    ctx.result.counts["lesson tag"] += len(lesson_tags)
    ctx.lesson_pool.extend((lesson.pk, lesson.created_at) for lesson in lessons)
    if len(ctx.lesson_pool) > LESSON_POOL:
        del ctx.lesson_pool[: len(ctx.lesson_pool) - LESSON_POOL]


def apply_lessons(ctx: SeedContext, incidents: list[Incident]) -> None:
    """Applied here: earlier lessons reused on later incidents (and their applied counts)."""
    rng = ctx.rng
    applications, applied = [], Counter()
    seen = set()
    for inc in incidents:
        if not ctx.lesson_pool or rng.random() >= 0.12:
            continue
        lesson_id, learned_at = rng.choice(ctx.lesson_pool)
        if learned_at >= inc.created_at or (lesson_id, inc.pk) in seen:
            continue
        seen.add((lesson_id, inc.pk))
        applications.append(
            LessonApplication(
                lesson_id=lesson_id,
                team_id=inc.team_id,
                target_kind="incident",
                target_id=inc.pk if inc.pk > 0 else None,
                target_url="" if inc.pk > 0 else f"https://learnloop.invalid/incidents/{inc.pk}/",
                incident=inc,
                note="This looked like the same failure.",
                applied_by=inc.reporter,
                created_at=inc.created_at + dt.timedelta(hours=1),
            )
        )
        applied[lesson_id] += 1
    insert(applications)
    ctx.result.counts["lesson application"] += len(applications)
    ctx.applied.update(applied)
    with connection.cursor() as cur:  # one statement for all of them, not one per lesson
        cur.executemany(
            f"UPDATE {Lesson._meta.db_table} SET applied_count = %s WHERE id = %s",
            [(ctx.applied[lesson_id], lesson_id) for lesson_id in applied],
        )
