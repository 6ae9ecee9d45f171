"""Kept parts of the incident page (decision 0175): the same bytes as a full render, a new part
after any write in the organisation (read-your-writes), one part per visibility scope."""

from __future__ import annotations

import re

import pytest
from django.core.cache import caches

from learnloop.core.models import Visibility
from learnloop.incidents import page_parts
from learnloop.incidents.services import incident_create
from learnloop.testing import builders

pytestmark = pytest.mark.django_db

TEXT = (
    "The certificate for the internal payments gateway expired overnight; every client "
    "failed the TLS handshake until we renewed the certificate by hand."
)
_TOKEN = re.compile(r'(name="csrfmiddlewaretoken" value="|<meta name="csrf-token" content=")[^"]+"')


def _html(response) -> str:
    assert response.status_code == 200
    return _TOKEN.sub(r'\1X"', response.content.decode())


def _parts() -> list[str]:
    return [k for k in caches["local"]._cache if page_parts.PREFIX in k]  # type: ignore[attr-defined]


@pytest.fixture
def suggested(alpha, beta):
    """Things the related panel suggests for TEXT: one per team, private, and a shared lesson."""
    return {
        "alpha": builders.make_incident(alpha, title="Alpha gateway certificate", description=TEXT),
        "beta": builders.make_incident(beta, title="Beta gateway certificate", description=TEXT),
        "lesson": builders.make_lesson(
            alpha,
            statement="Renew certificates early",
            context=TEXT,
            visibility=Visibility.ORGANISATION,
        ),
    }


@pytest.fixture
def report(bob, suggested):
    return incident_create(
        actor=bob,
        title="Certificate expired on the gateway",
        description=TEXT,
        visibility=Visibility.ORGANISATION,
        anonymous=True,
    )


def test_the_page_is_the_same_bytes_with_its_related_panel_kept(settings, client_for, bob, report):
    client = client_for(bob)
    settings.LEARNLOOP_PAGE_CACHE = False
    rendered = _html(client.get(f"/incidents/{report.pk}/"))
    assert "Renew certificates early" in rendered  # the panel is there: the test proves something
    assert not _parts()
    settings.LEARNLOOP_PAGE_CACHE = True
    first = _html(client.get(f"/incidents/{report.pk}/"))
    assert len(_parts()) == 1
    again = _html(client.get(f"/incidents/{report.pk}/"))
    assert len(_parts()) == 1
    assert first == rendered and again == rendered


@pytest.mark.usefixtures("page_cache_on")
def test_a_write_in_the_organisation_renders_the_panel_again(client_for, bob, report, suggested):
    client = client_for(bob)
    assert "Renew certificates early" in _html(client.get(f"/incidents/{report.pk}/"))
    lesson = suggested["lesson"]
    lesson.statement = "Renew certificates a month ahead"
    lesson.save()
    body = _html(client.get(f"/incidents/{report.pk}/"))
    assert "Renew certificates a month ahead" in body and "Renew certificates early" not in body
    assert len(_parts()) == 2  # one per data version


@pytest.mark.usefixtures("page_cache_on")
def test_each_visibility_scope_has_its_own_panel(client_for, bob, charlie, report):
    mine = _html(client_for(bob).get(f"/incidents/{report.pk}/"))
    theirs = _html(client_for(charlie).get(f"/incidents/{report.pk}/"))
    assert "Alpha gateway certificate" in mine and "Beta gateway certificate" not in mine
    assert "Beta gateway certificate" in theirs and "Alpha gateway certificate" not in theirs
    assert len(_parts()) == 2


@pytest.mark.usefixtures("page_cache_on")
def test_viewers_with_the_same_scope_share_the_panel(client_for, bob, alice, report):
    """Keyed by scope, not by person: a kept part does not say who opened the page."""
    clients = [client_for(bob), client_for(alice)]  # signing in writes: before the views
    for client in clients:
        assert client.get(f"/incidents/{report.pk}/").status_code == 200
    assert len(_parts()) == 1


@pytest.mark.usefixtures("page_cache_on")
def test_a_new_review_of_the_incident_is_never_suggested_to_it(client_for, bob, report):
    """The panel excludes the incident's own reviews: a review written after a kept panel
    moves the data version, so the next view ranks without it."""
    client = client_for(bob)
    client.get(f"/incidents/{report.pk}/")
    review = builders.make_review(
        report.team,
        title="Review of the gateway certificate",
        incident=report,
        content={"summary": TEXT},
        sections=[],
        visibility=Visibility.ORGANISATION,
    )
    body = _html(client.get(f"/incidents/{report.pk}/"))
    panel = body.split("Related past lessons")[1]
    assert f'href="/reviews/{review.pk}/"' not in panel
