"""Issue 17, item 5 in a browser: single sign-on through a REAL OpenID provider (the small
django-oauth-toolkit project in learnloop/accounts/tests/oidc_provider/, a subprocess over
HTTP). Noor signs in with her company account on a phone, her session works, the organisation
admin turns on "SSO only" so the password form goes, she signs out at the provider too; a
person the organisation does not know is refused with a clear page."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import expect

from e2e.conftest import PASSWORD
from learnloop.accounts.tests.oidc_provider.run import (
    CLIENT_ID,
    CLIENT_SECRET,
    Provider,
    running_provider,
)
from learnloop.accounts.tests.oidc_provider.run import PASSWORD as AT_PROVIDER

PHONE = {"width": 390, "height": 844}
PEOPLE = (("noor@clinic.test", "Noor Haddad", "admin"), ("sam@clinic.test", "Sam Ito", "member"))


@pytest.fixture(scope="module")
def provider(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Provider]:
    with running_provider(tmp_path_factory.mktemp("oidc-provider"), []) as started:
        yield started


@pytest.fixture
def server_env(provider: Provider) -> dict[str, str]:
    return {
        "LEARNLOOP_OIDC_ISSUER": provider.issuer,
        "LEARNLOOP_OIDC_CLIENT_ID": CLIENT_ID,
        "LEARNLOOP_OIDC_CLIENT_SECRET": CLIENT_SECRET,
        "LEARNLOOP_OIDC_ORGANISATION": "riverside",
        "LEARNLOOP_OIDC_PROVIDER_NAME": "Clinic login",
    }


def _sign_in_at_provider(page, username: str) -> None:
    page.get_by_role("link", name="Sign in with Clinic login").click()
    expect(page.get_by_role("heading", name="Test provider")).to_be_visible()
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(AT_PROVIDER)
    page.get_by_role("button", name="Sign in at the provider").click()


def test_signing_in_with_the_company_account(server, provider, organisation, new_page) -> None:
    provider.allow(server.url)
    organisation(people=PEOPLE, org_admins=["noor@clinic.test"])

    page = new_page(viewport=PHONE)
    page.goto(server.url + "/incidents/")
    page.wait_for_url("**/login/**")
    _sign_in_at_provider(page, "noor")
    # Back at Learnloop, signed in, on the page she asked for.
    page.wait_for_url(f"{server.url}/incidents/**")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    page.goto(server.url + "/account/")
    expect(page.get_by_text("noor@clinic.test").first).to_be_visible()

    # Her organisation switches passwords off: the login page offers only the provider.
    page.goto(server.url + "/organisation/sso/")
    page.get_by_label("Single sign-on only").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Single sign-on settings saved.")).to_be_visible()

    # Signing out ends the session here and at the provider.
    page.goto(server.url + "/account/")
    page.locator(".nav-compact summary", has_text="Menu").click()
    expect(page.get_by_text("Signed in as Noor Haddad")).to_be_visible()
    page.locator(".nav-compact").get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/login/**")
    page.goto(server.url + "/incidents/")
    page.wait_for_url("**/login/**")
    expect(page.get_by_role("link", name="Sign in with Clinic login")).to_be_visible()
    # With "SSO only", a password no longer signs anybody of Riverside in.
    page.get_by_label("Email").fill("sam@clinic.test")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page.get_by_text("Passwords are switched off.")).to_be_visible()


def test_a_person_the_organisation_does_not_know_is_refused(
    server, provider, organisation, new_page
) -> None:
    provider.allow(server.url)
    organisation(people=PEOPLE)
    page = new_page()
    page.goto(server.url + "/login/")
    _sign_in_at_provider(page, "stranger")
    refusal = page.locator("#sso-refusal")
    expect(refusal).to_be_visible()
    expect(refusal).to_have_attribute("data-reason", "no-account")
    page.goto(server.url + "/incidents/")
    page.wait_for_url("**/login/**")
