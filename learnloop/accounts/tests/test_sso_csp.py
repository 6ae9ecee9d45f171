"""Signing out through the provider needs the policy's form-action to allow its origin: the
sign-out form's answer redirects there, and browsers hold redirects after a form to
form-action (found by the browser journey e2e/test_sso.py)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_form_action_allows_only_this_site_without_a_provider(client) -> None:
    policy = client.get("/login/")["Content-Security-Policy"]
    assert "form-action 'self';" in policy


def test_form_action_allows_the_providers_origin_with_one(client, settings) -> None:
    settings.CSP_FORM_ACTION_ORIGINS = ["https://login.acme.example"]
    policy = client.get("/login/")["Content-Security-Policy"]
    assert "form-action 'self' https://login.acme.example;" in policy
    assert "script-src 'self';" in policy  # nothing else is loosened
