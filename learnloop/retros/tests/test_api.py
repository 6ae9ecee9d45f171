"""Retros API: formats, retros, the blind board, cards (anonymous via the secret), grouping,
votes, phases, outcomes; errors in the one shape; another team's user gets 404."""

from __future__ import annotations

from typing import Any

import pytest

from learnloop.accounts.services import api_token_create
from learnloop.retros.models import Card, Retro, RetroFormat, Topic
from learnloop.testing.builders import make_card

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(client):
    def make(user):
        _, raw = api_token_create(user=user, name="test")
        auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}

        class Api:
            def get(self, url: str, **extra: Any):
                return client.get(url, **auth, **extra)

            def post(self, url: str, data: dict[str, Any] | None = None, **extra: Any):
                return client.post(
                    url, data or {}, content_type="application/json", **auth, **extra
                )

            def patch(self, url: str, data: dict[str, Any], **extra: Any):
                return client.patch(url, data, content_type="application/json", **auth, **extra)

            def delete(self, url: str, **extra: Any):
                return client.delete(url, **auth, **extra)

        return Api()

    return make


def test_a_retro_from_creation_to_a_lesson(api, alice, bob, alpha) -> None:
    a, b = api(alice), api(bob)
    formats = a.get("/api/retros/formats").json()
    fmt = next(f for f in formats if f["slug"] == "start-stop-continue")
    created = a.post(
        "/api/retros",
        {
            "team": "alpha",
            "title": "API retro",
            "format_id": fmt["id"],
            "participant_ids": [bob.pk],
            "anonymity": "allowed",
        },
    )
    assert created.status_code == 201, created.content
    retro = created.json()
    assert retro["phase"] == "collect" and retro["participant_ids"] == sorted([alice.pk, bob.pk])
    rid = retro["id"]
    named = b.post(f"/api/retros/{rid}/cards", {"column": "start", "text": "Demo weekly"})
    anon = b.post(
        f"/api/retros/{rid}/cards", {"column": "stop", "text": "Late pages", "anonymous": True}
    )
    assert named.status_code == anon.status_code == 201
    assert named.json()["secret"] is None and anon.json()["secret"]
    # Blind: alice sees none of bob's cards; bob sees his named one, and his anonymous one
    # only with its secret.
    assert a.get(f"/api/retros/{rid}/board").json()["cards"] == []
    assert [c["text"] for c in b.get(f"/api/retros/{rid}/board").json()["cards"]] == ["Demo weekly"]
    held = f"{anon.json()['id']}~{anon.json()['secret']}"
    with_secret = b.get(f"/api/retros/{rid}/board", HTTP_X_RETRO_SECRETS=held).json()["cards"]
    assert {c["text"] for c in with_secret} == {"Demo weekly", "Late pages"}
    edited = b.patch(
        f"/api/retros/{rid}/cards/{anon.json()['id']}",
        {"text": "Late pages at night", "version": 1, "secret": anon.json()["secret"]},
    )
    assert edited.status_code == 200
    refused = b.patch(f"/api/retros/{rid}/cards/{anon.json()['id']}", {"text": "x", "version": 2})
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "permission_denied"
    assert b.post(f"/api/retros/{rid}/phase", {"phase": "reveal"}).status_code == 403
    assert a.post(f"/api/retros/{rid}/phase", {"phase": "reveal"}).json()["phase"] == "reveal"
    cards = b.get(f"/api/retros/{rid}/board").json()["cards"]
    assert {c["text"] for c in cards} == {"Demo weekly", "Late pages at night"}
    anon_out = next(c for c in cards if c["anonymous"])
    assert anon_out["author_id"] is None and anon_out["author_name"] is None
    late = b.post(f"/api/retros/{rid}/cards", {"column": "start", "text": "Too late"})
    assert late.status_code == 409 and late.json()["error"]["code"] == "wrong_phase"
    a.post(f"/api/retros/{rid}/phase", {"phase": "group"})
    grouped = b.post(f"/api/retros/{rid}/cards/{named.json()['id']}/group", {"topic": "new"})
    topic_id = grouped.json()["topic_id"]
    b.post(f"/api/retros/{rid}/cards/{anon.json()['id']}/group", {"topic": topic_id})
    assert b.patch(f"/api/retros/{rid}/topics/{topic_id}", {"title": "Cadence"}).status_code == 200
    a.post(f"/api/retros/{rid}/phase", {"phase": "vote"})
    for _ in range(2):
        assert b.post(f"/api/retros/{rid}/topics/{topic_id}/votes").status_code == 201
    over = b.post(f"/api/retros/{rid}/topics/{topic_id}/votes")
    assert over.status_code == 409 and over.json()["error"]["code"] == "conflict"
    assert b.get(f"/api/retros/{rid}/board").json()["topics"][0]["votes"] is None
    a.post(f"/api/retros/{rid}/phase", {"phase": "discuss"})
    board = b.get(f"/api/retros/{rid}/board").json()
    assert board["topics"][0]["votes"] == 2 and board["votes_shown"]
    notes = b.patch(
        f"/api/retros/{rid}/topics/{topic_id}", {"notes": "Weekly demo", "notes_version": 1}
    )
    assert notes.json()["notes_version"] == 2
    action = b.post(
        f"/api/retros/{rid}/actions",
        {
            "title": "Book the demo slot",
            "topic_id": topic_id,
            "owner_id": bob.pk,
            "due_date": "2030-03-01",
        },
    )
    assert action.status_code == 201
    lesson = b.post(
        f"/api/retros/{rid}/lessons", {"statement": "Demos shorten feedback", "topic_id": topic_id}
    )
    assert lesson.status_code == 201
    assert b.get(f"/api/lessons/{lesson.json()['id']}").json()["source_kind"] == "retro"


