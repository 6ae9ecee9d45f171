"""Forms for actions. They only shape input; the rules live in actions.services."""

from __future__ import annotations

from typing import Any

from django import forms

from learnloop.accounts.models import Team, User
from learnloop.actions.models import Action
from learnloop.core.models import Visibility


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


class ActionForm(forms.Form):
    title = forms.CharField(max_length=200, help_text="What will be done, in a few words.")
    owner = forms.ModelChoiceField(
        queryset=User.objects.none(), required=False, empty_label="No owner yet"
    )
    due_date = forms.DateField(required=False, widget=DateInput(), label="Due date")
    kind = forms.ChoiceField(choices=Action.Kind.choices, initial=Action.Kind.PREVENT)
    external_url = forms.CharField(
        max_length=500,
        required=False,
        label="Link to an external tracker",
        help_text="Optional, e.g. the ticket in your issue tracker (http:// or https://).",
        widget=forms.URLInput(),
    )
    description = forms.CharField(
        max_length=10000, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    visibility = forms.ChoiceField(choices=Visibility.choices, required=False)

    def __init__(self, *args: Any, teams: list[Team], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = (
            User.objects.filter(memberships__team__in=teams, is_active=True)
            .distinct()
            .order_by("display_name", "email")
        )
        self.fields["owner"].label_from_instance = lambda u: u.name


class ActionCreateForm(ActionForm):
    team = forms.ModelChoiceField(queryset=Team.objects.none(), empty_label=None)
    incident = forms.IntegerField(required=False, widget=forms.HiddenInput())
    review = forms.IntegerField(required=False, widget=forms.HiddenInput())
    next = forms.CharField(required=False, widget=forms.HiddenInput())

    field_order = ["team", "title", "owner", "due_date", "kind", "external_url", "description"]

    def __init__(self, *args: Any, teams: list[Team], **kwargs: Any) -> None:
        super().__init__(*args, teams=teams, **kwargs)
        self.fields["team"].queryset = Team.objects.filter(pk__in=[t.pk for t in teams])
        self.fields[
            "visibility"
        ].help_text = "Leave empty to follow the incident or review (team only otherwise)."
        self.fields["visibility"].choices = [("", "Same as the incident or review")] + list(
            Visibility.choices
        )


class ActionEditForm(ActionForm):
    status = forms.ChoiceField(choices=Action.Status.choices)
    version = forms.IntegerField(widget=forms.HiddenInput())

    field_order = ["title", "status", "owner", "due_date", "kind", "external_url", "description"]


class FilterForm(forms.Form):
    STATUS_CHOICES = [
        ("open", "Open or in progress"),
        ("overdue", "Overdue"),
        ("done", "Done"),
        ("wont_do", "Won't do"),
        ("all", "All"),
    ]
    status = forms.ChoiceField(choices=STATUS_CHOICES, required=False)
    kind = forms.ChoiceField(choices=[("", "Any kind"), *Action.Kind.choices], required=False)
    owner = forms.ChoiceField(required=False)

    def __init__(self, *args: Any, team: Team | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        people = []
        if team is not None:
            people = [
                (str(u.pk), u.name)
                for u in User.objects.filter(memberships__team=team).order_by(
                    "display_name", "email"
                )
            ]
        self.fields["owner"].choices = [("", "Anyone"), ("me", "Me"), ("none", "No owner")] + people
