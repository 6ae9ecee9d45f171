"""Experiments API: create, read, patch with version (409), list, the approval steps, history,
learning cards and lessons, phase rules; 404 for other teams and organisations."""

from __future__ import annotations

from typing import Any

import pytest

from learnloop.accounts.services import api_token_create
from learnloop.experiments.models import Experiment, Showcase
from learnloop.testing.builders import make_experiment

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(client):
    def make(user):
        _, raw = api_token_create(user=user, name="test")
        auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}

        class Api:
            def get(self, url: str):
                return client.get(url, **auth)

            def post(self, url: str, data: dict[str, Any] | None = None):
                return client.post(url, data or {}, content_type="application/json", **auth)

            def patch(self, url: str, data: dict[str, Any]):
                return client.patch(url, data, content_type="application/json", **auth)

            def put(self, url: str, data: dict[str, Any]):
                return client.put(url, data, content_type="application/json", **auth)

        return Api()

    return make


CARD = {
    "team": "alpha",
    "title": "Canary releases",
    "hypothesis": "canaries catch bad deploys",
    "test": "canary 5% for a month",
    "metric": "rollbacks caught at 5%",
    "success_criterion": "at least 2 caught",
    "budget": "1200.00",
    "time_box_days": 30,
    "person_days": "3.5",
}


def test_the_whole_path_over_the_api(api, alice, bob) -> None:
    b = api(bob)
    created = b.post(
        "/api/experiments", {**CARD, "owner_id": bob.pk, "participant_ids": [alice.pk]}
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["currency"] == "EUR" and body["budget"] == "1200.00" and body["state"] == "draft"
    pk = body["id"]
    patched = b.patch(f"/api/experiments/{pk}", {"version": 1, "phase": "experiment"})
    assert patched.status_code == 200 and patched.json()["version"] == 2
    stale = b.patch(f"/api/experiments/{pk}", {"version": 1, "title": "x"})
    assert stale.status_code == 409 and stale.json()["current_version"] == 2
    assert b.post(f"/api/experiments/{pk}/submit").json()["state"] == "submitted"
    own = b.post(f"/api/experiments/{pk}/approve", {"note": "me"})
    assert own.status_code == 403 and own.json()["error"]["code"] == "permission_denied"
    no_reason = api(alice).post(f"/api/experiments/{pk}/reject", {"reason": ""})
    assert no_reason.status_code == 400 and "reason" in no_reason.json()["error"]["fields"]
    assert (
        api(alice).post(f"/api/experiments/{pk}/approve", {"note": "go"}).json()["state"]
        == "approved"
    )
    early = b.post(
        f"/api/experiments/{pk}/learning-cards",
        {"observed": "o", "learned": "l", "decision": "stop"},
    )
    assert early.status_code == 400 and early.json()["error"]["code"] == "invalid_state"
    assert b.post(f"/api/experiments/{pk}/start").json()["state"] == "running"
    card = b.post(
        f"/api/experiments/{pk}/learning-cards",
        {"observed": "o", "learned": "one\ntwo", "data": "3 of 40", "decision": "pivot"},
    )
    assert card.status_code == 201 and card.json()["learnings"] == ["one", "two"]
    lesson = b.post(
        f"/api/experiments/{pk}/learning-cards/{card.json()['id']}/lessons", {"index": 1}
    )
    assert lesson.status_code == 201 and lesson.json()["source_experiment_id"] == pk
    detail = b.get(f"/api/experiments/{pk}").json()
    assert detail["stopped_on_data"] and detail["decision"] == "pivot"
    approvals = b.get(f"/api/experiments/{pk}/approvals").json()
    assert approvals[0]["outcome"] == "approved" and approvals[0]["votes"][0]["note"] == "go"
    whats = [e["what"] for e in b.get(f"/api/experiments/{pk}/history").json()]
    assert whats == ["created", "edited", "submitted", "approved", "started", "decided: pivot"]
    listed = b.get("/api/experiments?team=alpha").json()
    assert {i["iteration"] for i in listed["items"]} == {1, 2}


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"team": "beta"}, "team"),
        ({"budget": "-1"}, "budget"),
        ({"time_box_days": -2}, "time_box_days"),
        ({"person_days": "-1"}, "person_days"),
        ({"phase": "x"}, "phase"),
        ({"title": ""}, "title"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(api, alice, beta, data, field) -> None:
    response = api(alice).post("/api/experiments", {**CARD, **data})
    assert response.status_code == 400 and field in response.json()["error"]["fields"]
    assert not Experiment.objects.exists()


def test_an_owner_from_another_team_is_refused(api, alice, charlie) -> None:
    response = api(alice).post("/api/experiments", {**CARD, "owner_id": charlie.pk})
    assert response.status_code == 400 and "owner_id" in response.json()["error"]["fields"]


@pytest.mark.parametrize("who", ["charlie", "mallory"])
def test_other_teams_get_404(request, api, alpha, who) -> None:
    pk = make_experiment(alpha).pk
    client = api(request.getfixturevalue(who))
    for url in ("", "/history", "/approvals", "/learning-cards"):
        assert client.get(f"/api/experiments/{pk}{url}").status_code == 404
    for url in ("/submit", "/approve", "/start", "/move"):
        assert client.post(f"/api/experiments/{pk}{url}").status_code == 404
    assert client.patch(f"/api/experiments/{pk}", {"version": 1}).status_code == 404
    assert client.get("/api/experiments/rules/alpha").status_code == 404
    assert client.get("/api/experiments?team=alpha").json()["items"] == []


def test_phase_rules_over_the_api(api, alice, bob, charlie) -> None:
    rules = api(bob).get("/api/experiments/rules/alpha").json()
    assert [r["phase"] for r in rules] == ["explore", "experiment", "execute"]
    body = {
        "version": 1,
        "budget_limit": "5000",
        "approval": "formal",
        "required_approvals": 1,
        "approver_ids": [bob.pk],
        "win": "fast",
    }
    assert api(bob).put("/api/experiments/rules/alpha/experiment", body).status_code == 403
    bad = api(alice).put(
        "/api/experiments/rules/alpha/experiment", {**body, "approver_ids": [charlie.pk]}
    )
    assert bad.status_code == 400 and "approver_ids" in bad.json()["error"]["fields"]
    ok = api(alice).put("/api/experiments/rules/alpha/experiment", body)
    assert ok.status_code == 200 and ok.json()["approver_ids"] == [bob.pk]
    assert api(alice).put("/api/experiments/rules/alpha/experiment", body).status_code == 409


@pytest.mark.parametrize("who", ["alice", "mallory"])
def test_creating_for_a_team_that_is_not_yours_is_refused(request, api, beta, who) -> None:
    """Experiments and showcases resolve ``team`` through ``api.teams.member_team`` (an
    organisation admin may host a showcase for any team of their own organisation only)."""
    client = api(request.getfixturevalue(who))
    body = {"team": "beta", "title": "Guided setup", "hypothesis": "h", "test": "t", "metric": "m"}
    for path, payload in (
        ("/api/experiments", body),
        ("/api/experiments/showcases", {"team": "beta", "month": "2026-11"}),
        ("/api/experiments/showcases", {"team": beta.pk, "month": "2026-11"}),
    ):
        response = client.post(path, payload)
        assert response.status_code == 400, (path, response.content)
        assert list(response.json()["error"]["fields"]) == ["team"]
    assert not Experiment.objects.exists() and not Showcase.objects.exists()
