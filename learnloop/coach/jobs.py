"""Background work of the coach: flags of reviews written in bulk (``learnloop import``)."""

from __future__ import annotations

from learnloop.coach.signals import sync_reviews as _sync_reviews
from learnloop.tasks.registry import job


@job("coach.sync_reviews")
def sync_reviews(review_ids: list[int]) -> int:
    """Sync the coach's flags of these published reviews (decision 0087); return how many."""
    return _sync_reviews([int(i) for i in review_ids])
