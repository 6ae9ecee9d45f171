"""Seeded reviews of resolved incidents, with their timeline, factors, learnings, first
revision, participants and comments."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from learnloop.accounts.models import User
from learnloop.devtools.seeding.common import SeedContext, fill, minutes, org_fields, weighted
from learnloop.devtools.seeding.incidents import IncidentStory
from learnloop.devtools.seeding.rows import insert, insert_values
from learnloop.devtools.seeding.words import (
    COMMENTS,
    DIFFICULT,
    FACTOR_TEXT,
    HELPED,
    IMPACTS,
    LEARNINGS,
    TIMELINE_STEPS,
)
from learnloop.incidents.models import Incident
from learnloop.reviews.models import (
    Comment,
    ContributingFactor,
    Learning,
    Review,
    ReviewRevision,
    TimelineEntry,
)


@dataclass
class ReviewDraft:
    """A review and what its rows (timeline entries, factors, learnings, actions) come from."""

    review: Review
    incident: Incident
    story: IncidentStory
    timeline_at: list[dt.datetime]
    factors: list[dict[str, str]]
    learnings: list[str]
    author: User


@dataclass
class ReviewParts:
    """The rows of many reviews, collected so each table gets one bulk insert."""

    # Rows nothing refers to later are plain tuples (no model instance per row): see save.
    timeline: list[tuple[int, dt.datetime, str, int]] = field(default_factory=list)
    factors: list[tuple[int, str, str, int]] = field(default_factory=list)
    learnings: list[Learning] = field(default_factory=list)
    revisions: list[ReviewRevision] = field(default_factory=list)
    participants: list[tuple[int, int]] = field(default_factory=list)  # (review_id, user_id)
    comments: list[Comment] = field(default_factory=list)


def create_reviews(
    ctx: SeedContext, incidents: list[Incident], stories: list[IncidentStory]
) -> list[ReviewDraft]:
    drafts = [
        _draft(ctx, inc, story)
        for inc, story in zip(incidents, stories, strict=True)
        if story.reviewed
    ]
    insert([d.review for d in drafts])
    ctx.result.counts["review"] += len(drafts)
    return drafts


def _draft(ctx: SeedContext, inc: Incident, story: IncidentStory) -> ReviewDraft:
    rng = ctx.rng
    comp, cause = story.comp, story.cause
    created = inc.resolved_at + minutes(rng, 600, 1.0)
    timeline_at = [inc.detected_at]
    for _ in range(rng.randrange(3, 9)):
        timeline_at.append(timeline_at[-1] + minutes(rng, 6))
    timeline = [
        {
            "at": a.isoformat().replace("+00:00", "Z"),
            "text": fill(rng.choice(TIMELINE_STEPS), comp, cause),
        }
        for a in timeline_at
    ]
    cats = rng.sample(list(FACTOR_TEXT), rng.randrange(1, 4))
    factors = [{"category": c, "description": fill(FACTOR_TEXT[c], comp, cause)} for c in cats]
    learnings = [
        fill(t, comp, cause).capitalize() for t in rng.sample(LEARNINGS, rng.randrange(1, 4))
    ]
    status = weighted(rng, [("published", 65), ("in_review", 15), ("draft", 20)])
    if inc.resolved_at < ctx.anchor - dt.timedelta(days=60) and status == "draft":
        status = "published"
    published = created + minutes(rng, 60 * 24 * 3, 1.0) if status == "published" else None
    content = {
        "summary": inc.description,
        "impact": rng.choice(IMPACTS).format(n=rng.randrange(3, 5000), m=rng.randrange(2, 300)),
        "timeline": timeline,
        "contributing_factors": factors,
        "went_well": [fill(rng.choice(HELPED), comp, cause)],
        "difficult": [fill(rng.choice(DIFFICULT), comp, cause)],
        "lucky": [],
        "learnings": learnings,
        "next_steps": [],
    }
    author = inc.reporter or rng.choice(story.people)
    review = Review(
        **org_fields(Review, ctx.result.organisation_id),
        team_id=inc.team_id,
        visibility=inc.visibility,
        incident=inc,
        template=ctx.template,
        sections=ctx.sections,
        title=f"Review: {inc.title}"[:200],
        status=status,
        content=content,
        published_at=published,
        created_by=author,
        created_at=created,
        updated_at=published or created,
    )
    return ReviewDraft(review, inc, story, timeline_at, factors, learnings, author)


def add_review_parts(ctx: SeedContext, draft: ReviewDraft, parts: ReviewParts) -> None:
    """Timeline entries, factors, learnings, the first revision, participants and comments."""
    rng, review = ctx.rng, draft.review
    for pos, (at, entry) in enumerate(
        zip(draft.timeline_at, review.content["timeline"], strict=True)
    ):
        parts.timeline.append((review.pk, at, entry["text"], pos))
    for pos, f in enumerate(draft.factors):
        parts.factors.append((review.pk, f["category"], f["description"], pos))
    for pos, text in enumerate(draft.learnings):
        parts.learnings.append(Learning(review=review, text=text, position=pos))
    parts.revisions.append(
        ReviewRevision(
            review=review,
            version=1,
            author=draft.author,
            title=review.title,
            content=review.content,
            created_at=review.created_at,
        )
    )
    people = draft.story.people
    for p in {u.pk: u for u in rng.sample(people, min(len(people), rng.randrange(1, 4)))}.values():
        parts.participants.append((review.pk, p.pk))
    for c in range(rng.choice([0, 1, 1, 2, 3, 4])):
        parts.comments.append(
            Comment(
                review=review,
                author=rng.choice(people),
                body=fill(rng.choice(COMMENTS), draft.story.comp, draft.story.cause),
                created_at=review.created_at + dt.timedelta(hours=c + 1),
                updated_at=review.created_at + dt.timedelta(hours=c + 1),
            )
        )


def save_review_parts(ctx: SeedContext, parts: ReviewParts) -> None:
    """One bulk insert per table; ``parts.learnings`` get their ids (lessons point at them)."""
    insert_values(TimelineEntry, ("review_id", "at", "text", "position"), parts.timeline)
    insert_values(
        ContributingFactor, ("review_id", "category", "description", "position"), parts.factors
    )
    parts.learnings = insert(parts.learnings)
    insert(parts.revisions)
    insert_values(Review.participants.through, ("review_id", "user_id"), parts.participants)
    insert(parts.comments)
    counts = ctx.result.counts
    counts["timeline entry"] += len(parts.timeline)
    counts["contributing factor"] += len(parts.factors)
    counts["learning"] += len(parts.learnings)
    counts["review revision"] += len(parts.revisions)
    counts["review participant"] += len(parts.participants)
    counts["comment"] += len(parts.comments)
