"""Demo reviews in every state: published ones across the year (their next steps became actions
done on time, late, or still open and overdue), one in review, a draft with open coach hints, a
plain draft, and one still cooling off. Texts are in reviews/demo_content.py."""

from __future__ import annotations

import datetime as dt
from typing import Any

from learnloop.actions.models import Action
from learnloop.core.demo import DemoContext, step
from learnloop.reviews import demo_content as text
from learnloop.reviews.models import Review, ReviewRevision, ReviewTemplate, Status
from learnloop.reviews.services import (
    review_content_save,
    review_create,
    review_publish,
    review_set_participants,
    review_set_status,
)


def _start(ctx: DemoContext, spec: dict[str, Any], default_template: str) -> Review:
    incident = ctx.extra["incidents"][spec["incident"]]
    lead = ctx.users[spec["lead"]]
    template = ReviewTemplate.objects.get(
        is_shipped=True, slug=spec.get("template", default_template)
    )
    review = review_create(actor=lead, template=template, incident=incident)
    people = [lead, *(ctx.users[k] for k in spec.get("with", []))]
    review = review_set_participants(actor=lead, review=review, user_ids=[u.pk for u in people])
    if "started" in spec:
        # Started after the report, as it happened; the cooling-off period has long passed.
        Review.objects.filter(pk=review.pk).update(opens_at=None)
        review.opens_at = None
    return review


def _write(ctx: DemoContext, review: Review, spec: dict[str, Any]) -> Review:
    lead = ctx.users[spec["lead"]]
    content = dict(review.content)
    content.update(spec.get("content", {}))
    steps = [
        {
            "title": title,
            "owner": ctx.users[owner].pk,
            "kind": kind,
            # Every due date is in the future when written; _backdate moves them into history.
            "due_date": ctx.date(days).isoformat(),
        }
        for title, owner, kind, days, _outcome in spec.get("steps", [])
    ]
    if steps:
        content["next_steps"] = steps
    return review_content_save(actor=lead, review=review, version=review.version, content=content)


def _backdate(ctx: DemoContext, review: Review, spec: dict[str, Any]) -> None:
    """Move a review and its actions to when they happened, relative to the incident's report."""
    reported = ctx.extra["incidents"][spec["incident"]].created_at
    started = reported + dt.timedelta(days=spec["started"], hours=2)
    published = (
        reported + dt.timedelta(days=spec["published"], hours=5) if "published" in spec else None
    )
    last = published or started + dt.timedelta(hours=1)
    Review.objects.filter(pk=review.pk).update(
        created_at=started, updated_at=last, published_at=published
    )
    for revision in ReviewRevision.objects.filter(review=review).order_by("version"):
        at = started if revision.version == 1 else last
        ReviewRevision.objects.filter(pk=revision.pk).update(created_at=at)
    base = published or started
    titles = {title: (days, outcome) for title, _o, _k, days, outcome in spec.get("steps", [])}
    for action in Action.objects.filter(review=review):
        days, outcome = titles[action.title]
        due = (base + dt.timedelta(days=days)).date()
        done_at = None
        status = Action.Status.OPEN
        if outcome in ("on_time", "late"):
            status = Action.Status.DONE
            done_at = base + dt.timedelta(days=days - 2 if outcome == "on_time" else days + 9)
        elif outcome == "in_progress":
            status = Action.Status.IN_PROGRESS
        Action.objects.filter(pk=action.pk).update(
            created_at=base,
            updated_at=done_at or base,
            due_date=due,
            status=status,
            done_at=done_at,
        )


@step(30)
def reviews(ctx: DemoContext) -> None:
    made: dict[str, Review] = {}
    for spec in text.PUBLISHED:
        review = _write(ctx, _start(ctx, spec, "incident-review"), spec)
        review = review_publish(actor=ctx.users[spec["lead"]], review=review)
        _backdate(ctx, review, spec)
        made[spec["incident"]] = review

    spec = text.IN_REVIEW
    review = _write(ctx, _start(ctx, spec, "incident-review"), spec)
    review = review_set_status(
        actor=ctx.users[spec["lead"]], review=review, status=Status.IN_REVIEW
    )
    _backdate(ctx, review, spec)
    made[spec["incident"]] = review

    spec = text.WITH_HINTS
    review = _write(ctx, _start(ctx, spec, "incident-review"), spec)
    ctx.extra["review_with_hints"] = review
    _backdate(ctx, review, spec)
    made[spec["incident"]] = review

    spec = text.DRAFT
    review = _write(ctx, _start(ctx, spec, "incident-review"), spec)
    _backdate(ctx, review, spec)
    made[spec["incident"]] = review

    spec = text.COOLING_OFF
    made[spec["incident"]] = _start(ctx, spec, "24-hour-learning-review")
    ctx.extra["reviews"] = made
    ctx.extra["review_specs"] = {s["incident"]: s for s in text.PUBLISHED}
