"""Finding 5: two people edit the same report; the later, stale save is refused, nothing lost."""

from __future__ import annotations

import json

from learnloop.incidents.models import Incident
from learnloop.testing.builders import make_incident


def test_a_stale_edit_form_gets_the_conflict_view_and_loses_nothing(
    client_for, form_as_posted, alice, bob, alpha
):
    incident = make_incident(alpha, reporter=bob, title="Checkout timed out")
    url = f"/incidents/{incident.pk}/edit/"
    a, b = client_for(bob), client_for(alice)
    form_a, form_b = form_as_posted(a.get(url)), form_as_posted(b.get(url))

    assert a.post(url, {**form_a, "title": "Checkout timed out (payments)"}).status_code == 302
    response = b.post(url, {**form_b, "description": "The retry storm began at 10:02."})

    assert response.status_code == 409
    body = response.content.decode()
    assert "Someone else changed this report meanwhile" in body
    assert "Checkout timed out (payments)" in body  # theirs, the latest saved version
    assert "The retry storm began at 10:02." in body  # mine, still in the form
    assert response.context["form"]["version"].value() == "2"
    incident.refresh_from_db()
    assert incident.title == "Checkout timed out (payments)"
    assert incident.description == "Payments were slow." and incident.version == 2

    # Saving the conflict form again knowingly replaces the newer version.
    again = b.post(url, form_as_posted(response))
    assert again.status_code == 302
    incident.refresh_from_db()
    assert incident.description == "The retry storm began at 10:02."
    assert incident.version == 3


def test_the_api_refuses_a_stale_patch_with_409_in_the_one_shape(client_for, alice, bob, alpha):
    incident = make_incident(alpha, reporter=bob, title="Checkout timed out")
    url = f"/api/incidents/{incident.pk}"
    a, b = client_for(bob), client_for(alice)
    version = a.get(url).json()["version"]
    assert version == 1 and b.get(url).json()["version"] == 1

    first = a.patch(url, json.dumps({"version": 1, "title": "First"}), "application/json")
    assert first.status_code == 200 and first.json()["version"] == 2
    stale = b.patch(
        url, json.dumps({"version": 1, "title": "Second", "tags": ["db"]}), "application/json"
    )

    assert stale.status_code == 409
    body = stale.json()
    assert set(body) == {"error", "current_version"} and body["current_version"] == 2
    assert set(body["error"]) == {"code", "message", "fields"}
    assert body["error"]["code"] == "conflict"
    assert body["error"]["fields"]["title"] == ["Changed meanwhile; now: First"]
    assert body["error"]["fields"]["version"] == ["The current version is 2."]
    saved = Incident.objects.get(pk=incident.pk)
    assert (saved.title, saved.version, list(saved.tags.all())) == ("First", 2, [])


def test_the_api_refuses_a_patch_without_a_version(client_for, bob, alpha):
    incident = make_incident(alpha, reporter=bob, title="Checkout timed out")
    response = client_for(bob).patch(
        f"/api/incidents/{incident.pk}", json.dumps({"title": "Blind"}), "application/json"
    )
    assert response.status_code == 422
    assert response.json()["error"]["fields"]["version"]
    incident.refresh_from_db()
    assert incident.title == "Checkout timed out" and incident.version == 1


def test_an_anonymous_report_refuses_stale_saves_too(client_for, alice, alpha, bob):
    from learnloop.incidents import services

    incident = services.incident_create(actor=bob, title="A", description="x", anonymous=True)
    url = f"/api/incidents/{incident.pk}"
    c = client_for(alice)
    assert (
        c.patch(url, json.dumps({"version": 1, "title": "B"}), "application/json").status_code
        == 200
    )
    stale = c.patch(url, json.dumps({"version": 1, "title": "C"}), "application/json")
    assert stale.status_code == 409 and stale.json()["current_version"] == 2
    assert Incident.objects.get(pk=incident.pk).title == "B"
