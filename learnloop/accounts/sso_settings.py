"""The organisation's single sign-on choices, edited by its organisation admins (decision
0200): the email domains whose people get an account on their first sign-in through the
provider, and "SSO only" (passwords off for the organisation's people; operators keep theirs).
Stored in ``Organisation.settings["sso"]``; a stale save is refused (``version``)."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from learnloop.accounts import sso
from learnloop.accounts.models import Organisation, User
from learnloop.core.errors import ApplicationError, PermissionDenied
from learnloop.core.forms import apply_error, conflict_view
from learnloop.core.versioning import StaleVersion, claim_version, require_version

DOMAIN = re.compile(r"^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
MAX_DOMAINS = 20


def clean_domains(raw: str | list[str]) -> list[str]:
    """Domains from text (commas, spaces or lines) or a list; a clear error names bad ones."""
    items = raw if isinstance(raw, list) else re.split(r"[\s,;]+", raw or "")
    domains: list[str] = []
    for item in items:
        domain = str(item).strip().lower().lstrip("@")
        if domain and domain not in domains:
            domains.append(domain)
    bad = [d for d in domains if not DOMAIN.match(d)]
    if bad:
        raise ApplicationError(
            "Some domains are not valid.",
            fields={"provision_domains": [f"Not a domain name: {', '.join(bad[:5])}."]},
        )
    if len(domains) > MAX_DOMAINS:
        raise ApplicationError(
            "Too many domains.",
            fields={"provision_domains": [f"At most {MAX_DOMAINS} domains."]},
        )
    return domains


def sso_settings_update(
    *,
    actor: User,
    organisation: Organisation,
    provision_domains: str | list[str],
    sso_only: bool,
    version: object,
) -> Organisation:
    if not actor.is_org_admin or actor.organisation_id != organisation.pk:
        raise PermissionDenied("Only organisation admins change single sign-on.")
    expected = require_version(version)
    choices = {"provision_domains": clean_domains(provision_domains), "sso_only": bool(sso_only)}
    with transaction.atomic():
        organisation.version = claim_version(
            Organisation,
            pk=organisation.pk,
            version=expected,
            message="Someone changed the single sign-on settings after you opened this page.",
            submitted=choices,
            saved=lambda current: sso.organisation_sso(current),
        )
        current = Organisation.objects.select_for_update().get(pk=organisation.pk)
        organisation.settings = {**(current.settings or {}), "sso": choices}
        organisation.save(update_fields=["settings", "version", "updated_at"])
    return organisation


class SSOSettingsForm(forms.Form):
    provision_domains = forms.CharField(
        label="Add people from these email domains on their first sign-in",
        required=False,
        help_text="For example acme.example, one or more, separated by commas. Leave empty to "
        "let in only people who already have an account.",
    )
    sso_only = forms.BooleanField(
        label="Single sign-on only: switch off passwords for the organisation's people",
        required=False,
        help_text="Operators keep their password, so someone can still get in if the sign-in "
        "service is down.",
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


@login_required
def sso_settings(request: Any) -> HttpResponse:
    """Organisation admins: the organisation's single sign-on choices."""
    org: Organisation | None = request.user.organisation if request.user.is_org_admin else None
    if org is None:
        raise Http404
    current = sso.organisation_sso(org)
    initial = {
        "provision_domains": ", ".join(current["provision_domains"]),
        "sso_only": current["sso_only"],
        "version": org.version,
    }
    form = SSOSettingsForm(request.POST or None, initial=initial)
    conflict = None
    keep = reverse("accounts:sso-settings")
    if request.method == "POST" and form.is_valid():
        try:
            sso_settings_update(actor=request.user, organisation=org, **form.cleaned_data)
        except StaleVersion as exc:
            org.refresh_from_db()
            conflict = conflict_view(
                form, exc, saved=sso.organisation_sso(org), noun="settings", keep_url=keep
            )
        except ApplicationError as exc:
            apply_error(form, exc)
        else:
            messages.success(request, "Single sign-on settings saved.")
            return redirect(keep)
    context = {
        "organisation": org,
        "form": form,
        "conflict": conflict,
        "set_up": sso.configured() and org.slug == settings.OIDC_ORGANISATION,
        "provider_name": settings.OIDC_PROVIDER_NAME,
    }
    status = 409 if conflict else 400 if form.errors else 200
    return render(request, "accounts/sso_settings.html", context, status=status)
