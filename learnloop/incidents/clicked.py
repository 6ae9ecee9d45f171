""" "I might have clicked something": the one-tap security-event report (issue 15).

It is a quick report (``incidents.services.incident_create``) of kind "security event", from a
page reachable from every page's footer and from every drill page, anonymous if the person
wants. Both the form and its thank-you page are left out of the access log and the thank-you
page has no id, for named and anonymous reports alike (decisions/0010), so the landing says
nothing about which report it was."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from learnloop.accounts.http import AuthedHttpRequest
from learnloop.accounts.models import Team
from learnloop.core.accesslog import not_in_access_log
from learnloop.core.errors import ApplicationError
from learnloop.core.forms import apply_error
from learnloop.incidents import services
from learnloop.incidents.models import Kind

TITLE = "I might have clicked something"
DEFAULT_DESCRIPTION = (
    "I may have clicked a link, opened an attachment or answered a call I should not have."
)


class ClickedForm(forms.Form):
    description = forms.CharField(
        label="Anything that helps (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What it looked like, when, what you did. No need to be sure.",
    )
    team = forms.ChoiceField(label="Team")
    anonymous = forms.BooleanField(label="Report anonymously", required=False)

    def __init__(self, *args: Any, teams: list[Team], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["team"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(t.slug, t.name) for t in teams]


@login_required
@never_cache
@not_in_access_log
def clicked(request: AuthedHttpRequest) -> HttpResponse:
    teams = services.reporting_teams(request.user)
    form = ClickedForm(
        request.POST or None, teams=list(teams), initial={"team": teams[0].slug if teams else ""}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.incident_create(
                actor=request.user,
                title=TITLE,
                description=data["description"].strip() or DEFAULT_DESCRIPTION,
                team=data["team"],
                kind=Kind.SECURITY_EVENT,
                anonymous=data["anonymous"],
            )
        except ApplicationError as exc:
            apply_error(form, exc)
        else:
            return redirect("incidents:clicked-thanks")
    return render(
        request,
        "incidents/clicked.html",
        {"form": form, "teams": teams},
        status=400 if form.errors else 200,
    )


@login_required
@not_in_access_log
def clicked_thanks(request: AuthedHttpRequest) -> HttpResponse:
    return render(request, "incidents/clicked_thanks.html")
