"""Applause: the fixed set, one of each per person per item, toggled in place, who reacted
shown to screen readers, never on incident reports, 404 for items one cannot see."""

from __future__ import annotations

from typing import Any

import pytest

from learnloop.accounts.services import api_token_create
from learnloop.applause import registry
from learnloop.applause.models import Reaction
from learnloop.testing.builders import make_deliverable, make_entry, make_lesson, make_review

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry(alice, bob, alpha):
    deliverable = make_deliverable(alpha, owner=alice, collaborators=[bob])
    return make_entry(deliverable, author=bob, text="Shipped the retry flow on time.")


@pytest.fixture
def api(client):
    def make(user):
        _, raw = api_token_create(user=user, name="test")
        auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}

        class Api:
            def get(self, url: str):
                return client.get(url, **auth)

            def post(self, url: str, data: dict[str, Any]):
                return client.post(url, data, content_type="application/json", **auth)

            def delete(self, url: str):
                return client.delete(url, **auth)

        return Api()

    return make


def test_a_press_toggles_a_reaction_in_place(client_for, alice, bob, entry) -> None:
    client = client_for(alice)
    url = f"/applause/entry/{entry.pk}/clap/"
    response = client.post(url, {"next": "/deliverables/"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    body = response.content.decode()
    assert 'aria-pressed="true"' in body and f"from {alice.name}" in body
    reaction = Reaction.objects.get()
    assert (reaction.recipient, reaction.user, reaction.team_id) == (bob, alice, entry.team_id)
    again = client.post(url, HTTP_HX_REQUEST="true")
    assert again.status_code == 200 and not Reaction.objects.exists()
    # Without JavaScript: a redirect back to the page it came from.
    plain = client.post(url, {"next": f"/deliverables/{entry.deliverable_id}/"})
    assert (
        plain.status_code == 302 and plain["Location"] == f"/deliverables/{entry.deliverable_id}/"
    )


def test_one_of_each_per_person_and_only_from_the_set(api, alice, bob, entry) -> None:
    client = api(alice)
    url = f"/api/applause/entry/{entry.pk}"
    assert client.post(url, {"emoji": "tada"}).status_code == 201
    duplicate = client.post(url, {"emoji": "tada"})
    assert duplicate.status_code == 409 and duplicate.json()["error"]["code"] == "conflict"
    outside = client.post(url, {"emoji": "thumbsdown"})
    assert outside.status_code == 400 and "emoji" in outside.json()["error"]["fields"]
    assert api(bob).post(url, {"emoji": "tada"}).status_code == 201
    bar = {r["emoji"]: r for r in client.get(url).json()}
    assert list(bar) == ["clap", "tada", "bulb", "pray", "heart", "rocket"]
    assert bar["tada"]["count"] == 2 and bar["tada"]["mine"] is True
    assert sorted(bar["tada"]["names"]) == sorted([alice.name, bob.name])
    assert client.delete(f"{url}/tada").status_code == 204
    assert client.delete(f"{url}/tada").status_code == 404
    assert Reaction.objects.count() == 1


def test_lessons_and_reviews_take_applause_incidents_never(api, alice, alpha) -> None:
    lesson = make_lesson(alpha, statement="Rotate keys before they expire.", actor=alice)
    review = make_review(alpha, status="published", created_by=alice)
    client = api(alice)
    assert client.post(f"/api/applause/lesson/{lesson.pk}", {"emoji": "bulb"}).status_code == 201
    assert client.post(f"/api/applause/review/{review.pk}", {"emoji": "pray"}).status_code == 201
    assert client.post("/api/applause/incident/1", {"emoji": "clap"}).status_code == 404
    with pytest.raises(ValueError):
        registry.register("incident", "incidents.Incident", recipient="id", label="incident")
    assert "incident" not in registry.KINDS


@pytest.mark.parametrize("who", ["charlie", "mallory"])
def test_another_team_gets_404(request, api, client_for, entry, who) -> None:
    person = request.getfixturevalue(who)
    client = api(person)
    url = f"/api/applause/entry/{entry.pk}"
    for response in (
        client.get(url),
        client.post(url, {"emoji": "clap"}),
        client.delete(f"{url}/clap"),
    ):
        assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"
    web = client_for(person).post(f"/applause/entry/{entry.pk}/clap/")
    assert web.status_code == 404
    assert not Reaction.objects.exists()


def test_organisation_visible_items_take_applause_from_other_teams(
    api, alice, charlie, alpha
) -> None:
    lesson = make_lesson(alpha, statement="Shared lesson.", visibility="organisation", actor=alice)
    response = api(charlie).post(f"/api/applause/lesson/{lesson.pk}", {"emoji": "heart"})
    assert response.status_code == 201
    assert Reaction.objects.get().recipient == alice
