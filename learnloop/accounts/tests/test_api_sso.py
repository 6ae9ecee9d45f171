"""``/api/organisation/sso``: organisation admins read and replace the single sign-on choices
with a version; nobody else sees them; the client secret is never returned."""

from __future__ import annotations

from typing import Any

import pytest

from learnloop.accounts.sso import organisation_sso

pytestmark = pytest.mark.django_db

SECRET = "s3cr3t-client-secret-value"


@pytest.fixture
def provider_settings(settings: Any, org: Any) -> None:
    settings.OIDC_ISSUER = "https://login.acme.example"
    settings.OIDC_RP_CLIENT_ID = "learnloop"
    settings.OIDC_RP_CLIENT_SECRET = SECRET
    settings.OIDC_ORGANISATION = org.slug
    settings.OIDC_PROVIDER_NAME = "Acme login"


def _admin(user: Any) -> Any:
    user.is_org_admin = True
    user.save(update_fields=["is_org_admin"])
    return user


def test_an_org_admin_reads_and_saves_with_a_version(client_for, alice, org, provider_settings):
    client = client_for(_admin(alice))
    read = client.get("/api/organisation/sso")
    assert read.status_code == 200
    body = read.json()
    assert body["set_up"] is True and body["client_secret_set"] is True
    assert body["issuer"] == "https://login.acme.example" and body["client_id"] == "learnloop"
    assert SECRET not in read.content.decode()
    saved = client.put(
        "/api/organisation/sso",
        {"provision_domains": ["Acme.example", "@corp.acme.example"], "sso_only": True,
         "version": body["version"]},
        content_type="application/json",
    )  # fmt: skip
    assert saved.status_code == 200, saved.content
    assert saved.json()["provision_domains"] == ["acme.example", "corp.acme.example"]
    assert saved.json()["version"] == body["version"] + 1
    org.refresh_from_db()
    assert organisation_sso(org) == {
        "provision_domains": ["acme.example", "corp.acme.example"],
        "sso_only": True,
    }
    stale = client.put(
        "/api/organisation/sso",
        {"provision_domains": [], "sso_only": False, "version": body["version"]},
        content_type="application/json",
    )
    assert stale.status_code == 409
    assert stale.json()["current_version"] == body["version"] + 1
    assert set(stale.json()["error"]["fields"]) >= {"provision_domains", "sso_only"}
    org.refresh_from_db()
    assert organisation_sso(org)["sso_only"] is True


def test_a_bad_domain_is_a_400_naming_the_field(client_for, alice, org) -> None:
    client = client_for(_admin(alice))
    version = client.get("/api/organisation/sso").json()["version"]
    response = client.put(
        "/api/organisation/sso",
        {"provision_domains": ["not a domain"], "version": version},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "provision_domains" in response.json()["error"]["fields"]


def test_without_a_provider_nothing_of_it_is_shown(client_for, alice, settings) -> None:
    settings.OIDC_ISSUER = ""
    body = client_for(_admin(alice)).get("/api/organisation/sso").json()
    assert body["set_up"] is False and body["issuer"] == "" and body["client_secret_set"] is False


def test_members_and_team_admins_get_404_and_another_org_sees_only_its_own(
    client_for, bob, charlie, mallory, org, provider_settings
) -> None:
    # bob: a member; charlie: a team admin of the same organisation.
    for person in (bob, charlie):
        client = client_for(person)
        assert client.get("/api/organisation/sso").status_code == 404
        put = client.put(
            "/api/organisation/sso",
            {"provision_domains": [], "sso_only": True, "version": 1},
            content_type="application/json",
        )
        assert put.status_code == 404
    # mallory administers another organisation: she sees and changes only her own, for which
    # the deployment's provider is not set up (and whose secret she never sees).
    theirs = client_for(mallory)
    body = theirs.get("/api/organisation/sso").json()
    assert body["set_up"] is False and body["client_id"] == "" and SECRET not in str(body)
    changed = theirs.put(
        "/api/organisation/sso",
        {"provision_domains": [], "sso_only": True, "version": body["version"]},
        content_type="application/json",
    )
    assert changed.status_code == 200
    org.refresh_from_db()
    assert organisation_sso(org)["sso_only"] is False
