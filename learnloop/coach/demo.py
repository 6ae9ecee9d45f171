"""Demo: the draft review that talks about a person gets the coach's hints, left open."""

from __future__ import annotations

from learnloop.coach.selectors import review_text_fields
from learnloop.coach.services import coach_check
from learnloop.core.demo import DemoContext, step


@step(35)
def coach_hints(ctx: DemoContext) -> None:
    review = ctx.extra["review_with_hints"]
    lead = review.created_by
    for field_key, _section, text in review_text_fields(review):
        # What the editor does as someone types: each hint is kept as an open flag.
        coach_check(
            user=lead, text=text, target_type="review", target_id=review.pk, field_key=field_key
        )
