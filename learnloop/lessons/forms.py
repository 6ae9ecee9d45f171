from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms

from learnloop.accounts.models import Team
from learnloop.core.models import Visibility
from learnloop.lessons.models import CONTEXT_MAX, STATEMENT_MAX


class LessonForm(forms.Form):
    team = forms.ChoiceField(label="Team")
    statement = forms.CharField(
        label="Lesson",
        max_length=STATEMENT_MAX,
        help_text="One short sentence someone else could act on.",
    )
    context = forms.CharField(
        label="Context",
        required=False,
        max_length=CONTEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Markdown. What happened, where it applies, where it does not.",
    )
    tags = forms.CharField(
        label="Tags", required=False, max_length=1000, help_text="Comma-separated."
    )
    visibility = forms.ChoiceField(label="Who can see it", choices=Visibility.choices)
    source_url = forms.URLField(
        label="Source link", required=False, max_length=500, assume_scheme="https"
    )
    source_label = forms.CharField(label="Source name", required=False, max_length=200)
    # Editing only: the version the form was made from; a stale one is refused (0014).
    version = forms.IntegerField(widget=forms.HiddenInput(), min_value=1)

    def __init__(
        self, *args: Any, teams: Iterable[Team] = (), editing: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["team"].choices = [(str(t.pk), t.name) for t in teams]
        if editing:
            del self.fields["team"]
        else:
            del self.fields["version"]
