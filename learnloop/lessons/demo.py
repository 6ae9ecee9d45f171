"""Demo lessons for Crumb & Co: most come from published reviews' learnings and are reused on
later incidents ("applied here"); two were written directly (written for the demo)."""

from __future__ import annotations

import datetime as dt

from learnloop.core.demo import DemoContext, step
from learnloop.core.models import Visibility
from learnloop.lessons import services
from learnloop.lessons.models import Lesson, LessonApplication, SourceKind

MANUAL = [
    (
        "delivery",
        "tomas",
        262,
        "Check the route plan against road closures the evening before, not at loading time.",
        "A marathon closed half the city centre; drivers found out at the first café. "
        "The council publishes closures a week ahead.",
        ["routes", "planning"],
    ),
    (
        "support",
        "hana",
        289,
        "Confirm a change of bank details by phoning the number we already have.",
        "A fake invoice asked us to pay a supplier's new account. The number in the email was "
        "the fraudster's; the one in our address book was the mill's.",
        ["phishing", "payments"],
    ),
]

# (review's incident, learning index, incident it was applied on, who, note)
APPLIED = [
    (
        "checkout",
        0,
        "checkout_again",
        "ines",
        "The retry budget held: checkout slowed, never failed.",
    ),
    ("checkout", 0, "double_charge", "priya", "The budget capped the repeated payments at 43."),
    (
        "checkout",
        1,
        "checkout_again",
        "ines",
        "The status panel showed the provider's slowdown at once.",
    ),
    ("status_silence", 0, "outage_drill", "lena", "We rehearsed the ten-minute status note."),
    ("status_silence", 0, "cake_order", "keiko", "A note for cafés went out within ten minutes."),
    (
        "cert_expiry",
        0,
        "password_reuse",
        "amara",
        "Password changes now go in the team calendar too.",
    ),
    ("db_disk", 1, "sms_delay", "priya", "Queue growth alert, modelled on the disk growth alert."),
]
# (lesson statement's start, incident, who, note) for lessons written directly.
APPLIED_MANUAL = [
    (
        "Check the route plan",
        "route_roadworks",
        "tomas",
        "The evening check caught the bridge works.",
    ),
]


@step(50)
def lessons(ctx: DemoContext) -> None:
    by_learning: dict[tuple[str, int], Lesson] = {}
    for key, spec in ctx.extra["review_specs"].items():
        review = ctx.extra["reviews"][key]
        review.refresh_from_db()  # its dates were moved into the past after publishing
        learnings = list(review.learnings.order_by("position"))
        chosen = [learnings[i].pk for i in spec["lessons"]]
        made = services.lessons_from_review(
            actor=ctx.users[spec["lead"]], review=review, learning_ids=chosen
        )
        at = review.published_at + dt.timedelta(hours=1)
        Lesson.objects.filter(pk__in=[m.pk for m in made]).update(created_at=at, updated_at=at)
        for index, lesson in zip(spec["lessons"], made, strict=True):
            by_learning[(key, index)] = lesson
    manual: dict[str, Lesson] = {}
    for team, who, days, statement, context, tags in MANUAL:
        lesson = services.lesson_create(
            actor=ctx.users[who],
            team=ctx.teams[team],
            statement=statement,
            context=context,
            tags=tags,
            visibility=Visibility.ORGANISATION,
            source_kind=SourceKind.MANUAL,
        )
        Lesson.objects.filter(pk=lesson.pk).update(
            created_at=ctx.at(days, 10), updated_at=ctx.at(days, 10)
        )
        manual[statement] = lesson
    uses = [(by_learning[(k, i)], on, who, note) for k, i, on, who, note in APPLIED]
    for start, on, who, note in APPLIED_MANUAL:
        uses.append((next(v for s, v in manual.items() if s.startswith(start)), on, who, note))
    for lesson, on, who, note in uses:
        incident = ctx.extra["incidents"][on]
        application, _ = services.lesson_apply(
            actor=ctx.users[who], lesson=lesson, target=incident, note=note
        )
        at = incident.created_at + dt.timedelta(hours=2)
        LessonApplication.objects.filter(pk=application.pk).update(created_at=at)
