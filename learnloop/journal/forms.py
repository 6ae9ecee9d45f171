from __future__ import annotations

from typing import Any

from django import forms

from learnloop.journal.frameworks import NAME_MAX
from learnloop.journal.models import ANSWER_MAX, TITLE_MAX

WEEKDAYS = [
    ("", "No reminder"),
    ("0", "Monday"),
    ("1", "Tuesday"),
    ("2", "Wednesday"),
    ("3", "Thursday"),
    ("4", "Friday"),
    ("5", "Saturday"),
    ("6", "Sunday"),
]


class EntryForm(forms.Form):
    """Title, one textarea per prompt of the framework (``answer_<key>``), tags and a link."""

    title = forms.CharField(
        label="Title",
        required=False,
        max_length=TITLE_MAX,
        help_text="Only you see this entry. Empty: the start of your first answer.",
    )
    tags = forms.CharField(
        label="Tags", required=False, max_length=1000, help_text="Comma-separated; only yours."
    )
    link = forms.ChoiceField(label="About", required=False)
    version = forms.IntegerField(widget=forms.HiddenInput(), min_value=1)

    def __init__(
        self,
        *args: Any,
        prompts: list[dict[str, str]],
        link_choices: list[tuple[str, str]],
        editing: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.prompts = prompts
        for prompt in prompts:
            self.fields[f"answer_{prompt['key']}"] = forms.CharField(
                label=prompt["label"],
                required=False,
                max_length=ANSWER_MAX,
                help_text=prompt.get("help", ""),
                widget=forms.Textarea(attrs={"rows": 4}),
            )
        link_field = self.fields["link"]
        assert isinstance(link_field, forms.ChoiceField)
        link_field.choices = [("", "Nothing in particular"), *link_choices]
        self.order_fields(["title", *(f"answer_{p['key']}" for p in prompts), "tags", "link"])
        if not editing:
            del self.fields["version"]

    def answers(self) -> dict[str, str]:
        return {p["key"]: self.cleaned_data.get(f"answer_{p['key']}", "") for p in self.prompts}

    def answer_fields(self) -> list[forms.BoundField]:
        return [self[f"answer_{p['key']}"] for p in self.prompts]


class FrameworkForm(forms.Form):
    name = forms.CharField(label="Name", max_length=NAME_MAX)
    description = forms.CharField(label="Description", required=False, max_length=300)
    prompts = forms.CharField(
        label="Prompts",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="One question per line; optionally “Question | help text”.",
    )
    for_organisation = forms.BooleanField(
        label="Offer it to everyone in the organisation", required=False
    )


class ReminderForm(forms.Form):
    weekday = forms.ChoiceField(label="Remind me weekly on", choices=WEEKDAYS, required=False)


class ShareForm(forms.Form):
    statement = forms.CharField(
        label="The learning",
        max_length=300,
        help_text="One short sentence someone else could act on.",
    )
    context = forms.CharField(
        label="Context",
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="Markdown. Edit out anything you want to keep to yourself.",
    )
    team = forms.ChoiceField(label="Team")
    visibility = forms.ChoiceField(label="Who can see it")
    tags = forms.CharField(
        label="Tags", required=False, max_length=1000, help_text="Comma-separated."
    )
    anonymous = forms.BooleanField(
        label="Share anonymously",
        required=False,
        help_text="No name, only the date; nothing links the lesson to you or to this entry.",
    )

    def __init__(self, *args: Any, teams: list[Any], **kwargs: Any) -> None:
        from learnloop.core.models import Visibility

        super().__init__(*args, **kwargs)
        team_field = self.fields["team"]
        visibility_field = self.fields["visibility"]
        assert isinstance(team_field, forms.ChoiceField)
        assert isinstance(visibility_field, forms.ChoiceField)
        team_field.choices = [(str(t.pk), t.name) for t in teams]
        visibility_field.choices = Visibility.choices
