"""One error shape everywhere, and the named bad inputs of issue 9 (findings 4 and 6;
docs/decisions/0012-input-validation.md). The walks over every operation and page are in
test_bad_input.py; these pin each case down with its exact answer."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from learnloop.accounts.services import api_token_create
from learnloop.incidents.models import Incident
from learnloop.testing.builders import make_incident

pytestmark = pytest.mark.django_db

HUGE = "10000000000000000000"  # > 2**63


@pytest.fixture
def token(alice) -> str:
    return api_token_create(user=alice, name="shape")[1]


def _auth(token: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def _error(response, status: int) -> dict[str, Any]:
    """The error object of a response in the one shape, with ``status``."""
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body["error"]) == {"code", "message", "fields"}
    return body["error"]


def _post_json(client: Client, url: str, body: object, **extra: str):
    return client.post(url, json.dumps(body), content_type="application/json", **extra)


# --- finding 6: one error shape ----------------------------------------------------------


@pytest.mark.slow
def test_a_ten_megabyte_api_body_gets_413_in_the_one_shape(client, token) -> None:
    body = json.dumps({"title": "x" * (10 * 1024 * 1024), "description": "big"})
    response = client.post("/api/incidents", body, content_type="application/json", **_auth(token))
    error = _error(response, 413)
    assert error["code"] == "too_large"
    assert Incident.objects.count() == 0


@pytest.mark.slow
def test_a_ten_megabyte_form_gets_a_413_page(client_for, alice) -> None:
    response = client_for(alice).post(
        "/incidents/new/", {"title": "Big", "description": "x" * (10 * 1024 * 1024)}
    )
    assert response.status_code == 413
    assert response["Content-Type"].startswith("text/html")
    assert b"Too large" in response.content
    assert Incident.objects.count() == 0


@pytest.mark.parametrize(
    "url", ["/api/actions/-1", "/api/lessons/abc", "/api/no-such-thing", "/api/incidents/1/x"]
)
def test_api_addresses_that_match_no_route_get_a_json_404(client, token, url) -> None:
    assert _error(client.get(url, **_auth(token)), 404)["code"] == "not_found"


def test_an_unknown_id_gets_a_json_404(client, token) -> None:
    assert _error(client.get(f"/api/actions/{HUGE}", **_auth(token)), 404)["code"] == "not_found"
    assert _error(client.get("/api/incidents/-1", **_auth(token)), 404)["code"] == "not_found"


def test_a_method_an_api_address_does_not_take_gets_a_json_405(client, token) -> None:
    response = client.delete("/api/me", **_auth(token))
    assert _error(response, 405)["code"] == "method_not_allowed"
    assert "GET" in response["Allow"]


def test_an_unauthenticated_api_write_gets_401_not_a_csrf_403(alpha) -> None:
    client = Client(enforce_csrf_checks=True)
    response = _post_json(client, "/api/incidents", {"title": "x", "description": "y"})
    assert _error(response, 401)["code"] == "unauthenticated"
    response = _post_json(
        client, "/api/incidents", {"title": "x"}, HTTP_AUTHORIZATION="Bearer ll_no"
    )
    assert _error(response, 401)["code"] == "unauthenticated"


def test_a_session_write_without_the_csrf_token_gets_403_in_the_one_shape(alice, alpha) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    body = {"title": "Slow", "description": "It was slow.", "team": "alpha"}
    error = _error(_post_json(client, "/api/incidents", body), 403)
    assert error["code"] == "csrf_failed"
    assert Incident.objects.count() == 0
    # With the token the same session write succeeds.
    client.get("/")
    csrf = client.cookies["csrftoken"].value
    assert _post_json(client, "/api/incidents", body, HTTP_X_CSRFTOKEN=csrf).status_code == 201


def test_a_web_form_without_the_csrf_token_gets_a_403_page(alice) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    response = client.post("/incidents/new/", {"title": "x"})
    assert response.status_code == 403
    assert b"reload the page" in response.content


def test_a_body_that_is_not_json_gets_400_in_the_one_shape(client, token) -> None:
    response = client.post(
        "/api/incidents", "{nope", content_type="application/json", **_auth(token)
    )
    assert _error(response, 400)["code"] == "bad_request"


def test_web_pages_that_do_not_exist_get_a_404_page(client_for, alice) -> None:
    response = client_for(alice).get(f"/incidents/{HUGE}/")
    assert response.status_code == 404
    assert b"Not found" in response.content and b"<nav" in response.content


# --- finding 4: the named bad inputs -----------------------------------------------------


def test_a_huge_page_is_refused_naming_page(client, token) -> None:
    error = _error(client.get(f"/api/lessons?page={HUGE}", **_auth(token)), 422)
    assert "page" in error["fields"]


def test_a_huge_page_on_a_web_list_shows_the_last_page(client_for, alice) -> None:
    for url in ("/lessons/?page=1e20", f"/incidents/?page={HUGE}", f"/reviews/?page={HUGE}"):
        assert client_for(alice).get(url).status_code == 200, url


def test_ids_above_64_bits_in_filters_are_refused_naming_the_filter(client, token) -> None:
    error = _error(client.get(f"/api/actions?review={HUGE}", **_auth(token)), 422)
    assert "review" in error["fields"]
    error = _error(client.get(f"/api/actions?owner={HUGE}", **_auth(token)), 400)
    assert "owner" in error["fields"]
    body = {"team": "alpha", "title": "Fix", "owner_id": 10**20}
    error = _error(_post_json(client, "/api/actions", body, **_auth(token)), 400)
    assert error["fields"] == {
        "owner_id": [f"Enter a number between {-(2**63 - 1)} and {2**63 - 1}."]
    }


def test_unicode_digits_are_not_ids(client, token, alice, alpha) -> None:
    make_incident(alpha, reporter=alice)
    response = client.get("/api/reviews?team=%C2%B9", **_auth(token))
    assert response.status_code == 200 and response.json()["items"] == []
    body = {"template": "\u00b9", "team": "alpha"}
    error = _error(_post_json(client, "/api/reviews", body, **_auth(token)), 400)
    assert error["fields"] == {"template": ["Unknown template."]}
    error = _error(
        _post_json(client, "/api/actions", {"team": "\u00b9", "title": "x"}, **_auth(token)), 400
    )
    assert "team" in error["fields"]


def test_a_far_future_time_is_refused_naming_the_field(client, token, alice, alpha) -> None:
    incident = make_incident(alpha, reporter=alice)
    body = {"version": incident.version, "started_at": "9999-12-31T23:59:59-14:00"}
    response = client.patch(
        f"/api/incidents/{incident.pk}",
        json.dumps(body),
        content_type="application/json",
        **_auth(token),
    )
    error = _error(response, 400)
    assert error["fields"] == {"started_at": ["Enter a date between 1900 and 2200."]}
    body = {"title": "x", "description": "y", "resolved_at": "0001-01-01T00:00:00+14:00"}
    error = _error(_post_json(client, "/api/incidents", body, **_auth(token)), 400)
    assert error["fields"] == {"resolved_at": ["Enter a date between 1900 and 2200."]}


def test_a_far_future_time_on_the_web_form_is_a_form_error(client_for, alice, alpha) -> None:
    form = {
        "title": "Slow",
        "description": "It was slow.",
        "team": alpha.slug,
        "kind": "service_incident",
    }
    form |= {"visibility": "team", "started_at": "9999-12-31T23:59"}
    response = client_for(alice).post("/incidents/new/", form)
    assert response.status_code in (200, 400)
    assert "Enter a date between 1900 and 2200." in response.content.decode()
    assert Incident.objects.count() == 0


def test_far_dates_for_meetings_and_due_dates_name_the_field(client, token, alice, alpha) -> None:
    from learnloop.reviews import services
    from learnloop.reviews.models import ReviewTemplate

    template = ReviewTemplate.objects.get(slug="incident-review", is_shipped=True)
    review = services.review_create(actor=alice, template=template, team=alpha)
    body = {"meeting_at": "9999-12-31T23:59:59-14:00"}
    error = _error(
        _post_json(client, f"/api/reviews/{review.pk}/meeting", body, **_auth(token)), 400
    )
    assert error["fields"] == {"meeting_at": ["Enter a date between 1900 and 2200."]}
    body = {"team": "alpha", "title": "Fix", "due_date": "9999-12-31"}
    error = _error(_post_json(client, "/api/actions", body, **_auth(token)), 400)
    assert error["fields"] == {"due_date": ["Enter a date between 1900 and 2200."]}


@pytest.mark.parametrize(("text", "problem"), [("x\ud800y", "surrogate"), ("x\x00y", "NUL")])
def test_a_bad_character_in_a_json_string_is_refused_naming_the_field(
    client, token, text, problem
) -> None:
    body = {"title": "Slow", "description": "It was slow.", "tags": ["db", text]}
    error = _error(_post_json(client, "/api/incidents", body, **_auth(token)), 400)
    assert list(error["fields"]) == ["tags.1"]
    assert problem in error["fields"]["tags.1"][0]
    assert Incident.objects.count() == 0


def test_a_nul_in_a_query_parameter_is_refused_naming_it(client, client_for, token, alice) -> None:
    error = _error(client.get("/api/incidents?team=a%00b", **_auth(token)), 400)
    assert list(error["fields"]) == ["team"]
    response = client_for(alice).get("/incidents/?tag=a%00b")
    assert response.status_code == 400
    assert b"<strong>tag</strong>" in response.content


def test_a_nul_in_a_form_field_is_refused_and_nothing_is_saved(client_for, alice, alpha) -> None:
    response = client_for(alice).post(
        "/incidents/new/", {"title": "Slow\x00", "description": "x", "team": alpha.slug}
    )
    assert response.status_code == 400
    assert Incident.objects.count() == 0
