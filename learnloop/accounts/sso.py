"""Single sign-on with OpenID Connect (decision 0200), with mozilla-django-oidc as the relying
party: discovery, the authorization code flow with PKCE (S256), accounts matched by a
*verified* email, optional provisioning into the organisation by email domain, an optional
"SSO only" mode, and RP-initiated logout when the provider offers it.

The provider is configured per deployment (``LEARNLOOP_OIDC_*``) and belongs to one
organisation (``LEARNLOOP_OIDC_ORGANISATION``): it vouches only for that organisation's
people. The organisation's own choices, the email domains whose people are added on their
first sign-in and whether passwords are off, live in ``Organisation.settings["sso"]``.
"""

from __future__ import annotations

import logging
import time
from typing import Any
from urllib.parse import urlencode

import requests
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.views import LoginView, LogoutView
from django.core.exceptions import SuspiciousOperation
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.utils import import_from_settings
from mozilla_django_oidc.views import (
    OIDCAuthenticationCallbackView,
    OIDCAuthenticationRequestView,
)

from learnloop.accounts.models import Organisation, User
from learnloop.core.urls_util import absolute_url

log = logging.getLogger(__name__)

DISCOVERY_SECONDS = 3600
#: mozilla-django-oidc setting -> the provider metadata field it comes from (discovery).
ENDPOINTS = {
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
    "OIDC_OP_TOKEN_ENDPOINT": "token_endpoint",
    "OIDC_OP_USER_ENDPOINT": "userinfo_endpoint",
    "OIDC_OP_JWKS_ENDPOINT": "jwks_uri",
}

#: Why a sign-in was refused, as people read it (the page says it, nothing else does).
REFUSALS = {
    "unverified": (
        "Your company account's email address is not verified by the sign-in service. "
        "Verify it there (or ask your IT team), then try again."
    ),
    "other-organisation": (
        "This email address belongs to an account of another organisation. Sign in there "
        "with your password, or ask an organisation admin for an account here."
    ),
    "no-account": (
        "No Learnloop account uses this email address, and your organisation does not add "
        "people automatically. Ask an organisation admin for an invitation."
    ),
    "inactive": "This account is switched off. Ask an organisation admin.",
    "unavailable": "The sign-in service cannot be reached right now. Try again in a moment.",
    "failed": ("Single sign-on did not complete (it was cancelled, or took too long). Try again."),
}


class ProviderUnavailable(Exception):
    """The provider's discovery document could not be read."""


_discovered: dict[str, tuple[float, dict[str, Any]]] = {}


def configured() -> bool:
    return bool(settings.OIDC_ISSUER and settings.OIDC_RP_CLIENT_ID)


def discovery() -> dict[str, Any]:
    """The provider's metadata (``<issuer>/.well-known/openid-configuration``), kept an hour."""
    issuer = settings.OIDC_ISSUER.rstrip("/")
    cached = _discovered.get(issuer)
    if cached and cached[0] > time.monotonic():
        return cached[1]
    try:
        response = requests.get(
            issuer + "/.well-known/openid-configuration", timeout=settings.OIDC_TIMEOUT
        )
        response.raise_for_status()
        metadata: dict[str, Any] = response.json()
    except (requests.RequestException, ValueError) as exc:
        raise ProviderUnavailable(str(exc)) from exc
    if str(metadata.get("issuer", "")).rstrip("/") != issuer:
        raise ProviderUnavailable(f"the provider names another issuer: {metadata.get('issuer')}")
    missing = [field for field in ENDPOINTS.values() if not metadata.get(field)]
    if missing:
        raise ProviderUnavailable(f"the provider's metadata lacks {', '.join(missing)}")
    _discovered[issuer] = (time.monotonic() + DISCOVERY_SECONDS, metadata)
    return metadata


def _setting(attr: str, *args: Any) -> Any:
    if attr in ENDPOINTS:
        return discovery()[ENDPOINTS[attr]]
    return import_from_settings(attr, *args)


def sso_organisation() -> Organisation | None:
    if not configured():
        return None
    return Organisation.objects.filter(slug=settings.OIDC_ORGANISATION).first()


def organisation_sso(organisation: Organisation) -> dict[str, Any]:
    """The organisation's choices: ``provision_domains`` (list) and ``sso_only`` (bool)."""
    raw = (organisation.settings or {}).get("sso") or {}
    domains = [str(d).strip().lower().lstrip("@") for d in raw.get("provision_domains", [])]
    return {"provision_domains": [d for d in domains if d], "sso_only": bool(raw.get("sso_only"))}


def password_sign_in_refused(user: User) -> bool:
    """SSO only: the SSO organisation's people sign in through the provider. Operators (no
    organisation) keep their password: the break-glass account (decision 0200)."""
    if not configured() or user.is_operator or user.organisation_id is None:
        return False
    organisation = sso_organisation()
    return (
        organisation is not None
        and user.organisation_id == organisation.pk
        and organisation_sso(organisation)["sso_only"]
    )


class Refused(SuspiciousOperation):
    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


