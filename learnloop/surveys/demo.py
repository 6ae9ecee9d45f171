"""Demo surveys for Crumb & Co: Delivery's closed round with five answers (shown), Platform's
closed round with four (hidden: too few), and an open round for Customer Care. Answers go
through the service, as people's would (written for the demo)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.utils import timezone

from learnloop.core.demo import DemoContext, step
from learnloop.surveys import services
from learnloop.surveys.models import SurveyRound

# One row per person: answers to q1..q7 on the agreement scale (q1, q3, q5 are negative items).
DELIVERY = [
    (2, 6, 2, 5, 3, 6, 6),
    (3, 5, 1, 4, 2, 6, 5),
    (2, 6, 2, 6, 2, 7, 6),
    (4, 4, 3, 3, 4, 5, 4),
    (2, 6, 1, 5, 2, 6, 6),
]
PLATFORM = [
    (3, 5, 2, 4, 3, 6, 5),
    (2, 6, 1, 5, 2, 6, 6),
    (4, 4, 2, 3, 3, 5, 5),
    (3, 5, 2, 5, 2, 6, 5),
]
COMMENTS = {
    "tomas": "Route changes land on us at 5 a.m.; asking earlier would help.",
    "oskar": "It got easier to say 'I'm not sure' since the debriefs started.",
}


def _answer(
    survey: SurveyRound, people: list[str], rows: Sequence[Sequence[int]], ctx: DemoContext
) -> None:
    for key, row in zip(people, rows, strict=True):
        services.round_answer(
            actor=ctx.users[key],
            survey=survey,
            values={f"q{i + 1}": v for i, v in enumerate(row)},
            comment=COMMENTS.get(key, ""),
        )


def _closed(survey: SurveyRound, closed_days_ago: int, ctx: DemoContext) -> None:
    # The demo's past: the round is moved back as if it had closed then.
    closes = ctx.at(closed_days_ago, 17)
    SurveyRound.objects.filter(pk=survey.pk).update(
        closes_at=closes, created_at=closes - dt.timedelta(days=10), updated_at=closes
    )


@step(60)
def surveys(ctx: DemoContext) -> None:
    soon = timezone.now() + dt.timedelta(days=5)
    delivery = services.round_open(
        actor=ctx.users["tomas"], team=ctx.teams["delivery"], closes_at=soon
    )
    _answer(delivery, ["tomas", "keiko", "amara", "sofia", "oskar"], DELIVERY, ctx)
    _closed(delivery, 20, ctx)
    platform = services.round_open(
        actor=ctx.users["amara"], team=ctx.teams["platform"], closes_at=soon
    )
    _answer(platform, ["amara", "jonas", "priya", "ines"], PLATFORM, ctx)
    _closed(platform, 25, ctx)
    services.round_open(
        actor=ctx.users["lena"],
        team=ctx.teams["support"],
        closes_at=soon,
        extra_questions=["I feel safe pitching a risky idea to this team."],
    )
