"""Forms for deliverables and entries. They only shape input; the rules live in services."""

from __future__ import annotations

from typing import Any

from django import forms

from learnloop.accounts.models import Team, User
from learnloop.core.models import Visibility
from learnloop.debriefs.models import DESCRIPTION_MAX, ENTRY_MAX, TITLE_MAX, URL_MAX, EntryKind


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


class DeliverableForm(forms.Form):
    title = forms.CharField(max_length=TITLE_MAX, help_text="The project, card or milestone.")
    description = forms.CharField(
        max_length=DESCRIPTION_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "data-coach": "1"}),
        help_text="What it delivers and why. Markdown.",
    )
    owner = forms.ModelChoiceField(queryset=User.objects.none(), required=False, empty_label="Me")
    collaborators = forms.ModelMultipleChoiceField(
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="The people on it: they write its debrief log.",
    )
    start_date = forms.DateField(required=False, widget=DateInput())
    target_date = forms.DateField(required=False, widget=DateInput())
    external_url = forms.CharField(
        max_length=URL_MAX,
        required=False,
        label="External link",
        help_text="Optional: the Asana, Jira, Linear or GitHub page (http:// or https://).",
        widget=forms.URLInput(),
    )
    visibility = forms.ChoiceField(choices=Visibility.choices, initial=Visibility.TEAM)

    def __init__(self, *args: Any, teams: list[Team], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        people = (
            User.objects.filter(memberships__team__in=teams, is_active=True)
            .distinct()
            .order_by("display_name", "email")
        )
        for name in ("owner", "collaborators"):
            field = self.fields[name]
            field.queryset = people  # type: ignore[attr-defined]
            field.label_from_instance = lambda u: u.name  # type: ignore[attr-defined]


class DeliverableCreateForm(DeliverableForm):
    team = forms.ModelChoiceField(queryset=Team.objects.none(), empty_label=None)
    field_order = ["team", "title", "description", "owner", "collaborators"]

    def __init__(self, *args: Any, teams: list[Team], **kwargs: Any) -> None:
        super().__init__(*args, teams=teams, **kwargs)
        self.fields["team"].queryset = Team.objects.filter(  # type: ignore[attr-defined]
            pk__in=[t.pk for t in teams]
        ).order_by("name")


class DeliverableEditForm(DeliverableForm):
    version = forms.IntegerField(widget=forms.HiddenInput())

    def __init__(self, *args: Any, teams: list[Team], **kwargs: Any) -> None:
        super().__init__(*args, teams=teams, **kwargs)
        self.fields["owner"].empty_label = "No owner"  # type: ignore[attr-defined]


class EntryForm(forms.Form):
    kind = forms.ChoiceField(choices=EntryKind.choices, widget=forms.RadioSelect)
    text = forms.CharField(
        max_length=ENTRY_MAX,
        widget=forms.Textarea(attrs={"rows": 3, "data-coach": "1"}),
        help_text="Short, about conditions and systems. Markdown.",
    )
    link = forms.CharField(
        max_length=URL_MAX,
        required=False,
        widget=forms.URLInput(),
        help_text="Optional: a pull request, document or ticket.",
    )


class EntryEditForm(EntryForm):
    version = forms.IntegerField(widget=forms.HiddenInput())
