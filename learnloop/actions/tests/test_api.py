"""Actions API: create, read, update with version (409), list with filters, visibility."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from learnloop.accounts.services import api_token_create
from learnloop.actions.models import Action
from learnloop.actions.services import action_create
from learnloop.incidents.models import Incident

pytestmark = pytest.mark.django_db


def _today() -> dt.date:
    return timezone.localdate()


@pytest.fixture
def api(client):
    """``api(user)`` returns request helpers authenticated with a personal token."""

    def make(user):
        _, raw = api_token_create(user=user, name="test")
        auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}

        class Api:
            def get(self, url: str):
                return client.get(url, **auth)

            def post(self, url: str, data: dict[str, Any]):
                return client.post(url, data, content_type="application/json", **auth)

            def patch(self, url: str, data: dict[str, Any]):
                return client.patch(url, data, content_type="application/json", **auth)

        return Api()

    return make


@pytest.fixture
def private_action(alice, bob, alpha) -> Action:
    return action_create(
        actor=alice,
        team=alpha,
        title="Alpha secret fix",
        owner=bob,
        due_date=_today() - dt.timedelta(days=1),
    )


def test_it_creates_and_reads_an_action(api, alice, bob, alpha) -> None:
    incident = Incident.objects.create(
        team=alpha, title="Outage", description="x", visibility="organisation"
    )
    client = api(alice)
    response = client.post(
        "/api/actions",
        {
            "team": "alpha",
            "title": "Add alert",
            "owner_id": bob.pk,
            "due_date": "2031-01-31",
            "kind": "detect",
            "incident_id": incident.pk,
        },
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["owner_name"] == "Bob" and body["visibility"] == "organisation"
    assert body["version"] == 1 and body["url"] == f"/actions/{body['id']}/"
    again = client.get(f"/api/actions/{body['id']}").json()
    assert again["title"] == "Add alert" and again["due_date"] == "2031-01-31"


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"team": "beta"}, "team"),
        ({"team": 999999}, "team"),
        ({"title": ""}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"description": "x" * 10001}, "description"),
        ({"external_url": "file:///etc/passwd"}, "external_url"),
        ({"due_date": "tomorrow"}, "due_date"),
        ({"kind": "blame"}, "kind"),
        ({"incident_id": 999999}, "incident_id"),
    ],
)
def test_it_refuses_bad_input_naming_the_field(api, alice, alpha, beta, data, field) -> None:
    response = api(alice).post("/api/actions", {"team": "alpha", "title": "ok", **data})
    assert response.status_code == 400
    assert field in response.json()["error"]["fields"]
    assert not Action.objects.exists()


def test_it_refuses_an_owner_outside_the_team(api, alice, charlie, alpha) -> None:
    response = api(alice).post(
        "/api/actions", {"team": alpha.pk, "title": "ok", "owner_id": charlie.pk}
    )
    assert response.status_code == 400 and "owner_id" in response.json()["error"]["fields"]
    assert not Action.objects.exists()


def test_it_patches_with_the_current_version(api, bob, private_action) -> None:
    client = api(bob)
    response = client.patch(
        f"/api/actions/{private_action.pk}", {"version": 1, "status": "done", "due_date": None}
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["status"] == "done" and body["done_at"] and body["due_date"] is None
    assert body["version"] == 2 and body["title"] == "Alpha secret fix"


def test_it_answers_409_to_a_stale_version(api, alice, bob, private_action) -> None:
    api(alice).patch(f"/api/actions/{private_action.pk}", {"version": 1, "title": "First"})
    response = api(bob).patch(
        f"/api/actions/{private_action.pk}", {"version": 1, "title": "Second"}
    )
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "conflict"
    assert "title" in response.json()["error"]["fields"]
    private_action.refresh_from_db()
    assert private_action.title == "First"


def test_it_validates_a_patch(api, bob, private_action) -> None:
    response = api(bob).patch(
        f"/api/actions/{private_action.pk}", {"version": 1, "external_url": "javascript:x"}
    )
    assert response.status_code == 400 and "external_url" in response.json()["error"]["fields"]
    response = api(bob).patch(f"/api/actions/{private_action.pk}", {"title": "no version"})
    assert response.status_code == 422 and "version" in response.json()["error"]["fields"]


def test_it_lists_with_filters_and_pagination(api, alice, bob, alpha, private_action) -> None:
    incident = Incident.objects.create(team=alpha, title="Outage", description="x")
    action_create(actor=alice, team=alpha, title="Learn", kind="learn", incident=incident)
    action_create(
        actor=alice,
        team=alpha,
        title="Later",
        owner=alice,
        due_date=_today() + dt.timedelta(days=30),
    )
    client = api(bob)

    def titles(query: str) -> list[str]:
        response = client.get(f"/api/actions?{query}")
        assert response.status_code == 200, response.json()
        return [a["title"] for a in response.json()["items"]]

    assert titles("owner=me") == ["Alpha secret fix"]
    assert titles(f"owner={alice.pk}") == ["Later"]
    assert titles("overdue=true") == ["Alpha secret fix"]
    assert titles("kind=learn") == ["Learn"]
    assert titles(f"incident={incident.pk}") == ["Learn"]
    assert titles(f"due_after={_today().isoformat()}") == ["Later"]
    assert titles(f"due_before={_today().isoformat()}") == ["Alpha secret fix"]
    assert titles(f"team={alpha.pk}&status=open") and titles("team=nope") == []
    body = client.get("/api/actions?page_size=2&page=2").json()
    assert body["count"] == 3 and len(body["items"]) == 1
    assert client.get("/api/actions?owner=bob").status_code == 400


@pytest.mark.parametrize("who", ["charlie", "mallory"])
def test_other_teams_get_404_and_see_nothing(api, who, request, private_action) -> None:
    client = api(request.getfixturevalue(who))
    pk = private_action.pk
    response = client.get(f"/api/actions/{pk}")
    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"
    assert client.patch(f"/api/actions/{pk}", {"version": 1, "title": "pwned"}).status_code == 404
    assert client.get("/api/actions").json()["count"] == 0
    assert client.get("/api/actions?team=alpha").json()["count"] == 0
    private_action.refresh_from_db()
    assert private_action.title == "Alpha secret fix" and private_action.version == 1


def test_org_visible_actions_are_readable_but_not_writable(api, alice, charlie, alpha) -> None:
    shared = action_create(actor=alice, team=alpha, title="Shared", visibility="organisation")
    client = api(charlie)
    assert client.get(f"/api/actions/{shared.pk}").status_code == 200
    assert (
        client.patch(f"/api/actions/{shared.pk}", {"version": 1, "title": "x"}).status_code == 404
    )
    shared.refresh_from_db()
    assert shared.title == "Shared"


def test_it_needs_authentication(client, private_action) -> None:
    assert client.get("/api/actions").status_code == 401
    assert client.get(f"/api/actions/{private_action.pk}").status_code == 401


def test_the_lists_items_are_the_bytes_ninja_writes_for_each_action(
    api, alice, bob, charlie, alpha, beta
) -> None:
    """Decision 0247: the list writes its items itself (``api.rows``), not through ninja's
    schema; each item is the very text the action's own answer (ninja, ``ActionOut``) is: with
    and without an owner, an owner known only by email, open, overdue, done on a time without
    milliseconds, no due date, another team's organisation-wide action, text with quotes,
    escapes and non-ASCII characters."""
    import json

    from learnloop.accounts.models import User

    User.objects.filter(pk=bob.pk).update(display_name="", first_name="", last_name="")
    User.objects.filter(pk=alice.pk).update(display_name="", first_name="Zoë", last_name="<O'B>")
    today = _today()
    done = dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.UTC)
    made = [
        Action.objects.create(
            team=alpha,
            title='Quote " \\ é 🎉 \u2028',
            owner=alice,
            due_date=today - dt.timedelta(days=1),
            description="a\nb",
        ),
        Action.objects.create(
            team=alpha,
            title="Due today",
            owner=bob,
            due_date=today,
            status="in_progress",
            external_url="https://x.example/?a=1&b=2",
        ),
        Action.objects.create(
            team=alpha,
            title="Done",
            status="done",
            done_at=done,
            due_date=today - dt.timedelta(days=3),
        ),
        Action.objects.create(team=alpha, title="Undated", status="wont_do"),
        Action.objects.create(
            team=beta,
            title="Beta's, for all",
            owner=charlie,
            visibility="organisation",
            due_date=today,
        ),
    ]
    client = api(alice)
    response = client.get("/api/actions?page_size=2&page=1")
    assert response["Content-Type"] == "application/json; charset=utf-8"
    pages = [
        response,
        client.get("/api/actions?page_size=2&page=2"),
        client.get("/api/actions?page_size=2&page=3"),
    ]
    items = [item for r in pages for item in r.json()["items"]]
    assert sorted(item["id"] for item in items) == sorted(a.pk for a in made)
    for item in items:
        assert json.dumps(item) == client.get(f"/api/actions/{item['id']}").content.decode()
    text = response.content.decode()
    assert text.startswith('{"items": [{"id": ') and text.endswith(
        '], "count": 5, "count_capped": false, "page": 1, "page_size": 2}'
    )
