from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.http import HttpRequest
from django.urls import reverse

from learnloop.accounts import sso, throttling
from learnloop.accounts.models import Role
from learnloop.core.jobs import queue_email
from learnloop.core.urls_util import absolute_url


class SetupForm(forms.Form):
    organisation_name = forms.CharField(max_length=120, label="Organisation name")
    display_name = forms.CharField(max_length=120, label="Your name")
    email = forms.EmailField(label="Your email")
    password = forms.CharField(
        widget=forms.PasswordInput, label="Password", help_text="At least 10 characters."
    )


class SignInForm(AuthenticationForm):
    username = forms.EmailField(
        label="Email", widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"})
    )

    def confirm_login_allowed(self, user: Any) -> None:
        super().confirm_login_allowed(user)
        if sso.password_sign_in_refused(user):
            raise forms.ValidationError(
                f"Your organisation signs in with single sign-on: use “Sign in with "
                f"{settings.OIDC_PROVIDER_NAME}” below. Passwords are switched off.",
                code="sso_only",
            )


class QueuedPasswordResetForm(PasswordResetForm):
    """Password reset whose email goes through the background queue, at most
    ``PASSWORD_RESET_EMAILS_PER_HOUR`` per email address and
    ``PASSWORD_RESET_REQUESTS_PER_ADDRESS_PER_HOUR`` requests per client address. Over either
    limit nothing is sent and the page answers exactly as usual, so it tells nobody whether
    the email has an account (docs/decisions/0016-sign-in-throttling.md)."""

    def get_users(self, email: str) -> Any:
        """Nobody whose password is switched off (SSO only) gets a reset link."""
        return (u for u in super().get_users(email) if not sso.password_sign_in_refused(u))

    def save(self, *args: Any, request: HttpRequest | None = None, **kwargs: Any) -> None:
        if throttling.password_reset_refused(self.cleaned_data["email"], request):
            return
        super().save(*args, request=request, **kwargs)

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        from django.template import loader

        context["link"] = absolute_url(
            reverse(
                "accounts:password-reset-confirm",
                kwargs={"uidb64": context["uid"], "token": context["token"]},
            )
        )
        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = loader.render_to_string(email_template_name, context)
        queue_email(to=[to_email], subject=subject, body=body)


class TeamForm(forms.Form):
    name = forms.CharField(max_length=120)
    description = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=2000
    )


class InvitationForm(forms.Form):
    email = forms.EmailField()
    role = forms.ChoiceField(choices=Role.choices, initial=Role.MEMBER)


class AcceptForm(forms.Form):
    display_name = forms.CharField(max_length=120, label="Your name")
    password = forms.CharField(
        widget=forms.PasswordInput, label="Choose a password", help_text="At least 10 characters."
    )


class TokenForm(forms.Form):
    name = forms.CharField(
        max_length=80, label="Token name", help_text="What will use it, e.g. 'CI import job'."
    )


def _time_zone_choices() -> list[tuple[str, str]]:
    from django.conf import settings

    from learnloop.accounts.profile_and_renames import time_zone_names

    server = [("", f"The server's time zone ({settings.TIME_ZONE})")]
    return server + [(name, name.replace("_", " ")) for name in time_zone_names()]


class ProfileForm(forms.Form):
    """Validation lives in accounts.profile_and_renames.profile_update (one place)."""

    display_name = forms.CharField(
        label="Display name",
        required=False,
        help_text="How others see you in Learnloop; empty uses your name or email.",
    )
    time_zone = forms.CharField(
        label="Time zone",
        required=False,
        help_text="Times are shown, and entered, in this zone.",
        # A callable, read when the form is shown (Django 5); django-stubs' Select wants a list.
        widget=forms.Select(choices=_time_zone_choices),  # type: ignore[arg-type]
    )


class RenameForm(forms.Form):
    name = forms.CharField(label="Name", required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)
