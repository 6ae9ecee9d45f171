"""Forms for the quick report, editing and the severity scale. They only shape input: the
rules (times in order, known team, sizes) live in services and come back via apply_error."""

from __future__ import annotations

from typing import Any

from django import forms

from learnloop.core.models import Visibility
from learnloop.incidents.models import Kind
from learnloop.incidents.services import TIME_FIELDS, severity_scale

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format=DATETIME_FORMAT, **kwargs)


def _time_field(label: str) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        required=False,
        widget=DateTimeLocalInput(),
        input_formats=[DATETIME_FORMAT, "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"],
    )


class IncidentForm(forms.Form):
    title = forms.CharField(max_length=200, help_text="A few words: what went wrong?")
    description = forms.CharField(
        label="What happened",
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Markdown is fine. Describe conditions and events, not culprits.",
    )
    team = forms.ChoiceField(required=False)
    kind = forms.ChoiceField(choices=Kind.choices, initial=Kind.SERVICE_INCIDENT)
    severity = forms.ChoiceField(required=False)
    tags = forms.CharField(
        required=False, max_length=1000, help_text="Comma-separated, e.g. “database, deploy”."
    )
    started_at = _time_field("Started")
    detected_at = _time_field("Detected")
    acknowledged_at = _time_field("Acknowledged")
    resolved_at = _time_field("Resolved")
    visibility = forms.ChoiceField(
        choices=Visibility.choices,
        initial=Visibility.TEAM,
        help_text="“Team only”: members of the team. “Whole organisation”: everyone here.",
    )
    anonymous = forms.BooleanField(
        label="Report anonymously",
        required=False,
        widget=forms.CheckboxInput(attrs={"aria-describedby": "anonymous-explainer"}),
    )
    # Editing only: the version the form was made from; a stale one is refused (0014).
    version = forms.IntegerField(widget=forms.HiddenInput(), min_value=1)

    # Folded under "More details". The anonymous option is not: it stays in view next to
    # "Send report" with its explanation (issue 11, item 5).
    detail_fields = ["kind", "severity", "tags", *TIME_FIELDS, "visibility"]

    def __init__(self, *args: Any, teams: list, organisation: Any, editing: bool = False,
                 **kwargs: Any) -> None:  # fmt: skip
        super().__init__(*args, **kwargs)
        self.fields["team"].choices = [("", "Choose a team…")] if len(teams) != 1 else []
        self.fields["team"].choices += [(t.slug, t.name) for t in teams]
        if len(teams) == 1:
            self.fields["team"].initial = teams[0].slug
        self.fields["severity"].choices = [("", "Not set")] + [
            (item["key"], item["label"]) for item in severity_scale(organisation)
        ]
        if editing:
            del self.fields["team"]
            del self.fields["anonymous"]
        else:
            del self.fields["version"]

    @property
    def details_have_errors(self) -> bool:
        return any(name in self.errors for name in self.detail_fields)

    @property
    def detail_bound_fields(self) -> list:
        return [self[name] for name in self.detail_fields if name in self.fields]


class SeverityScaleForm(forms.Form):
    scale = forms.CharField(
        label="Severity scale",
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=2000,
        help_text="One severity per line, most severe first: key | label, "
        "e.g. “sev1 | SEV1 · critical”.",
    )

    def parsed(self) -> list[dict[str, str]]:
        out = []
        for line in self.cleaned_data["scale"].splitlines():
            if not line.strip():
                continue
            key, _, label = line.partition("|")
            out.append({"key": key.strip(), "label": label.strip()})
        return out

    @staticmethod
    def initial_text(scale: list[dict[str, str]]) -> str:
        return "\n".join(f"{item['key']} | {item['label']}" for item in scale)
