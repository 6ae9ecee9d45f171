"""Keep a published review's coach counts in step with its text (see services.coach_sync_review).

Runs after the commit and never raises: the coach coaches, it must not stop a review from being
published or saved."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from learnloop.core.deferral import collecting, collector
from learnloop.reviews.models import Review, Status

log = logging.getLogger(__name__)


def _sync(review_id: int) -> None:
    from learnloop.coach.services import coach_sync_review

    try:
        review = Review.objects.select_related("team").get(pk=review_id)
        coach_sync_review(review=review)
    except Exception:
        log.exception("coach: could not sync the flags of review %s", review_id)


def sync_reviews(review_ids: list[int]) -> int:
    """The ``coach.sync_reviews`` job: sync each review's flags (those still there)."""
    done = 0
    for review_id in review_ids:
        _sync(int(review_id))
        done += 1
    return done


_LATER = "learnloop_coach_syncs_later"
#: Reviews per ``coach.sync_reviews`` job.
SYNC_BATCH = 64


@contextmanager
def syncs_later() -> Iterator[list[int]]:
    """Bulk writes (``learnloop import``): inside this block a published review's flags are not
    synced after its commit; the ids of the committed ones are queued at the end of the block as
    ``coach.sync_reviews`` jobs for the background worker (arguments: review ids only, never a
    person). Decision 0087."""
    with collecting(_LATER) as ids:
        yield ids
    from learnloop.tasks.registry import enqueue

    unique = sorted(set(ids))
    for start in range(0, len(unique), SYNC_BATCH):
        enqueue("coach.sync_reviews", args={"review_ids": unique[start : start + SYNC_BATCH]})


@receiver(post_save, sender=Review, dispatch_uid="coach_sync_published_review")
def on_review_saved(sender: Any, instance: Review, **kwargs: Any) -> None:
    if instance.status == Status.PUBLISHED and not kwargs.get("raw"):
        later = collector(_LATER)
        if later is not None:  # only once committed: a rolled-back savepoint drops this too
            pk = instance.pk
            transaction.on_commit(lambda: later.append(pk))
            return
        transaction.on_commit(lambda: _sync(instance.pk))