class SSOBackend(OIDCAuthenticationBackend):  # type: ignore[misc]
    """Signs in the SSO organisation's person whose email the provider has verified."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Django makes every back-end for every sign-in, passwords included: nothing here may
        # reach the provider. The endpoints are read (discovery) on an SSO callback only.
        self.UserModel = get_user_model()

    @staticmethod
    def get_settings(attr: str, *args: Any) -> Any:
        return _setting(attr, *args)

    def authenticate(self, request: HttpRequest | None, **kwargs: Any) -> User | None:
        if not configured() or request is None or "code_verifier" not in kwargs:
            return None  # not an SSO callback: other back-ends decide
        try:
            super().__init__()
            user: User | None = super().authenticate(request, **kwargs)
        except (ProviderUnavailable, requests.RequestException) as exc:
            log.warning("sso: provider unavailable during sign-in: %s", exc)
            request.sso_refusal = "unavailable"  # type: ignore[attr-defined]
            return None
        except SuspiciousOperation as exc:  # a token that does not check out
            log.warning("sso: sign-in refused: %s", exc)
            return None
        return user

    def verify_token(self, token: str, **kwargs: Any) -> dict[str, Any]:
        """The signature and nonce (the library), then issuer and audience: the token was
        issued by our provider, to us."""
        payload: dict[str, Any] = super().verify_token(token, **kwargs)
        audience = payload.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        issuer = str(payload.get("iss", "")).rstrip("/")
        if (
            issuer != settings.OIDC_ISSUER.rstrip("/")
            or settings.OIDC_RP_CLIENT_ID not in audiences
        ):
            raise SuspiciousOperation(
                "The ID token was issued by another issuer or for another client."
            )
        return payload

    def verify_claims(self, claims: dict[str, Any]) -> bool:
        return bool(claims.get("email")) and claims.get("email_verified") is True

    def get_or_create_user(self, access_token: str, id_token: str, payload: Any) -> User | None:
        claims = self.get_userinfo(access_token, id_token, payload)
        try:
            return self._match(claims)
        except Refused as refusal:
            self.request.sso_refusal = refusal.code  # the callback view's page says why
            log.info("sso: sign-in refused (%s)", refusal.code)
            return None

    def _match(self, claims: dict[str, Any]) -> User:
        if not self.verify_claims(claims):
            raise Refused("unverified")
        organisation = sso_organisation()
        if organisation is None:
            raise Refused("no-account")
        email = str(claims["email"]).strip()
        user: User | None = User.objects.filter(email__iexact=email).first()
        if user is not None:
            if user.organisation_id != organisation.pk:
                raise Refused("other-organisation")
            if not user.is_active:
                raise Refused("inactive")
            return user
        domain = email.rsplit("@", 1)[-1].lower()
        if domain not in organisation_sso(organisation)["provision_domains"]:
            raise Refused("no-account")
        return provision(organisation, email=email, name=str(claims.get("name") or ""))


def provision(organisation: Organisation, *, email: str, name: str) -> User:
    """Add a person who signed in through the organisation's provider (no password, no team:
    an admin adds them to teams)."""
    with transaction.atomic():
        user: User = User.objects.create(
            email=email,
            username=email,
            display_name=name[:120],
            organisation=organisation,
            password=make_password(None),
        )
    log.info("sso: provisioned a person into organisation %s", organisation.pk)
    return user


class SSOLoginView(OIDCAuthenticationRequestView):  # type: ignore[misc]
    """Starts the flow: a redirect to the provider (state, nonce, PKCE S256)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super(OIDCAuthenticationRequestView, self).__init__(*args, **kwargs)

    @staticmethod
    def get_settings(attr: str, *args: Any) -> Any:
        return _setting(attr, *args)

    def get(self, request: HttpRequest) -> HttpResponse:
        if not configured():
            return _page(request, "Single sign-on is not set up on this Learnloop.", 404)
        try:
            self.OIDC_OP_AUTH_ENDPOINT = self.get_settings("OIDC_OP_AUTHORIZATION_ENDPOINT")
        except ProviderUnavailable as exc:
            log.warning("sso: provider unavailable: %s", exc)
            return _page(
                request,
                "The sign-in service cannot be reached right now. Try again in a moment, or "
                "sign in with your password if your organisation allows it.",
                503,
            )
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
        response: HttpResponse = super().get(request)
        return response


class SSOCallbackView(OIDCAuthenticationCallbackView):  # type: ignore[misc]
    """The provider sends people back here; refusals get a page that says why."""

    def login_failure(self) -> HttpResponse:
        code = getattr(self.request, "sso_refusal", "failed")
        return _page(self.request, REFUSALS.get(code, REFUSALS["failed"]), 403, code=code)


def _page(request: HttpRequest, message: str, status: int, code: str = "") -> HttpResponse:
    return render(
        request, "accounts/sso_refused.html", {"message": message, "code": code}, status=status
    )


def provider_logout_url(request: HttpRequest) -> str | None:
    """Where to send a person signing out, to end the provider's session too (RP-initiated
    logout), when they signed in through it and the provider offers it; else None."""
    id_token = request.session.get("oidc_id_token")
    if not configured() or not id_token:
        return None
    try:
        endpoint = discovery().get("end_session_endpoint")
    except ProviderUnavailable:
        return None
    if not endpoint:
        return None
    query = urlencode(
        {
            "id_token_hint": id_token,
            "client_id": settings.OIDC_RP_CLIENT_ID,
            "post_logout_redirect_uri": absolute_url(reverse("accounts:login")),
        }
    )
    return f"{endpoint}?{query}"


class SignOutView(LogoutView):
    """Sign out here, and at the provider too when the person signed in through it and the
    provider offers RP-initiated logout."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        provider = provider_logout_url(request)
        response: HttpResponse = super().post(request, *args, **kwargs)
        return HttpResponseRedirect(provider) if provider else response


class SignInView(LoginView):
    """The sign-in page, with "Sign in with …" when single sign-on is set up."""

    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context: dict[str, Any] = super().get_context_data(**kwargs)
        if configured():
            context["sso_name"] = settings.OIDC_PROVIDER_NAME
        return context
