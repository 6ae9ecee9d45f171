"""Coach API: /api/coach/check, a review's flags and counts, resolve and dismiss, visibility."""

from __future__ import annotations

import json

import pytest

from learnloop.coach import services
from learnloop.coach.models import CoachFlag

DAVE = "Dave should have double-checked the config before pushing."

pytestmark = pytest.mark.usefixtures("fresh_names")


@pytest.fixture
def flag_id(alice, review) -> int:
    (finding,) = services.coach_check(
        user=alice, text=DAVE, target_type="review", target_id=review.pk, field_key="c-summary#0"
    )
    return finding["flag"]["id"]


def _post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def test_it_checks_text(client_for, alice) -> None:
    body = _post(client_for(alice), "/api/coach/check", {"text": DAVE}).json()
    assert body["blame"] is True
    (finding,) = body["findings"]
    assert {"start", "end", "signal", "signals", "message", "suggestion", "span"} <= set(finding)
    assert finding["suggestion"].startswith('Try: "What made it hard to double-check')
    calm = _post(client_for(alice), "/api/coach/check", {"text": "The alert had no owner."})
    assert calm.json() == {"blame": False, "findings": []}


def test_it_uses_member_names_unless_told_not_to(client_for, alice, monkeypatch) -> None:
    # Member names are the rules' (the reader, decision 0251, does not use them): rules alone.
    monkeypatch.setenv("LEARNLOOP_COACH_LEARNED", "0")
    alice.display_name = "Will Turner"
    alice.save()
    text = "Then Will forgot to restart the queue."
    client = client_for(alice)
    assert _post(client, "/api/coach/check", {"text": text}).json()["blame"] is True
    assert (
        _post(client, "/api/coach/check", {"text": text, "names": False}).json()["blame"] is False
    )


def test_it_works_with_a_token(client, alice) -> None:
    from learnloop.accounts.services import api_token_create

    raw = api_token_create(user=alice, name="ci")
    raw = raw[1] if isinstance(raw, tuple) else raw
    response = client.post(
        "/api/coach/check",
        json.dumps({"text": DAVE}),
        content_type="application/json",
        headers={"Authorization": f"Bearer {raw}"},
    )
    assert response.status_code == 200 and response.json()["blame"] is True
    assert _post(client, "/api/coach/check", {"text": DAVE}).status_code == 401


def test_it_lists_a_reviews_flags_and_counts(client_for, alice, bob, review, flag_id) -> None:
    client = client_for(bob)
    page = client.get(f"/api/coach/reviews/{review.pk}/flags").json()
    assert page["count"] == 1
    (item,) = page["items"]
    assert item["id"] == flag_id and item["status"] == "open" and item["field"] == "c-summary#0"
    assert item["review_id"] == review.pk and "counterfactual" in item["signals"]
    counts = client.get(f"/api/coach/reviews/{review.pk}/counts").json()
    assert counts["raised"] == 1 and counts["open"] == 1


def test_it_resolves_and_dismisses(client_for, bob, review, flag_id) -> None:
    client = client_for(bob)
    response = client.post(f"/api/coach/flags/{flag_id}/resolve")
    assert response.status_code == 200 and response.json()["status"] == "resolved"
    assert response.json()["resolved_how"] == "marked"
    response = _post(
        client, f"/api/coach/flags/{flag_id}/dismiss", {"reason": "Not about a person"}
    )
    body = response.json()
    assert (body["status"], body["dismiss_reason"]) == ("dismissed", "Not about a person")
    flag = CoachFlag.objects.get()
    assert flag.dismissed_by == bob and flag.resolved_by is None
    again = _post(
        client,
        "/api/coach/check",
        {
            "text": DAVE,
            "target_type": "review",
            "target_id": review.pk,
            "field": "c-summary#0",
        },
    ).json()
    assert again["findings"][0]["flag"]["status"] == "dismissed"


def test_it_returns_404_to_charlie_and_mallory_and_changes_nothing(
    client_for, charlie, mallory, review, flag_id
) -> None:
    for user in (charlie, mallory):
        client = client_for(user)
        for response in (
            client.get(f"/api/coach/reviews/{review.pk}/flags"),
            client.get(f"/api/coach/reviews/{review.pk}/counts"),
            client.post(f"/api/coach/flags/{flag_id}/resolve"),
            _post(client, f"/api/coach/flags/{flag_id}/dismiss", {"reason": "mine now"}),
            _post(
                client,
                "/api/coach/check",
                {"text": DAVE, "target_type": "review", "target_id": review.pk},
            ),
        ):
            assert response.status_code == 404, response.content
            assert response.json()["error"]["code"] == "not_found"
    flag = CoachFlag.objects.get()
    assert (flag.status, flag.dismiss_reason, flag.dismissed_by) == ("open", "", None)


def test_it_explains_bad_input(client_for, alice, flag_id) -> None:
    client = client_for(alice)
    response = _post(client, "/api/coach/check", {"text": "x" * (200 * 1024 + 10)})
    assert response.status_code == 413 and response.json()["error"]["code"] == "too_large"
    assert "200 KB" in response.json()["error"]["message"]
    response = _post(client, "/api/coach/check", {})
    assert response.status_code == 422 and "text" in response.json()["error"]["fields"]
    response = client.post("/api/coach/check", bytes(range(256)), content_type="application/json")
    assert response.status_code in (400, 422) and "error" in response.json()
    response = _post(
        client, "/api/coach/check", {"text": "", "target_type": "spaceship", "target_id": 1}
    )
    assert response.status_code == 400 and "target_type" in response.json()["error"]["fields"]
    assert _post(client, "/api/coach/check", {"text": ""}).json() == {
        "blame": False,
        "findings": [],
    }
    odd = _post(client, "/api/coach/check", {"text": "Zoë 🙂 **unbalanced `md"})
    assert odd.status_code == 200
    # NUL and lone surrogates are refused at the API's edge, naming the field (decisions/0012).
    odd = _post(client, "/api/coach/check", {"text": "\x00\ud800 Zoë"})
    assert odd.status_code == 400 and list(odd.json()["error"]["fields"]) == ["text"]
    response = _post(client, f"/api/coach/flags/{flag_id}/dismiss", {"reason": "  "})
    assert response.status_code == 400 and "reason" in response.json()["error"]["fields"]
    response = _post(client, f"/api/coach/flags/{flag_id}/resolve", {"how": "magic"})
    assert response.status_code == 400 and "how" in response.json()["error"]["fields"]
    assert client.post("/api/coach/flags/424242/resolve").status_code == 404
