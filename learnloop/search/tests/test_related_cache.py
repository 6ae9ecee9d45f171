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


def test_threads_asking_for_the_same_ranking_at_once_compute_it_once(monkeypatch) -> None:
    """Decisions 0240 and 0246: a cold ranking is computed by one thread of the server; the
    others that ask while it runs wait for it and read what it kept (at 1M rows on PostgreSQL
    each cold ranking cost 0.2-0.6 s of database time, and all of a process's threads asked at
    once), and another key is not held up by the first."""
    import threading

    from learnloop.search import selectors

    started = {"same": threading.Event(), "other": threading.Event()}
    release = threading.Event()
    calls: list[str] = []

    def slow_ranking(user, title, description, exclude, limit):
        calls.append(title)
        started[title].set()
        assert release.wait(10)
        return [{"kind": "lesson", "object_id": 1}]

    monkeypatch.setattr(selectors, "_related_found", slow_ranking)
    monkeypatch.setattr(selectors, "_related_results", lambda user, found: found)
    results: list[object] = []

    def ask(title: str) -> None:
        results.append(selectors.related(None, title, cache_key=f"k-{title}"))  # type: ignore[arg-type]

    same = [threading.Thread(target=ask, args=("same",)) for _ in range(4)]
    same[0].start()
    assert started["same"].wait(10)
    for t in same[1:]:
        t.start()
    other = threading.Thread(target=ask, args=("other",))
    other.start()
    assert started["other"].wait(10)  # another key is not held up by the first
    assert calls == ["same", "other"]
    release.set()
    for t in [*same, other]:
        t.join(10)
    assert calls == ["same", "other"] and len(results) == 5
    assert all(r == [{"kind": "lesson", "object_id": 1}] for r in results)


def test_an_aged_ranking_is_served_while_the_next_one_is_computed(monkeypatch) -> None:
    """Decision 0246: in a server, a ranking past its age is shown at once and refreshed in the
    background; the next view has the refreshed one."""
    import hashlib
    import time

    from learnloop.core import shared_memory as shared
    from learnloop.search import selectors

    region = shared.Region(served=True)
    monkeypatch.setattr(shared, "_REGION", region)
    monkeypatch.setattr(selectors, "_related_results", lambda user, found: found)
    rankings = iter([["first"], ["second"]])
    monkeypatch.setattr(selectors, "_related_found", lambda *a: next(rankings))

    def ask() -> object:
        return selectors.related(None, "t", cache_key="k-aged")  # type: ignore[arg-type]

    assert ask() == ["first"]
    monkeypatch.setattr(selectors, "RELATED_CACHE_SECONDS", 0)
    time.sleep(0.01)
    assert ask() == ["first"]
    digest = hashlib.sha256(b"k-aged").digest()
    deadline = time.monotonic() + 10
    while region.header(digest)[1] != shared.READY:
        assert time.monotonic() < deadline
        time.sleep(0.01)
    monkeypatch.setattr(selectors, "RELATED_CACHE_SECONDS", 300)
    assert ask() == ["second"]
