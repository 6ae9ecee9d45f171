"""Sign-in and password-reset throttling (docs/decisions/0016-sign-in-throttling.md).

Sign-in: django-axes counts failed sign-ins per (email, address) pair in the database and refuses the
pair after ``AXES_FAILURE_LIMIT`` failures for ``AXES_COOLOFF_TIME``. These callables adapt it
to sign-in by email and answer a refusal with the sign-in page and a plain message (429), the
same whether or not the email has an account. Password reset: the core rate limiter counts
requests per email and per client address.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from learnloop.core.client_ip import client_ip
from learnloop.core.ratelimit import limit_hit


def signin_email(request: HttpRequest, credentials: dict[str, Any] | None) -> str | None:
    """The email a sign-in attempt is for, normalised the way sign-in matches it (ignoring
    case and surrounding spaces), so ``ALICE@…`` and ``alice@…`` count together."""
    raw = (credentials or {}).get("username")
    if raw is None:
        raw = request.POST.get("username")
    return str(raw).strip().lower()[:254] if raw is not None else None


def refusal_message() -> str:
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return (
        "Too many failed sign-ins: signing in with this email from your network is paused for "
        f"{minutes} minutes. Try again later, or reset your password by email."
    )


def signin_refused(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: Any = None
) -> HttpResponse:
    """The sign-in page with the refusal message, status 429 (Too Many Requests)."""
    from learnloop.accounts.forms import SignInForm

    context = {"form": SignInForm(request), "refusal": refusal_message()}
    return render(request, "accounts/login.html", context, status=429)


def signin_failures_forget(email: str) -> None:
    """Forget the failed sign-ins for ``email`` (from every address): its owner just proved
    they read its mailbox by choosing a new password through the reset link."""
    from axes.utils import reset

    reset(username=email.strip().lower())


def password_reset_refused(email: str, request: HttpRequest | None) -> bool:
    """Count one reset request for ``email`` and for the client address; True when either is
    over its hourly limit. Both are counted every time, known email or not."""
    over_email = limit_hit(
        "accounts.password_reset.email",
        email.strip().lower(),
        settings.PASSWORD_RESET_EMAILS_PER_HOUR,
        3600,
    )
    over_address = limit_hit(
        "accounts.password_reset.address",
        (client_ip(request) if request is not None else None) or "unknown",
        settings.PASSWORD_RESET_REQUESTS_PER_ADDRESS_PER_HOUR,
        3600,
    )
    return over_email or over_address
