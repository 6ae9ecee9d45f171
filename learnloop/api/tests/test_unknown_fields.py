"""A field or query parameter the API does not take is refused, naming it and where it is, and
nothing is saved (docs/decisions/0235-unknown-fields-are-refused.md): a client that misspells
``title`` or ``due_date`` learns so at once instead of losing what it sent."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from learnloop.accounts.models import Team, User
from learnloop.accounts.services import api_token_create
from learnloop.actions.models import Action
from learnloop.coach.services import coach_check
from learnloop.drills.aar import AAR_KEYS
from learnloop.drills.api import AfterActionIn
from learnloop.incidents.models import Incident
from learnloop.retros.models import RetroFormat
from learnloop.reviews.catalogue import NEXT_STEPS
from learnloop.testing.builders import SUMMARY_SECTION, make_action, make_drill, make_review

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(alice: User) -> Client:
    _, token = api_token_create(user=alice, name="test")
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}")


def _send(api: Client, method: str, url: str, body: dict[str, Any]) -> Any:
    return getattr(api, method)(url, body, content_type="application/json")


def _error(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.content
    error: dict[str, Any] = response.json()["error"]
    assert set(error) == {"code", "message", "fields"}
    return error


# --- the top level of a body ----------------------------------------------------------------


def test_a_misspelt_field_is_refused_and_nothing_is_filed(api: Client) -> None:
    response = _send(
        api, "post", "/api/incidents", {"titel": "Disk full", "description": "It filled up."}
    )
    error = _error(response, 422)
    assert error["fields"]["titel"] == ['Unknown field; did you mean "title"?']
    assert "nothing was saved" in error["message"]
    assert not Incident.objects.exists()


def test_a_misspelt_due_date_leaves_the_action_as_it_was(api: Client, alpha: Team) -> None:
    action = make_action(alpha, title="Rotate the keys")
    response = _send(
        api,
        "patch",
        f"/api/actions/{action.pk}",
        {"version": action.version, "title": "Rotate every key", "due_dat": "2027-01-15"},
    )
    error = _error(response, 422)
    assert error["fields"] == {"due_dat": ['Unknown field; did you mean "due_date"?']}
    action.refresh_from_db()
    assert (action.title, action.due_date) == ("Rotate the keys", None)


def test_a_field_unlike_any_lists_the_fields_taken(api: Client) -> None:
    response = _send(api, "post", "/api/coach/check", {"text": "x", "zzz": 1})
    (message,) = _error(response, 422)["fields"]["zzz"]
    assert (
        message == "Unknown field; the fields here are field, names, target_id, target_type, text."
    )


def test_a_field_named_like_a_source_is_named_too(api: Client, alpha: Team) -> None:
    """``body`` is a comment's own field: its path is not mistaken for ninja's ("body", ...)."""
    review = make_review(alpha)
    response = _send(api, "post", f"/api/reviews/{review.pk}/comments", {"bdy": "Agreed."})
    fields = _error(response, 422)["fields"]
    assert fields["bdy"] == ['Unknown field; did you mean "body"?']
    assert fields["body"]  # and the missing one is named by its own name


def test_the_hand_read_resolve_body_names_an_unknown_field(
    api: Client, alpha: Team, alice: User
) -> None:
    review = make_review(alpha)
    (finding,) = coach_check(
        user=alice,
        text="Dave should have double-checked the config before pushing.",
        target_type="review",
        target_id=review.pk,
        field_key="c-summary#0",
    )
    url = f"/api/coach/flags/{finding['flag']['id']}/resolve"
    response = _send(api, "post", url, {"how": "reworded", "replacment": "The check ran late."})
    assert _error(response, 400)["fields"] == {
        "replacment": ['Unknown field; did you mean "replacement"?']
    }


# --- an object nested in a body -------------------------------------------------------------


def test_an_unknown_field_in_a_nested_object_is_named_by_its_path(api: Client, alpha: Team) -> None:
    drill = make_drill(alpha)
    body = {"version": drill.version, "after_action": {"expected": "A", "acutal": "B"}}
    response = _send(api, "patch", f"/api/drills/{drill.pk}", body)
    error = _error(response, 422)
    assert error["fields"] == {"after_action.acutal": ['Unknown field; did you mean "actual"?']}
    drill.refresh_from_db()
    assert drill.after_action == {}


def test_the_after_action_object_takes_exactly_the_template_prompts() -> None:
    assert list(AfterActionIn.model_fields) == AAR_KEYS


def test_an_unknown_review_section_is_refused(api: Client, alpha: Team) -> None:
    review = make_review(alpha)
    body = {"version": review.version, "content": {"summry": "Payments failed."}}
    response = _send(api, "patch", f"/api/reviews/{review.pk}", body)
    error = _error(response, 400)
    assert error["fields"] == {"content.summry": ['Unknown field; did you mean "summary"?']}
    review.refresh_from_db()
    assert review.content == {"summary": "Payments failed for 20 minutes."}


# --- an item of a list in a body ------------------------------------------------------------


def test_an_unknown_field_in_a_list_item_is_named_by_its_path(api: Client, alpha: Team) -> None:
    fmt = RetroFormat.objects.create(
        team=alpha, name="Ours", slug="ours", columns=[{"key": "a", "title": "A", "prompt": ""}]
    )
    response = _send(
        api,
        "patch",
        f"/api/retros/formats/{fmt.pk}",
        {
            "version": fmt.version,
            "columns": [{"title": "Start"}, {"title": "Stop", "prompt": "?", "colour": "red"}],
        },
    )
    error = _error(response, 422)
    assert list(error["fields"]) == ["columns.1.colour"]
    fmt.refresh_from_db()
    assert fmt.columns == [{"key": "a", "title": "A", "prompt": ""}]
    # A column as the API answers it (with its key) is taken back as it is.
    ok = _send(
        api,
        "patch",
        f"/api/retros/formats/{fmt.pk}",
        {"version": fmt.version, "columns": [{"key": "a", "title": "Start", "prompt": "Go"}]},
    )
    assert ok.status_code == 200, ok.content
    assert ok.json()["columns"] == [{"key": "a", "title": "Start", "prompt": "Go"}]


def _save_next_steps(api: Client, review_id: int, version: int, steps: list[Any]) -> Any:
    body = {"version": version, "content": {"next_steps": steps}}
    return _send(api, "patch", f"/api/reviews/{review_id}", body)


def test_a_misspelt_next_step_field_is_refused_not_saved_without_its_date(
    api: Client, alpha: Team, alice: User
) -> None:
    review = make_review(alpha, sections=[SUMMARY_SECTION, NEXT_STEPS])
    step = {"title": "Alert on disk", "owner": alice.pk, "kind": "detect", "due_dat": "2027-01-15"}
    error = _error(_save_next_steps(api, review.pk, review.version, [step]), 400)
    assert error["fields"] == {
        "content.next_steps.0.due_dat": ['Unknown field; did you mean "due_date"?']
    }
    review.refresh_from_db()
    assert "next_steps" not in review.content
    # Spelt right, the same step is saved with its date.
    step["due_date"] = step.pop("due_dat")
    ok = _save_next_steps(api, review.pk, review.version, [step])
    assert ok.status_code == 200, ok.content
    assert ok.json()["content"]["next_steps"][0]["due_date"] == "2027-01-15"


def test_a_review_read_from_the_api_can_be_sent_back_as_it_is(
    api: Client, alpha: Team, alice: User
) -> None:
    review = make_review(alpha, sections=[SUMMARY_SECTION, NEXT_STEPS])
    step = {"title": "Alert on disk", "owner": alice.pk, "kind": "detect", "due_date": "2027-01-15"}
    assert _save_next_steps(api, review.pk, review.version, [step]).status_code == 200
    read = api.get(f"/api/reviews/{review.pk}").json()
    again = _send(
        api,
        "patch",
        f"/api/reviews/{review.pk}",
        {"version": read["version"], "content": read["content"], "title": read["title"]},
    )
    assert again.status_code == 200, again.content


# --- query parameters -----------------------------------------------------------------------


def test_an_unknown_query_parameter_is_refused(api: Client) -> None:
    error = _error(api.get("/api/actions?staus=open"), 400)
    assert error["fields"] == {"staus": ['Unknown parameter; did you mean "status"?']}
    error = _error(api.get(f"/api/actions/{Action.objects.count() + 1}?verbose=1"), 400)
    assert error["fields"] == {"verbose": ["Unknown parameter; this request takes none."]}


def test_a_cache_buster_starting_with_an_underscore_is_ignored(api: Client) -> None:
    assert api.get("/api/actions?status=open&_=1733412345").status_code == 200
    assert api.get("/api/incidents?_t=1&_t=2").status_code == 200


def test_an_unknown_query_parameter_still_needs_authentication() -> None:
    assert Client().get("/api/actions?staus=open").status_code == 401


def test_a_body_with_every_field_known_is_taken(api: Client) -> None:
    due = (dt.date.today() + dt.timedelta(days=30)).isoformat()
    response = _send(
        api, "post", "/api/actions", {"team": "alpha", "title": "Fix", "due_date": due}
    )
    assert response.status_code == 201, response.content
