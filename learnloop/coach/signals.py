"""Keep a published review's coach counts in step with its text (see services.coach_sync_review).

Runs after the commit and never raises: the coach coaches, it must not stop a review from being
published or saved."""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from learnloop.reviews.models import Review, Status

log = logging.getLogger(__name__)


def _sync(review_id: int) -> None:
    from learnloop.coach.services import coach_sync_review

    try:
        review = Review.objects.select_related("team").get(pk=review_id)
        coach_sync_review(review=review)
    except Exception:
        log.exception("coach: could not sync the flags of review %s", review_id)


@receiver(post_save, sender=Review, dispatch_uid="coach_sync_published_review")
def on_review_saved(sender: Any, instance: Review, **kwargs: Any) -> None:
    if instance.status == Status.PUBLISHED and not kwargs.get("raw"):
        transaction.on_commit(lambda: _sync(instance.pk))
