from __future__ import annotations

import json
import threading

import pytest

from learnloop.reviews import services
from learnloop.reviews.models import Review
from learnloop.reviews.tests.conftest import shipped


def _patch(client, review_id, body):
    return client.patch(
        f"/api/reviews/{review_id}", json.dumps(body), content_type="application/json"
    )


def test_it_creates_a_review_for_an_incident(client_for, alice, incident) -> None:
    response = client_for(alice).post(
        "/api/reviews",
        {"incident_id": incident.pk, "template": "incident-review"},
        content_type="application/json",
    )
    assert response.status_code == 201
    body = response.json()
    assert body["version"] == 1 and body["incident_id"] == incident.pk
    assert len(body["content"]["timeline"]) == 4


def test_it_validates_creation(client_for, alice, alpha) -> None:
    client = client_for(alice)
    bad = client.post(
        "/api/reviews",
        {"team": "beta", "template": "incident-review"},
        content_type="application/json",
    )
    assert bad.status_code == 400 and "team" in bad.json()["error"]["fields"]
    bad = client.post(
        "/api/reviews", {"team": "alpha", "template": "nope"}, content_type="application/json"
    )
    assert bad.status_code == 400 and "template" in bad.json()["error"]["fields"]
    bad = client.post(
        "/api/reviews",
        {"team": "alpha", "template": "incident-review", "title": "x" * 201},
        content_type="application/json",
    )
    assert bad.status_code == 400 and "title" in bad.json()["error"]["fields"]
    assert not Review.objects.exists()


def test_it_updates_with_the_version_and_refuses_stale_ones(client_for, alice, bob, review) -> None:
    ok = _patch(client_for(alice), review.pk, {"version": 1, "content": {"summary": "A"}})
    assert ok.status_code == 200 and ok.json()["version"] == 2
    stale = _patch(client_for(bob), review.pk, {"version": 1, "content": {"summary": "B"}})
    assert stale.status_code == 409
    body = stale.json()
    assert body["error"]["code"] == "conflict" and body["current_version"] == 2
    assert client_for(bob).get(f"/api/reviews/{review.pk}").json()["content"]["summary"] == "A"


def test_it_reports_bad_content_fields(client_for, alice, review) -> None:
    response = _patch(
        client_for(alice),
        review.pk,
        {"version": 1, "content": {"timeline": [{"at": "soon", "text": "x"}]}},
    )
    assert response.status_code == 400
    assert "content.timeline.0.at" in response.json()["error"]["fields"]


def test_it_lists_with_filters_and_pagination(client_for, alice, alpha, review) -> None:
    services.review_create(actor=alice, template=shipped("experiment-review"), team=alpha)
    client = client_for(alice)
    body = client.get("/api/reviews?page_size=1").json()
    assert body["count"] == 2 and len(body["items"]) == 1
    body = client.get("/api/reviews?template=experiment-review").json()
    assert [i["title"] for i in body["items"]] == ["Experiment review"]
    assert client.get("/api/reviews?status=published").json()["count"] == 0
    assert client.get("/api/reviews?team=alpha").json()["count"] == 2


def test_it_refuses_to_publish_with_the_missing_counts(client_for, alice, alpha) -> None:
    alpha.settings = {"learning_review": {"cooling_off_hours": 0}}
    alpha.save()
    review = services.review_create(
        actor=alice, template=shipped("24-hour-learning-review"), team=alpha
    )
    client = client_for(alice)
    _patch(client, review.pk, {"version": 1, "content": {"learnings": ["a", "b"]}})
    response = client.post(f"/api/reviews/{review.pk}/publish")
    assert response.status_code == 400
    assert response.json()["error"]["fields"]["learnings"] == [
        "Add 1 more learning (3 needed, 2 written)."
    ]
    _patch(
        client,
        review.pk,
        {
            "version": 2,
            "content": {
                "learnings": ["a", "b", "c"],
                "next_steps": [{"title": "One"}, {"title": "Two"}],
            },
        },
    )
    response = client.post(f"/api/reviews/{review.pk}/publish")
    assert response.status_code == 200 and response.json()["status"] == "published"
    revisions = client.get(f"/api/reviews/{review.pk}/revisions").json()
    assert revisions["count"] == 4 and revisions["items"][0]["summary"].startswith("Published")


def test_it_lists_templates(client_for, alice) -> None:
    body = client_for(alice).get("/api/reviews/templates").json()
    assert body["count"] == 4


@pytest.mark.parametrize("who", ["charlie", "mallory"])
def test_it_answers_404_to_other_teams(request, client_for, who, review) -> None:
    client = client_for(request.getfixturevalue(who))
    assert client.get(f"/api/reviews/{review.pk}").status_code == 404
    assert client.get(f"/api/reviews/{review.pk}/revisions").status_code == 404
    assert _patch(client, review.pk, {"version": 1, "content": {"summary": "x"}}).status_code == 404
    assert client.post(f"/api/reviews/{review.pk}/publish").status_code == 404
    created = client.post(
        "/api/reviews",
        {"incident_id": review.incident_id, "template": "incident-review"},
        content_type="application/json",
    )
    assert created.status_code == 404
    assert client.get("/api/reviews").json()["count"] == 0
    review.refresh_from_db()
    assert review.version == 1 and review.status == "draft" and Review.objects.count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_it_lets_only_one_of_two_concurrent_saves_win(alice, bob, incident) -> None:
    """Two writers start from version 1 and save at the same moment: one wins, one conflicts."""
    review = services.review_create(
        actor=alice, template=shipped("incident-review"), incident=incident
    )
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def write(actor, text) -> None:
        from django.db import connections

        try:
            barrier.wait()
            services.review_content_save(
                actor=actor,
                review=Review.objects.get(pk=review.pk),
                version=1,
                content={"summary": text},
            )
            outcomes.append("saved")
        except services.ReviewConflict:
            outcomes.append("conflict")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(u, t)) for u, t in ((alice, "A"), (bob, "B"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["conflict", "saved"]
    review.refresh_from_db()
    assert review.version == 2 and review.revisions.count() == 2


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_it_leaves_the_shipped_templates_for_later_tests() -> None:
    from learnloop.reviews.models import ReviewTemplate

    assert ReviewTemplate.objects.filter(is_shipped=True).count() == 4
