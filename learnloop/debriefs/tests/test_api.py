"""Debriefs API: deliverables and entries, the one error shape, 409 on stale versions, 404 for
another team or organisation on every endpoint."""

from __future__ import annotations

import pytest

from learnloop.debriefs.models import DebriefEntry, Deliverable
from learnloop.testing.builders import make_entry

pytestmark = pytest.mark.django_db


def test_it_creates_lists_and_reads_a_deliverable(api, alice, bob, alpha) -> None:
    client = api(alice)
    response = client.post(
        "/api/debriefs/deliverables",
        {
            "team": "alpha",
            "title": "Search rewrite",
            "collaborator_ids": [bob.pk],
            "target_date": "2027-01-31",
            "external_url": "https://acme.atlassian.net/browse/SR-1",
        },
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["collaborator_ids"] == sorted([alice.pk, bob.pk])
    assert body["owner_id"] == alice.pk and body["status"] == "active" and body["version"] == 1
    listed = client.get("/api/debriefs/deliverables?status=active").json()
    assert [d["title"] for d in listed["items"]] == ["Search rewrite"]
    assert (
        client.get(f"/api/debriefs/deliverables/{body['id']}").json()["title"] == "Search rewrite"
    )


def test_bad_input_gets_the_one_error_shape_and_nothing_is_saved(api, alice, charlie) -> None:
    response = api(alice).post(
        "/api/debriefs/deliverables",
        {"team": "alpha", "title": "x" * 201, "collaborator_ids": [charlie.pk]},
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid" and set(error["fields"]) == {"title", "collaborators"}
    assert not Deliverable.objects.exists()


def test_patch_with_a_stale_version_is_409(api, alice, deliverable) -> None:
    client = api(alice)
    url = f"/api/debriefs/deliverables/{deliverable.pk}"
    assert client.patch(url, {"version": 1, "title": "New"}).status_code == 200
    response = client.patch(url, {"version": 1, "title": "Old"})
    assert response.status_code == 409 and response.json()["current_version"] == 2


def test_entries_add_edit_and_refusals(api, alice, bob, deliverable) -> None:
    url = f"/api/debriefs/deliverables/{deliverable.pk}/entries"
    created = api(bob).post(url, {"kind": "lesson", "text": "Flags need owners."})
    assert created.status_code == 201
    entry_id = created.json()["id"]
    assert api(bob).get(url).json()["items"][0]["text"] == "Flags need owners."
    other = api(alice).patch(f"/api/debriefs/entries/{entry_id}", {"version": 1, "text": "x"})
    assert other.status_code == 403 and other.json()["error"]["code"] == "permission_denied"
    ok = api(bob).patch(f"/api/debriefs/entries/{entry_id}", {"version": 1, "text": "Better."})
    assert ok.status_code == 200 and ok.json()["version"] == 2
    stale = api(bob).patch(f"/api/debriefs/entries/{entry_id}", {"version": 1, "text": "Old"})
    assert stale.status_code == 409
    bad = api(bob).post(url, {"kind": "applause", "text": "y" * 2001})
    assert bad.status_code == 400 and set(bad.json()["error"]["fields"]) == {"kind", "text"}
    closed = api(alice).post(f"/api/debriefs/deliverables/{deliverable.pk}/close")
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    late = api(bob).post(url, {"kind": "win", "text": "late"})
    assert late.status_code == 400 and "deliverable" in late.json()["error"]["fields"]
    assert DebriefEntry.objects.count() == 1
    reopened = api(alice).post(f"/api/debriefs/deliverables/{deliverable.pk}/reopen")
    assert reopened.json()["status"] == "active"
    assert api(bob).delete(f"/api/debriefs/entries/{entry_id}").status_code == 204


@pytest.mark.parametrize("who", ["charlie", "mallory"])
def test_another_team_gets_404_on_every_endpoint(request, api, bob, deliverable, who) -> None:
    entry = make_entry(deliverable, author=bob)
    client = api(request.getfixturevalue(who))
    d, e = deliverable.pk, entry.pk
    calls = [
        ("get", f"/api/debriefs/deliverables/{d}", None),
        ("patch", f"/api/debriefs/deliverables/{d}", {"version": 1, "title": "x"}),
        ("post", f"/api/debriefs/deliverables/{d}/close", None),
        ("post", f"/api/debriefs/deliverables/{d}/reopen", None),
        ("get", f"/api/debriefs/deliverables/{d}/entries", None),
        ("post", f"/api/debriefs/deliverables/{d}/entries", {"kind": "win", "text": "x"}),
        ("get", f"/api/debriefs/entries/{e}", None),
        ("patch", f"/api/debriefs/entries/{e}", {"version": 1, "text": "x"}),
        ("delete", f"/api/debriefs/entries/{e}", None),
    ]
    for method, url, data in calls:
        args = (url, data) if data is not None else (url,)
        response = getattr(client, method)(*args)
        assert response.status_code == 404, (method, url)
        assert response.json()["error"]["code"] == "not_found"
    assert client.get("/api/debriefs/deliverables").json()["items"] == []
