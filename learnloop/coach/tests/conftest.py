"""Fixtures shared by the coach's product and API tests (the engine tests need no database)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import caches
from django.utils import timezone


@pytest.fixture
def fresh_names(org) -> None:
    """Forget the organisation's cached member names, so each test sees its own people."""
    caches["local"].delete(f"coach:names:{org.pk}")


@pytest.fixture
def review(alice, alpha):
    """An incident review of Alpha, started by alice, open for writing."""
    from learnloop.incidents.models import Incident
    from learnloop.reviews import services as review_services
    from learnloop.reviews.models import ReviewTemplate

    t0 = timezone.now() - dt.timedelta(hours=5)
    incident = Incident.objects.create(
        team=alpha,
        title="Checkout failed",
        description="Payments timed out.",
        started_at=t0,
        detected_at=t0 + dt.timedelta(minutes=10),
        reporter=alice,
    )
    template = ReviewTemplate.objects.get(slug="incident-review", is_shipped=True)
    return review_services.review_create(actor=alice, template=template, incident=incident)
