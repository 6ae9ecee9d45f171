"""Finding 5: two people edit the same lesson; the later, stale save is refused, nothing lost."""

from __future__ import annotations

import json

from learnloop.lessons.models import Lesson
from learnloop.testing.builders import make_lesson


def test_a_stale_edit_form_gets_the_conflict_view_and_loses_nothing(
    client_for, form_as_posted, alice, bob, alpha
):
    lesson = make_lesson(
        alpha, statement="Check expiry dates a month ahead.", tags=["certificates"]
    )
    url = f"/lessons/{lesson.pk}/edit/"
    a, b = client_for(bob), client_for(alice)
    form_a, form_b = form_as_posted(a.get(url)), form_as_posted(b.get(url))

    assert (
        a.post(url, {**form_a, "statement": "Check expiry dates six weeks ahead."}).status_code
        == 302
    )
    response = b.post(url, {**form_b, "context": "The wildcard certificate lapsed on a Sunday."})

    assert response.status_code == 409
    body = response.content.decode()
    assert "Someone else changed this lesson meanwhile" in body
    assert "Check expiry dates six weeks ahead." in body  # theirs, the latest saved version
    assert "The wildcard certificate lapsed on a Sunday." in body  # mine, still in the form
    assert response.context["form"]["version"].value() == "2"
    lesson.refresh_from_db()
    assert lesson.statement == "Check expiry dates six weeks ahead."
    assert lesson.context == "" and lesson.version == 2

    again = b.post(url, form_as_posted(response))
    assert again.status_code == 302
    lesson.refresh_from_db()
    assert lesson.context == "The wildcard certificate lapsed on a Sunday."
    assert lesson.version == 3


def test_the_api_refuses_a_stale_patch_with_409_in_the_one_shape(client_for, alice, bob, alpha):
    lesson = make_lesson(alpha, statement="Check expiry dates a month ahead.")
    url = f"/api/lessons/{lesson.pk}"
    a, b = client_for(bob), client_for(alice)
    assert a.get(url).json()["version"] == 1 and b.get(url).json()["version"] == 1

    first = a.patch(url, json.dumps({"version": 1, "statement": "First."}), "application/json")
    assert first.status_code == 200 and first.json()["version"] == 2
    stale = b.patch(
        url, json.dumps({"version": 1, "statement": "Second.", "tags": ["tls"]}), "application/json"
    )

    assert stale.status_code == 409
    body = stale.json()
    assert set(body) == {"error", "current_version"} and body["current_version"] == 2
    assert set(body["error"]) == {"code", "message", "fields"}
    assert body["error"]["code"] == "conflict"
    assert body["error"]["fields"]["statement"] == ["Changed meanwhile; now: First."]
    assert body["error"]["fields"]["version"] == ["The current version is 2."]
    saved = Lesson.objects.get(pk=lesson.pk)
    assert (saved.statement, saved.version, list(saved.tags.all())) == ("First.", 2, [])


def test_the_api_refuses_a_patch_without_a_version(client_for, bob, alpha):
    lesson = make_lesson(alpha, statement="Check expiry dates a month ahead.")
    response = client_for(bob).patch(
        f"/api/lessons/{lesson.pk}", json.dumps({"statement": "Blind."}), "application/json"
    )
    assert response.status_code == 422
    assert response.json()["error"]["fields"]["version"]
    lesson.refresh_from_db()
    assert lesson.statement == "Check expiry dates a month ahead." and lesson.version == 1
