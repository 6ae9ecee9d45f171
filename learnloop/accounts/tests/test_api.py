from __future__ import annotations

import pytest

from learnloop.accounts.models import ApiToken
from learnloop.accounts.services import api_token_create

pytestmark = pytest.mark.django_db


def test_it_authenticates_with_a_personal_token(alice, alpha, client) -> None:
    _, raw = api_token_create(user=alice, name="ci")
    response = client.get("/api/me", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 200
    assert response.json()["teams"] == ["alpha"]
    assert ApiToken.objects.get().last_used_at is not None
    assert raw not in str(ApiToken.objects.values_list())


def test_it_rejects_revoked_and_unknown_tokens_with_one_error_shape(
    alice, client, client_for
) -> None:
    token, raw = api_token_create(user=alice, name="ci")
    client_for(alice).post(f"/account/tokens/{token.pk}/revoke/")
    for header in [f"Bearer {raw}", "Bearer ll_nope", ""]:
        response = client.get("/api/teams", HTTP_AUTHORIZATION=header)
        assert response.status_code == 401
        assert response.json()["error"]["code"] == "unauthenticated"


def test_it_lists_and_paginates_teams(alice, alpha, client) -> None:
    _, raw = api_token_create(user=alice, name="ci")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    for i in range(3):
        client.post("/api/teams", {"name": f"T{i}"}, content_type="application/json", **auth)
    body = client.get("/api/teams?page_size=2&page=2", **auth).json()
    assert body["count"] == 4 and len(body["items"]) == 2


def test_validation_errors_name_the_field(alice, client) -> None:
    _, raw = api_token_create(user=alice, name="ci")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    body = client.post(
        "/api/teams", {"description": "x"}, content_type="application/json", **auth
    ).json()
    assert body["error"]["code"] == "invalid" and "name" in body["error"]["fields"]
    body = client.post("/api/teams", {"name": "  "}, content_type="application/json", **auth).json()
    assert body["error"]["fields"] == {"name": ["This field is required."]}
    body = client.get("/api/teams?page=0", **auth).json()
    assert "page" in body["error"]["fields"]


def test_session_api_calls_need_csrf(alice) -> None:
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    assert client.get("/api/me").status_code == 200
    assert client.post(
        "/api/teams", {"name": "X"}, content_type="application/json"
    ).status_code in (401, 403)


def test_openapi_description_is_served(client) -> None:
    schema = client.get("/api/openapi.json").json()
    assert schema["info"]["title"] == "Learnloop API"
    assert "/api/teams" in schema["paths"]
