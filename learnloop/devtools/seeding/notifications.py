"""Seeded notifications: new action owners and review authors with new comments."""

from __future__ import annotations

import datetime as dt

from learnloop.actions.models import Action
from learnloop.devtools.seeding.common import SeedContext
from learnloop.devtools.seeding.rows import insert
from learnloop.notifications.models import Notification
from learnloop.reviews.models import Comment


def create_notifications(ctx: SeedContext, actions: list[Action], comments: list[Comment]) -> None:
    rng = ctx.rng
    notifications = []
    for a in actions:
        if a.owner_id is None:
            continue
        notifications.append(
            Notification(
                recipient_id=a.owner_id,
                text=f"You own a new action: {a.title}"[:300],
                url=f"/actions/{a.pk}/",
                key=f"seed:action:{a.pk}:assigned",
                created_at=a.created_at,
                read_at=a.created_at + dt.timedelta(hours=2) if rng.random() < 0.7 else None,
            )
        )
    for c in comments:
        author = c.review.created_by_id
        if author is None or author == c.author_id:
            continue
        notifications.append(
            Notification(
                recipient_id=author,
                text=f"New comment on {c.review.title}"[:300],
                url=f"/reviews/{c.review_id}/",
                created_at=c.created_at,
                read_at=c.created_at + dt.timedelta(hours=5) if rng.random() < 0.6 else None,
            )
        )
    insert(notifications)
    ctx.result.counts["notification"] += len(notifications)
