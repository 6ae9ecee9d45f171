"""The webhook pages and API: who may see and change an endpoint (404 for everyone else), the
secret shown once, stale saves and the one error shape."""

from __future__ import annotations

import json

import pytest

from learnloop.testing.builders import make_user, make_webhook_endpoint
from learnloop.webhooks.models import Endpoint

pytestmark = pytest.mark.django_db


def test_a_team_admin_adds_an_endpoint_and_sees_its_secret_once(alice, alpha, client_for):
    client = client_for(alice)
    page = client.get("/webhooks/new/")
    assert page.status_code == 200 and "Team Alpha" in page.content.decode()
    response = client.post(
        "/webhooks/new/",
        {
            "scope": alpha.slug,
            "url": "https://hooks.example.org/ll",
            "description": "Chat bridge",
            "events": ["incident.reported", "lesson.created"],
        },
    )
    endpoint = Endpoint.objects.get()
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    assert endpoint.secret in response.content.decode()
    assert endpoint.team == alpha and endpoint.events == ["incident.reported", "lesson.created"]
    detail = client.get(endpoint.get_absolute_url()).content.decode()
    assert endpoint.secret not in detail and "Nothing sent yet" in detail
    assert endpoint.secret not in client.get("/webhooks/").content.decode()


def test_bad_input_is_a_form_error_and_saves_nothing(alice, alpha, client_for):
    response = client_for(alice).post(
        "/webhooks/new/", {"scope": alpha.slug, "url": "ftp://x", "events": ["incident.reported"]}
    )
    assert response.status_code == 200
    assert "Enter an http:// or https:// address." in response.content.decode()
    assert not Endpoint.objects.exists()


def test_only_the_admins_who_own_an_endpoint_reach_it(
    org, alice, bob, charlie, mallory, alpha, client_for
):
    endpoint = make_webhook_endpoint(alpha)
    boss = make_user("boss@example.org", org, is_org_admin=True)  # not in Alpha: private stays
    urls = [f"/webhooks/{endpoint.pk}/", f"/webhooks/{endpoint.pk}/edit/"]
    posts = [f"/webhooks/{endpoint.pk}/{a}/" for a in ("rotate", "test", "delete")]
    for person in (bob, charlie, mallory, boss):
        client = client_for(person)
        for url in urls:
            assert client.get(url).status_code == 404, (person, url)
        for url in posts:
            assert client.post(url).status_code == 404, (person, url)
        api = client.get(f"/api/webhooks/{endpoint.pk}")
        assert api.status_code == 404 and api.json()["error"]["code"] == "not_found"
    listing = client_for(bob).get("/webhooks/")  # a member manages none and sees none
    assert listing.status_code == 200 and endpoint.url not in listing.content.decode()
    assert client_for(bob).get("/webhooks/new/").status_code == 404
    assert client_for(alice).get(urls[0]).status_code == 200
    assert Endpoint.objects.filter(pk=endpoint.pk, secret=endpoint.secret).exists()


def test_a_stale_edit_shows_the_conflict_and_keeps_the_input(alice, alpha, client_for):
    endpoint = make_webhook_endpoint(alpha, url="https://a.example.org/")
    client = client_for(alice)
    data = {
        "url": "https://b.example.org/",
        "events": ["incident.reported"],
        "description": "",
        "is_active": "on",
        "version": endpoint.version,
    }
    assert client.post(f"/webhooks/{endpoint.pk}/edit/", data).status_code == 302
    stale = client.post(f"/webhooks/{endpoint.pk}/edit/", {**data, "url": "https://c.example.org/"})
    assert stale.status_code == 409
    assert "https://c.example.org/" in stale.content.decode()
    endpoint.refresh_from_db()
    assert endpoint.url == "https://b.example.org/"


def test_rotating_shows_the_new_secret_and_keeps_the_old_for_the_grace(alice, alpha, client_for):
    endpoint = make_webhook_endpoint(alpha)
    response = client_for(alice).post(f"/webhooks/{endpoint.pk}/rotate/")
    fresh = Endpoint.objects.get()
    assert fresh.secret in response.content.decode()
    assert fresh.previous_secret == endpoint.secret and fresh.previous_secret_until


def test_the_api_creates_lists_changes_rotates_and_logs(alice, alpha, beta, client_for):
    client = client_for(alice)
    body = {"team": alpha.slug, "url": "https://h.example.org/", "events": ["action.done"]}
    created = client.post("/api/webhooks", json.dumps(body), content_type="application/json")
    assert created.status_code == 201
    out = created.json()
    assert out["secret"].startswith("whsec_") and out["team"] == alpha.slug
    listed = client.get("/api/webhooks").json()
    assert [e["id"] for e in listed["items"]] == [out["id"]] and "secret" not in listed["items"][0]
    patch = {"version": out["version"], "events": ["action.done", "lesson.created"]}
    changed = client.patch(
        f"/api/webhooks/{out['id']}", json.dumps(patch), content_type="application/json"
    )
    assert changed.status_code == 200 and changed.json()["events"] == patch["events"]
    stale = client.patch(
        f"/api/webhooks/{out['id']}", json.dumps(patch), content_type="application/json"
    )
    assert stale.status_code == 409 and stale.json()["current_version"] == out["version"] + 1
    rotated = client.post(f"/api/webhooks/{out['id']}/rotate")
    assert rotated.status_code == 200 and rotated.json()["secret"] != out["secret"]
    tested = client.post(f"/api/webhooks/{out['id']}/test")
    assert tested.status_code == 202 and tested.json()["event"] == "webhook.test"
    log = client.get(f"/api/webhooks/{out['id']}/deliveries").json()
    assert [d["event"] for d in log["items"]] == ["webhook.test"]
    # Bad input: the one error shape, nothing saved.
    bad = {"team": beta.slug, "url": "not a url", "events": ["nope"]}
    refused = client.post("/api/webhooks", json.dumps(bad), content_type="application/json")
    assert refused.status_code == 400
    assert set(refused.json()["error"]["fields"]) == {"team"}
    bad["team"] = alpha.slug
    refused = client.post("/api/webhooks", json.dumps(bad), content_type="application/json")
    assert set(refused.json()["error"]["fields"]) == {"url", "events"}
    assert Endpoint.objects.count() == 1
    assert client.delete(f"/api/webhooks/{out['id']}").status_code == 204
    assert not Endpoint.objects.exists()


def test_organisation_endpoints_are_for_organisation_admins(org, alice, client_for):
    boss = make_user("boss@example.org", org, is_org_admin=True)
    body = {"url": "https://h.example.org/", "events": ["lesson.created"]}
    refused = client_for(alice).post(
        "/api/webhooks", json.dumps(body), content_type="application/json"
    )
    assert refused.status_code == 400 and "team" in refused.json()["error"]["fields"]
    made = client_for(boss).post("/api/webhooks", json.dumps(body), content_type="application/json")
    assert made.status_code == 201 and made.json()["team"] is None
    assert client_for(alice).get(f"/api/webhooks/{made.json()['id']}").status_code == 404
