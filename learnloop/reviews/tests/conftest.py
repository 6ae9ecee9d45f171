from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from learnloop.incidents.models import Incident
from learnloop.reviews import services
from learnloop.reviews.models import ReviewTemplate


def shipped(slug: str) -> ReviewTemplate:
    return ReviewTemplate.objects.get(slug=slug, is_shipped=True)


@pytest.fixture
def incident(alpha, alice) -> Incident:
    t0 = timezone.now() - dt.timedelta(hours=5)
    return Incident.objects.create(
        team=alpha,
        title="Checkout failed",
        description="Payments timed out.",
        started_at=t0,
        detected_at=t0 + dt.timedelta(minutes=10),
        acknowledged_at=t0 + dt.timedelta(minutes=15),
        resolved_at=t0 + dt.timedelta(hours=2),
        reporter=alice,
    )


@pytest.fixture
def review(alice, incident):
    return services.review_create(
        actor=alice, template=shipped("incident-review"), incident=incident
    )


@pytest.fixture
def learning_review(alice, alpha):
    return services.review_create(
        actor=alice, template=shipped("24-hour-learning-review"), team=alpha
    )
