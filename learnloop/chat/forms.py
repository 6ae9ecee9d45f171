"""Forms for the Slack settings; the rules live in chat.services."""

from __future__ import annotations

from typing import Any

from django import forms

from learnloop.accounts.models import Team


class WorkspaceForm(forms.Form):
    slack_team_id = forms.CharField(
        max_length=32,
        label="Slack workspace id",
        help_text="Starts with T; in Slack: workspace menu › Settings › About this workspace.",
    )
    signing_secret = forms.CharField(
        max_length=200,
        required=False,
        label="Signing secret",
        help_text="From the Slack app's Basic Information page. Leave empty to keep the saved one.",
        widget=forms.PasswordInput(render_value=False),
    )
    default_team = forms.ModelChoiceField(
        queryset=Team.objects.none(),
        required=False,
        label="Default team",
        help_text="For reports by people in several teams who name none (if they are members).",
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, organisation_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["default_team"]
        field.queryset = Team.objects.filter(  # type: ignore[attr-defined]
            organisation_id=organisation_id
        ).order_by("name")
