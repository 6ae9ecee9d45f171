"""Organisation admins edit the organisation's single sign-on choices (decision 0200)."""

from __future__ import annotations

import pytest

from learnloop.accounts import sso

pytestmark = pytest.mark.django_db

URL = "/organisation/sso/"


@pytest.fixture
def acme_admin(alice, org):
    alice.is_org_admin = True
    alice.save()
    return alice


def _post(client, org, **data):
    return client.post(URL, {"version": org.version, **data})


def test_an_organisation_admin_sets_domains_and_sso_only(acme_admin, org, client_for) -> None:
    client = client_for(acme_admin)
    page = client.get(URL)
    assert page.status_code == 200 and "not set up" in page.content.decode()
    response = _post(
        client, org, provision_domains="Acme.example, @ops.acme.example", sso_only="on"
    )
    assert response.status_code == 302
    org.refresh_from_db()
    assert sso.organisation_sso(org) == {
        "provision_domains": ["acme.example", "ops.acme.example"],
        "sso_only": True,
    }
    assert 'value="acme.example, ops.acme.example"' in client.get(URL).content.decode()


def test_a_bad_domain_is_a_form_error_and_nothing_is_saved(acme_admin, org, client_for) -> None:
    response = _post(client_for(acme_admin), org, provision_domains="acme.example, not a domain!")
    assert response.status_code == 400
    assert "Not a domain name" in response.content.decode()
    org.refresh_from_db()
    assert "sso" not in org.settings


def test_a_stale_save_is_refused_with_the_conflict_view(acme_admin, org, client_for) -> None:
    client = client_for(acme_admin)
    stale = org.version
    assert _post(client, org, provision_domains="acme.example").status_code == 302
    response = client.post(URL, {"version": stale, "provision_domains": "other.example"})
    assert response.status_code == 409
    org.refresh_from_db()
    assert sso.organisation_sso(org)["provision_domains"] == ["acme.example"]


def test_only_the_organisations_admins_reach_it(
    alice, bob, charlie, mallory, org, client_for
) -> None:
    # alice is a team admin, not an organisation admin; charlie likewise; mallory is another
    # organisation's admin and edits only her own.
    for person in (alice, bob, charlie):
        assert client_for(person).get(URL).status_code == 404
        assert client_for(person).post(URL, {"version": org.version}).status_code == 404
    response = client_for(mallory).post(
        URL, {"version": mallory.organisation.version, "sso_only": "on"}
    )
    assert response.status_code == 302
    org.refresh_from_db()
    assert "sso" not in org.settings
