"""Seeded follow-up actions: done on time, late, overdue or dropped, as real teams' are."""

from __future__ import annotations

import datetime as dt

from learnloop.actions.models import Action
from learnloop.devtools.seeding.common import SeedContext, org_fields, weighted
from learnloop.devtools.seeding.reviews import ReviewDraft
from learnloop.devtools.seeding.rows import insert
from learnloop.devtools.seeding.words import ACTION_VERBS


def actions_for(ctx: SeedContext, draft: ReviewDraft) -> list[Action]:
    """Zero to three actions from one review (not saved yet)."""
    rng, review, inc = ctx.rng, draft.review, draft.incident
    people = draft.story.people
    actions = []
    for _ in range(rng.choice([0, 1, 1, 2, 2, 3])):
        due = (review.created_at + dt.timedelta(days=rng.randrange(7, 60))).date()
        if due < ctx.today:
            status = weighted(rng, [("on_time", 55), ("late", 20), ("overdue", 18), ("wont_do", 7)])
        else:
            status = weighted(rng, [("on_time", 25), ("open", 45), ("in_progress", 30)])
        due_at = dt.datetime.combine(due, dt.time(), tzinfo=dt.UTC)
        done_at = None
        if status == "on_time":
            done_at = min(
                review.created_at + (due_at - review.created_at) * rng.random(), ctx.anchor
            )
        elif status == "late":
            done_at = min(due_at + dt.timedelta(days=rng.randrange(1, 30)), ctx.anchor)
        real = {"on_time": "done", "late": "done", "overdue": "open"}.get(status, status)
        actions.append(
            Action(
                **org_fields(Action, ctx.result.organisation_id),
                team_id=review.team_id,
                visibility=review.visibility,
                title=f"{rng.choice(ACTION_VERBS)} the {draft.story.comp}",
                description=f"From the review of “{inc.title}”.",
                review=review,
                incident=inc,
                owner=rng.choice(people),
                due_date=due,
                kind=rng.choice(["prevent", "detect", "mitigate", "process", "learn"]),
                status=real,
                done_at=done_at,
                created_by=draft.author,
                created_at=review.created_at,
                updated_at=done_at or review.created_at,
            )
        )
    return actions


def save_actions(ctx: SeedContext, actions: list[Action]) -> None:
    insert(actions)
    ctx.result.counts["action"] += len(actions)
