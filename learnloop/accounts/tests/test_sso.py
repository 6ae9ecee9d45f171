"""Single sign-on (issue 17, item 5; decision 0200) against a REAL OpenID provider: the small
django-oauth-toolkit project in ``oidc_provider/`` runs as a subprocess over HTTP with its own
SQLite database, an RSA key generated here and a registered confidential client. A requests
session plays the browser at the provider (its login form), the Django test client plays it
at Learnloop; Learnloop's relying party talks to the provider itself (discovery, token with
PKCE, JWKS, userinfo)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest
import requests
from django.core import mail
from django.test import Client
from django.urls import reverse

from learnloop.accounts import sso
from learnloop.accounts.models import Organisation, User
from learnloop.accounts.tests.oidc_provider.run import (
    CLIENT_ID,
    CLIENT_SECRET,
    Provider,
    running_provider,
)
from learnloop.accounts.tests.oidc_provider.run import PASSWORD as PASSWORD_AT_PROVIDER
from learnloop.testing.builders import PASSWORD, make_user

pytestmark = [pytest.mark.slow, pytest.mark.django_db]

CALLBACK_ORIGIN = "http://testserver"
PROVIDER_PASSWORD = PASSWORD_AT_PROVIDER


@pytest.fixture(scope="module")
def provider(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Provider]:
    with running_provider(tmp_path_factory.mktemp("oidc-provider"), [CALLBACK_ORIGIN]) as started:
        yield started


@pytest.fixture
def sso_org(provider: Provider, settings: Any, org: Organisation) -> Organisation:
    """Learnloop with the provider set up for the organisation ``org`` (Acme)."""
    settings.OIDC_ISSUER = provider.issuer
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
    settings.OIDC_ORGANISATION = org.slug
    settings.OIDC_PROVIDER_NAME = "Acme login"
    settings.BASE_URL = "http://testserver"
    sso._discovered.clear()
    return org


def _set(org: Organisation, **choices: Any) -> None:
    org.settings = {**(org.settings or {}), "sso": choices}
    org.save()


class Browser:
    """One person's browser: the test client at Learnloop, a requests session at the provider."""

    def __init__(self) -> None:
        self.learnloop = Client()
        self.provider = requests.Session()

    def follow_provider(self, url: str) -> str:
        """Follow redirects at the provider until one leaves for Learnloop; return it."""
        while not url.startswith("http://testserver"):
            response = self.provider.get(url, allow_redirects=False, timeout=30)
            if response.status_code == 200:
                return response.url
            assert response.status_code in (301, 302, 303), response.text[:500]
            url = urljoin(url, response.headers["Location"])
        return url

    def sign_in(self, username: str, next_path: str = "") -> Any:
        """The whole flow; returns Learnloop's answer to the callback."""
        start = self.learnloop.get("/sso/login/" + (f"?next={next_path}" if next_path else ""))
        assert start.status_code == 302, start.content[:300]
        authorize = start["Location"]
        query = parse_qs(urlsplit(authorize).query)
        assert query["code_challenge_method"] == ["S256"] and query["code_challenge"]
        assert query["client_id"] == [CLIENT_ID] and "openid" in query["scope"][0]
        where = self.follow_provider(authorize)
        if not where.startswith("http://testserver"):  # the provider's login page
            page = self.provider.get(where, timeout=30)
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
            assert token is not None, page.text[:500]
            posted = self.provider.post(
                where,
                data={
                    "username": username,
                    "password": PROVIDER_PASSWORD,
                    "csrfmiddlewaretoken": token.group(1),
                    "next": parse_qs(urlsplit(where).query)["next"][0],
                },
                headers={"Referer": where},
                allow_redirects=False,
                timeout=30,
            )
            assert posted.status_code == 302, posted.text[:500]
            where = self.follow_provider(urljoin(where, posted.headers["Location"]))
        callback = urlsplit(where)
        assert callback.path == "/sso/callback/"
        return self.learnloop.get(f"{callback.path}?{callback.query}")

    def who(self) -> User | None:
        session = self.learnloop.session
        pk = session.get("_auth_user_id")
        return User.objects.filter(pk=pk).first() if pk else None


@pytest.fixture
def browser() -> Callable[[], Browser]:
    return Browser


def _refusal(response: Any) -> str:
    assert response.status_code == 403
    text = response.content.decode()
    found = re.search(r'id="sso-refusal" data-reason="([^"]+)"', text)
    assert found is not None, text[:500]
    return found.group(1)


def test_discovery_reads_the_providers_metadata(sso_org: Organisation, provider: Provider) -> None:
    metadata = sso.discovery()
    assert metadata["issuer"] == provider.issuer
    assert metadata["authorization_endpoint"] == provider.issuer + "/authorize/"
    assert "S256" in metadata.get("code_challenge_methods_supported", ["S256"])
    assert metadata["end_session_endpoint"].startswith(provider.issuer)


