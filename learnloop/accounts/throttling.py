"""Sign-in throttling glue for django-axes (docs/decisions/0016-sign-in-throttling.md).

django-axes counts failed sign-ins per (email, address) pair in the database and refuses the
pair after ``AXES_FAILURE_LIMIT`` failures for ``AXES_COOLOFF_TIME``. These callables adapt it
to sign-in by email and answer a refusal with the sign-in page and a plain message (429), the
same whether or not the email has an account.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


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
