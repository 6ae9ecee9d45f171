"""Page-level related suggestions are cached as a ranking, never as what the viewer may see."""

from __future__ import annotations

import pytest

from learnloop.core.models import Visibility

pytestmark = pytest.mark.django_db

TEXT = (
    "The certificate for the internal payments gateway expired overnight; every client "
    "failed the TLS handshake until we renewed the certificate by hand."
)


def test_a_cached_suggestion_made_private_disappears_at_once(
    make_incident, make_lesson, client_for, alpha, beta, charlie
):
    lesson = make_lesson(
        "Renew certificates before they expire", TEXT, visibility=Visibility.ORGANISATION
    )
    own = make_incident(
        "Gateway certificate expired again", TEXT, team=beta, visibility=Visibility.TEAM
    )
    client = client_for(charlie)
    assert (
        "Renew certificates before they expire"
        in client.get(f"/incidents/{own.pk}/").content.decode()
    )
    # Alpha makes its lesson team-private; the cached ranking still names it, the page must not.
    type(lesson).objects.filter(pk=lesson.pk).update(visibility=Visibility.TEAM)
    assert (
        "Renew certificates before they expire"
        not in client.get(f"/incidents/{own.pk}/").content.decode()
    )


def test_the_ranking_is_reused_until_the_page_changes(
    make_incident, make_lesson, client_for, bob, monkeypatch
):
    from learnloop.search import selectors

    calls = []
    real = selectors.related_documents
    monkeypatch.setattr(
        selectors, "related_documents", lambda *a, **k: calls.append(1) or real(*a, **k)
    )
    make_lesson("Renew certificates before they expire", TEXT, visibility=Visibility.ORGANISATION)
    incident = make_incident("Gateway certificate expired again", TEXT)
    client = client_for(bob)
    for _ in range(2):
        assert (
            "Renew certificates before they expire"
            in client.get(f"/incidents/{incident.pk}/").content.decode()
        )
    assert len(calls) == 1
    incident.description = TEXT + " Renewal is now automated."
    incident.save()
    client.get(f"/incidents/{incident.pk}/")
    assert len(calls) == 2
