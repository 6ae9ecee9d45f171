"""Forms for creating a retro and editing a team's format."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from learnloop.accounts.models import Team, User
from learnloop.core.validation import id_or_none
from learnloop.debriefs.models import Deliverable
from learnloop.experiments.models import Experiment
from learnloop.retros.models import Anonymity, Retro, RetroFormat


def _ids_or_invalid(field: forms.Field, values: Any) -> None:
    """Refuse ids the database cannot hold before the lookup (a form error, not a 500)."""
    for value in values if isinstance(values, list | tuple) else [values]:
        if value not in field.empty_values and id_or_none(value) is None:
            raise ValidationError(field.error_messages["invalid_choice"], code="invalid_choice")


class IdChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def to_python(self, value: Any) -> Any:
        _ids_or_invalid(self, value)
        return super().to_python(value)


class IdMultipleChoiceField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def clean(self, value: Any) -> Any:
        _ids_or_invalid(self, value)
        return super().clean(value)


class RetroCreateForm(forms.Form):
    team = IdChoiceField(queryset=Team.objects.none())
    title = forms.CharField(max_length=200)
    format = IdChoiceField(queryset=RetroFormat.objects.none(), empty_label=None)
    anonymity = forms.ChoiceField(
        choices=Anonymity.choices,
        initial=Anonymity.NAMED,
        label="Cards",
        help_text="Anonymous cards keep no author and no time; see what is kept below.",
    )
    votes_per_person = forms.IntegerField(min_value=1, max_value=20, initial=3)
    votes_per_topic = forms.IntegerField(
        min_value=1, max_value=20, initial=2, label="Votes per person on one topic"
    )
    participants = IdMultipleChoiceField(
        queryset=User.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    meeting_at = forms.DateTimeField(
        required=False,
        label="Meeting (optional)",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        help_text="Participants get a calendar invitation by email.",
    )

    def __init__(
        self,
        *args: Any,
        teams: list[Team],
        formats: Any,
        people: Any,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = Team.objects.filter(pk__in=[t.pk for t in teams])  # type: ignore[attr-defined]
        self.fields["format"].queryset = formats  # type: ignore[attr-defined]
        self.fields["participants"].queryset = people  # type: ignore[attr-defined]


class RetroSettingsForm(forms.Form):
    """A retro's settings after it exists (the anonymity choice stays as cards were written)."""

    title = forms.CharField(max_length=200)
    facilitator = IdChoiceField(queryset=User.objects.none(), empty_label=None)
    participants = IdMultipleChoiceField(
        queryset=User.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    votes_per_person = forms.IntegerField(min_value=1, max_value=20)
    votes_per_topic = forms.IntegerField(
        min_value=1, max_value=20, label="Votes per person on one topic"
    )
    deliverable = IdChoiceField(
        queryset=Deliverable.objects.none(), required=False, label="About a deliverable"
    )
    experiment = IdChoiceField(
        queryset=Experiment.objects.none(), required=False, label="About an experiment"
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, retro: Retro, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        people = User.objects.filter(memberships__team_id=retro.team_id, is_active=True)
        people = people.order_by("display_name", "email")
        self.fields["facilitator"].queryset = people  # type: ignore[attr-defined]
        self.fields["participants"].queryset = people  # type: ignore[attr-defined]
        self.fields["deliverable"].queryset = Deliverable.objects.filter(  # type: ignore[attr-defined]
            team_id=retro.team_id
        ).order_by("-created_at")
        self.fields["experiment"].queryset = Experiment.objects.filter(  # type: ignore[attr-defined]
            team_id=retro.team_id
        ).order_by("-created_at")


class FormatForm(forms.Form):
    name = forms.CharField(max_length=120)
    description = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    columns = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="One column per line: Title | prompt.",
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def parsed_columns(self) -> list[dict[str, str]]:
        rows = []
        for line in self.cleaned_data["columns"].splitlines():
            if line.strip():
                title, _, prompt = line.partition("|")
                rows.append({"title": title.strip(), "prompt": prompt.strip()})
        return rows


def columns_as_text(columns: list[dict[str, str]]) -> str:
    return "\n".join(f"{c['title']} | {c.get('prompt', '')}" for c in columns)
