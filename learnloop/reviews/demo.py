"""A published demo review with a timeline, contributing factors, learnings and actions."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from learnloop.core.demo import DemoContext, step
from learnloop.reviews.models import ReviewTemplate
from learnloop.reviews.services import review_content_save, review_create, review_publish


@step(30)
def reviews(ctx: DemoContext) -> None:
    incident = ctx.extra["incidents"]["checkout"]
    amara, priya = ctx.users["amara"], ctx.users["priya"]
    template = ReviewTemplate.objects.get(is_shipped=True, slug="incident-review")
    review = review_create(actor=amara, template=template, incident=incident)
    content = dict(review.content)
    content.update(
        {
            "summary": "Payment provider latency plus unbounded retries saturated checkout for 40 minutes.",
            "impact": "About 320 orders failed or were delayed; cafés phoned in 45 orders by hand.",
            "contributing_factors": [
                {"category": "technology", "description": "Retries had no budget and no jitter."},
                {
                    "category": "knowledge",
                    "description": "The provider's status page was not on our dashboard.",
                },
                {
                    "category": "environment",
                    "description": "Saturday rush: three times normal traffic.",
                },
            ],
            "went_well": [{"text": "Cafés switched to phone orders within ten minutes."}],
            "difficult": [{"text": "Timeouts looked like our bug, not the provider's slowness."}],
            "lucky": [{"text": "It happened after the 7 a.m. delivery cut-off."}],
            "learnings": [
                {"text": "A retry without a budget turns a slow dependency into our own outage."},
                {"text": "Dependency status belongs on the same screen as our own alerts."},
            ],
            "next_steps": [
                {
                    "title": "Add a retry budget with jitter to the payment client",
                    "owner": priya.pk,
                    "due_date": (timezone.localdate() + dt.timedelta(days=7)).isoformat(),
                    "kind": "prevent",
                },
                {
                    "title": "Show the payment provider's status on the on-call dashboard",
                    "owner": amara.pk,
                    "due_date": (timezone.localdate() - dt.timedelta(days=1)).isoformat(),
                    "kind": "detect",
                },
            ],
        }
    )
    review = review_content_save(
        actor=amara, review=review, version=review.version, content=content
    )
    review_publish(actor=amara, review=review)
