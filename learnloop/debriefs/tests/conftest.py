"""Debrief fixtures: a deliverable of Alpha with alice (owner) and bob on it, and ``api(user)``
for the API tests (a personal token)."""

from __future__ import annotations

from typing import Any

import pytest

from learnloop.accounts.services import api_token_create
from learnloop.debriefs.models import Deliverable
from learnloop.testing.builders import make_deliverable


@pytest.fixture
def deliverable(alice, bob, alpha) -> Deliverable:
    return make_deliverable(
        alpha,
        title="Checkout redesign",
        owner=alice,
        collaborators=[bob],
        created_by=alice,
        description="Rebuild the payment retry flow.",
    )


@pytest.fixture
def api(client):
    """``api(user)``: get/post/patch/delete with a personal token of ``user``."""

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

            def delete(self, url: str):
                return client.delete(url, **auth)

        return Api()

    return make
