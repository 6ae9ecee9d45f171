"""Forms for creating a retro and editing a team's format."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from learnloop.accounts.models import Team, User
from learnloop.core.validation import id_or_none
from learnloop.retros.models import LINK_KINDS, Anonymity, Retro, RetroFormat, link_model


def _ids_or_invalid(field: forms.Field, values: Any, *, signed: bool = False) -> None:
    """Refuse ids the database cannot hold before the lookup (a form error, not a 500)."""
    for value in values if isinstance(values, list | tuple) else [values]:
        if value not in field.empty_values and id_or_none(value, signed=signed) is None:
            raise ValidationError(field.error_messages["invalid_choice"], code="invalid_choice")


class IdChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    #: Incident ids may be negative (anonymous reports: incidents/models.py).
    signed = False

    def to_python(self, value: Any) -> Any:
        _ids_or_invalid(self, value, signed=self.signed)
        return super().to_python(value)


class SignedIdChoiceField(IdChoiceField):
    signed = True


class IdMultipleChoiceField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def clean(self, value: Any) -> Any:
        _ids_or_invalid(self, value)
        return super().clean(value)


# A link menu lists this many of the most recent objects per kind (a team may have imported
# thousands of incidents); any of the person's teams' objects is still accepted by id.
LINK_CHOICES_MAX = 100
LINK_LABELS = {
    "deliverable": "About a deliverable",
    "experiment": "About an experiment",
    "incident": "About an incident",
}


def _link_field(kind: str) -> IdChoiceField:
    field_class = SignedIdChoiceField if kind == "incident" else IdChoiceField
    return field_class(
        queryset=link_model(kind).objects.none(), required=False, label=LINK_LABELS[kind]
    )


def set_link_choices(form: forms.Form, team_ids: list[int], *, by_team: bool) -> None:
    """Point the deliverable, experiment and incident menus at the teams' objects, newest
    first; with ``by_team`` the menu groups them under each team's name."""
    for kind in LINK_KINDS:
        field: Any = form.fields[kind]
        queryset = link_model(kind).objects.filter(team_id__in=team_ids).select_related("team")
        field.queryset = queryset.order_by("-created_at", "-id")
        shown = list(field.queryset[:LINK_CHOICES_MAX])
        # The linked object (or the one just chosen) stays on the menu even when older, so
        # that saving the form again never unlinks it by accident.
        signed = field.signed
        wanted = {
            id_or_none(form.initial.get(kind), signed=signed),
            id_or_none(form.data.get(kind), signed=signed),
        }
        wanted -= {None, *(o.pk for o in shown)}
        if wanted:
            shown += list(field.queryset.filter(pk__in=wanted))
        if not by_team:
            field.choices = [("", "---------"), *((o.pk, o.title) for o in shown)]
            continue
        groups: dict[str, list[tuple[int, str]]] = {}
        for obj in shown:
            groups.setdefault(obj.team.name, []).append((obj.pk, obj.title))
        field.choices = [("", "---------"), *sorted(groups.items())]


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
    deliverable = _link_field("deliverable")
    experiment = _link_field("experiment")
    incident = _link_field("incident")

    def __init__(
        self,
        *args: Any,
        teams: list[Team],
        formats: Any,
        people: Any,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        team_ids = [t.pk for t in teams]
        self.fields["team"].queryset = Team.objects.filter(pk__in=team_ids)  # type: ignore[attr-defined]
        self.fields["format"].queryset = formats  # type: ignore[attr-defined]
        self.fields["participants"].queryset = people  # type: ignore[attr-defined]
        set_link_choices(self, team_ids, by_team=len(team_ids) > 1)


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
    deliverable = _link_field("deliverable")
    experiment = _link_field("experiment")
    incident = _link_field("incident")
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, retro: Retro, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        people = User.objects.filter(memberships__team_id=retro.team_id, is_active=True)
        people = people.order_by("display_name", "email")
        self.fields["facilitator"].queryset = people  # type: ignore[attr-defined]
        self.fields["participants"].queryset = people  # type: ignore[attr-defined]
        set_link_choices(self, [retro.team_id], by_team=False)


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