def test_the_login_page_offers_sso_when_it_is_set_up(
    sso_org: Organisation, client: Client, settings: Any
) -> None:
    page = client.get("/login/").content.decode()
    assert "Sign in with Acme login" in page and 'href="/sso/login/"' in page
    settings.OIDC_ISSUER = ""
    assert "Sign in with" not in client.get("/login/").content.decode()
    assert client.get("/sso/login/").status_code == 404


def test_a_member_signs_in_through_the_provider_and_gets_a_session(
    sso_org: Organisation, bob: User, browser: Callable[[], Browser]
) -> None:
    person = browser()
    response = person.sign_in("bob", next_path="/actions/")
    assert response.status_code == 302 and response["Location"] == "/actions/"
    assert person.who() == bob
    assert person.learnloop.get("/").status_code == 200
    assert "Sign out" in person.learnloop.get("/").content.decode()


def test_an_unverified_email_is_refused_with_a_clear_page(
    sso_org: Organisation, alice: User, browser: Callable[[], Browser]
) -> None:
    person = browser()
    response = person.sign_in("unverified")  # claims alice@example.org, not verified
    assert _refusal(response) == "unverified"
    assert "not verified" in response.content.decode()
    assert person.who() is None


def test_an_email_of_another_organisation_is_refused(
    sso_org: Organisation, mallory: User, browser: Callable[[], Browser]
) -> None:
    person = browser()
    response = person.sign_in("mallory")
    assert _refusal(response) == "other-organisation"
    assert "another organisation" in response.content.decode()
    assert person.who() is None


def test_people_are_provisioned_only_from_the_organisations_domains(
    sso_org: Organisation, browser: Callable[[], Browser]
) -> None:
    assert _refusal(browser().sign_in("newcomer")) == "no-account"
    assert not User.objects.filter(email="newcomer@example.org").exists()

    _set(sso_org, provision_domains=["example.org"])
    person = browser()
    response = person.sign_in("newcomer")
    assert response.status_code == 302
    newcomer = User.objects.get(email="newcomer@example.org")
    assert person.who() == newcomer
    assert newcomer.organisation == sso_org and newcomer.display_name == "Nia Newcomer"
    assert not newcomer.has_usable_password() and not newcomer.teams.exists()
    # Another domain is still refused.
    assert _refusal(browser().sign_in("stranger")) == "no-account"
    assert not User.objects.filter(email="stranger@elsewhere.test").exists()


def test_sso_only_turns_off_member_passwords_but_not_the_operators(
    sso_org: Organisation, bob: User, client: Client, browser: Callable[[], Browser]
) -> None:
    _set(sso_org, sso_only=True)
    refused = client.post("/login/", {"username": "bob@example.org", "password": PASSWORD})
    assert refused.status_code == 200
    assert "signs in with single sign-on" in refused.content.decode()
    assert "_auth_user_id" not in client.session
    # No reset link either: the password is off.
    client.post(reverse("accounts:password-reset"), {"email": "bob@example.org"})
    assert mail.outbox == []
    # The break-glass account: an operator (no organisation) signs in with a password.
    make_user("ops@example.org", None, is_superuser=True, is_staff=True)
    ops = Client()
    signed_in = ops.post("/login/", {"username": "ops@example.org", "password": PASSWORD})
    assert signed_in.status_code == 302 and "_auth_user_id" in ops.session
    # Bob still signs in through the provider.
    person = browser()
    assert person.sign_in("bob").status_code == 302 and person.who() == bob


def test_signing_out_ends_the_providers_session_too(
    sso_org: Organisation, bob: User, browser: Callable[[], Browser]
) -> None:
    person = browser()
    person.sign_in("bob")
    response = person.learnloop.post("/logout/")
    assert response.status_code == 302
    end_session = response["Location"]
    assert end_session.startswith(sso.discovery()["end_session_endpoint"])
    assert "id_token_hint=" in end_session
    assert person.who() is None
    # The provider signs out and sends the person back to Learnloop's sign-in page.
    assert person.follow_provider(end_session) == "http://testserver/login/"
    # Signing in again asks for the provider's password (its session ended).
    start = person.learnloop.get("/sso/login/")
    assert "/accounts/login/" in person.follow_provider(start["Location"])


def test_a_password_sign_out_without_sso_stays_local(
    sso_org: Organisation, bob: User, client_for: Callable[[User], Client]
) -> None:
    response = client_for(bob).post("/logout/")
    assert response.status_code == 302 and response["Location"] == reverse("accounts:login")
