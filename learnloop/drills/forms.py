from __future__ import annotations

from typing import Any

from django import forms

from learnloop.core.models import Visibility
from learnloop.drills.aar import AFTER_ACTION_TEMPLATE
from learnloop.drills.models import TEXT_MAX, CampaignKind, DrillKind, DrillStatus


def _choices(form: forms.Form, name: str, choices: list[tuple[str, str]]) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    field.choices = choices


class DrillForm(forms.Form):
    team = forms.ChoiceField(label="Team")
    title = forms.CharField(label="Name", max_length=200)
    kind = forms.ChoiceField(label="Kind", choices=DrillKind.choices)
    planned_for = forms.DateField(
        label="Planned for", widget=forms.DateInput(attrs={"type": "date"})
    )
    scenario = forms.CharField(
        label="Scenario",
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Markdown. For unannounced tests, keep this for the facilitators.",
    )
    facilitator = forms.ChoiceField(label="Facilitator", required=False)
    participants = forms.MultipleChoiceField(
        label="Participants", required=False, widget=forms.CheckboxSelectMultiple
    )
    status = forms.ChoiceField(label="Status", choices=DrillStatus.choices)
    what_happened = forms.CharField(
        label="What happened",
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    visibility = forms.ChoiceField(label="Who can see it", choices=Visibility.choices)
    version = forms.IntegerField(widget=forms.HiddenInput(), min_value=1)

    def __init__(
        self, *args: Any, teams: list[Any], people: list[Any], editing: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "team", [(str(t.pk), t.name) for t in teams])
        names = [(str(p.pk), p.name) for p in people]
        _choices(self, "facilitator", [("", "—"), *names])
        _choices(self, "participants", names)
        if editing:
            del self.fields["team"]
        else:
            for name in ("version", "status", "what_happened"):
                del self.fields[name]


class AfterActionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput(), min_value=1)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for prompt in AFTER_ACTION_TEMPLATE:
            self.fields[f"aar_{prompt['key']}"] = forms.CharField(
                label=prompt["label"],
                required=False,
                max_length=TEXT_MAX,
                widget=forms.Textarea(attrs={"rows": 3}),
            )

    def answers(self) -> dict[str, str]:
        return {p["key"]: self.cleaned_data[f"aar_{p['key']}"] for p in AFTER_ACTION_TEMPLATE}


class CampaignForm(forms.Form):
    """Counts only: there is no field for a name or an address."""

    name = forms.CharField(label="Campaign", max_length=200)
    kind = forms.ChoiceField(label="Kind", choices=CampaignKind.choices)
    ran_on = forms.DateField(label="Sent on", widget=forms.DateInput(attrs={"type": "date"}))
    sent = forms.IntegerField(label="People it went to", required=False)
    reported = forms.IntegerField(label="Reported it")
    clicked = forms.IntegerField(label="Clicked or answered (without reporting)")
    ignored = forms.IntegerField(label="Ignored it")
    minutes_to_first_report = forms.IntegerField(
        label="Minutes to the first report", required=False
    )
    visibility = forms.ChoiceField(label="Who can see the results", choices=Visibility.choices)


class CampaignImportForm(forms.Form):
    file = forms.FileField(
        label="CSV file",
        help_text="Columns: name,date,reported,clicked,ignored and optionally kind,sent,"
        "minutes_to_first_report. Counts only.",
    )
    visibility = forms.ChoiceField(label="Who can see the results", choices=Visibility.choices)


class PledgeForm(forms.Form):
    """A new version of the pledge's words; ``version`` is the one the writer read (empty for
    the first version)."""

    text = forms.CharField(
        label="Commitment",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=(
            "Say what people will not be punished for, and the exceptions (deliberate harm, "
            "recklessness)."
        ),
    )
    version = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput())
