"""Forms for webhook endpoints; the rules live in webhooks.services."""

from __future__ import annotations

from typing import Any

from django import forms

from learnloop.accounts.models import Team
from learnloop.webhooks.catalogue import choices

ORGANISATION = "organisation"


class EndpointForm(forms.Form):
    url = forms.CharField(
        max_length=500,
        label="Address (URL)",
        help_text="Messages are POSTed here as JSON, signed per Standard Webhooks.",
        widget=forms.URLInput(),
    )
    description = forms.CharField(max_length=120, required=False)
    events = forms.MultipleChoiceField(
        choices=choices, widget=forms.CheckboxSelectMultiple, label="Events"
    )


class EndpointCreateForm(EndpointForm):
    scope = forms.ChoiceField(label="For", choices=[])

    field_order = ["scope", "url", "description", "events"]

    def __init__(self, *args: Any, teams: list[Team], org_admin: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        options = [(t.slug, f"Team {t.name}: every event of the team") for t in teams]
        if org_admin:
            options.append(
                (ORGANISATION, "The organisation: organisation-visible events of every team")
            )
        self.fields["scope"].choices = options  # type: ignore[attr-defined]


class EndpointEditForm(EndpointForm):
    is_active = forms.BooleanField(required=False, label="On (messages are sent)")
    version = forms.IntegerField(widget=forms.HiddenInput)