def test_bad_input_is_a_clear_error_and_saves_nothing(api, alice, charlie, alpha) -> None:
    a = api(alice)
    fmt = RetroFormat.objects.get(slug="4ls")
    bad = a.post(
        "/api/retros",
        {"team": "alpha", "title": "", "format_id": fmt.pk, "participant_ids": [charlie.pk]},
    )
    assert bad.status_code == 400 and "participant_ids" in bad.json()["error"]["fields"]
    wrong = a.post(
        "/api/retros", {"team": "alpha", "title": "x", "format_id": fmt.pk, "votes_per_person": "3"}
    )
    assert wrong.status_code == 422
    assert not Retro.objects.exists()
    rid = a.post("/api/retros", {"team": "alpha", "title": "x", "format_id": fmt.pk}).json()["id"]
    empty = a.post(f"/api/retros/{rid}/cards", {"column": "liked", "text": " "})
    assert empty.status_code == 400 and "text" in empty.json()["error"]["fields"]
    big = a.post(f"/api/retros/{rid}/cards", {"column": "liked", "text": "x" * 1001})
    assert big.status_code == 400
    assert not Card.objects.exists()
    copied = a.post(f"/api/retros/formats/{fmt.pk}/copy", {"team": "alpha"})
    assert copied.status_code == 201
    stale = a.patch(f"/api/retros/formats/{copied.json()['id']}", {"version": 1, "name": "A"})
    assert stale.status_code == 200
    again = a.patch(f"/api/retros/formats/{copied.json()['id']}", {"version": 1, "name": "B"})
    assert again.status_code == 409 and again.json()["current_version"] == 2


@pytest.mark.parametrize("pk", [2**63, 10**20])
def test_a_retro_id_no_bigint_holds_is_404_not_500(api, alice, retro, pk) -> None:
    """The board (read without the ORM's own range check, ``selectors.retro_live_get``) and
    the retro answer a 404 for an id past the 64-bit column, the same as for a missing one."""
    client = api(alice)
    missing = client.get(f"/api/retros/{retro.pk + 1000}/board")
    for url in (f"/api/retros/{pk}/board", f"/api/retros/{pk}"):
        response = client.get(url)
        assert response.status_code == 404, url
        assert response.json() == missing.json(), url


@pytest.mark.parametrize("who", ["charlie", "mallory"])
def test_another_team_gets_404(request, api, who, alice, bob, retro) -> None:
    card = make_card(retro, author=bob)
    topic = Topic.objects.create(retro=retro)
    copy = RetroFormat.objects.create(team=retro.team, name="Alpha's", slug="a", columns=[])
    client = api(request.getfixturevalue(who))
    base = f"/api/retros/{retro.pk}"
    assert client.get(base).status_code == 404
    assert client.get(f"{base}/board").status_code == 404
    assert client.patch(base, {"version": 1, "title": "x"}).status_code == 404
    for url, body in [
        (f"{base}/phase", {"phase": "reveal"}),
        (f"{base}/timer", {"minutes": 3}),
        (f"{base}/cards", {"column": "start", "text": "x"}),
        (f"{base}/cards/{card.pk}/group", {"topic": "new"}),
        (f"{base}/topics/{topic.pk}/votes", {}),
        (f"{base}/actions", {"title": "x"}),
        (f"{base}/lessons", {"statement": "x"}),
    ]:
        response = client.post(url, body)
        assert response.status_code == 404, url
        assert response.json()["error"]["code"] == "not_found"
    assert client.patch(f"{base}/cards/{card.pk}", {"text": "x", "version": 1}).status_code == 404
    assert client.delete(f"{base}/cards/{card.pk}").status_code == 404
    assert client.patch(f"{base}/topics/{topic.pk}", {"title": "x"}).status_code == 404
    assert (
        client.patch(f"/api/retros/formats/{copy.pk}", {"version": 1, "name": "x"}).status_code
        == 404
    )
    assert client.get("/api/retros").json() == []
    assert all(f["team_id"] is None for f in client.get("/api/retros/formats").json())


@pytest.mark.parametrize("which", ["beta", "beta id", "omega", "no-such-team"])
def test_a_team_that_is_not_yours_is_unknown_and_nothing_is_saved(
    api, alice, beta, mallory, which
) -> None:
    """The shared ``api.teams.member_team``: the same 400 whether the team is another team of
    the organisation, of another organisation, or none at all."""
    ref: object = {"beta id": beta.pk}.get(which, which)
    fmt = RetroFormat.objects.get(slug="4ls")
    client = api(alice)
    created = client.post("/api/retros", {"team": ref, "title": "x", "format_id": fmt.pk})
    copied = client.post(f"/api/retros/formats/{fmt.pk}/copy", {"team": ref})
    for response in (created, copied):
        assert response.status_code == 400
        assert response.json()["error"]["fields"] == {
            "team": ["No team of yours has this id or slug."]
        }
    assert not Retro.objects.exists()
    assert not RetroFormat.objects.filter(team__isnull=False).exists()
