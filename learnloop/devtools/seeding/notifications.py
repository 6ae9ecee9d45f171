"""Seeded notifications: new action owners and review authors with new comments."""

from __future__ import annotations

import datetime as dt
from typing import Any

from learnloop.actions.models import Action
from learnloop.devtools.seeding.common import SeedContext
from learnloop.devtools.seeding.rows import insert_values
from learnloop.notifications.models import Notification
from learnloop.reviews.models import Comment


def create_notifications(ctx: SeedContext, actions: list[Action], comments: list[Comment]) -> None:
    rng = ctx.rng
    notifications: list[tuple[Any, ...]] = []  # plain rows: nothing refers to them later
    for a in actions:
        if a.owner_id is None:
            continue
        notifications.append(
            (
                a.owner_id,
                f"You own a new action: {a.title}"[:300],
                f"/actions/{a.pk}/",
                f"seed:action:{a.pk}:assigned",
                a.created_at,
                a.created_at + dt.timedelta(hours=2) if rng.random() < 0.7 else None,
            )
        )
    for c in comments:
        author = c.review.created_by_id
        if author is None or author == c.author_id:
            continue
        notifications.append(
            (
                author,
                f"New comment on {c.review.title}"[:300],
                f"/reviews/{c.review_id}/",
                "",  # no key, as Notification() stores it
                c.created_at,
                c.created_at + dt.timedelta(hours=5) if rng.random() < 0.6 else None,
            )
        )
    columns = ("recipient_id", "text", "url", "key", "created_at", "read_at")
    insert_values(Notification, columns, notifications)
    ctx.result.counts["notification"] += len(notifications)
