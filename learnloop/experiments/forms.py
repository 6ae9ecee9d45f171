"""Forms for experiments. They only shape input; the rules live in the services."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms

from learnloop.accounts.models import Team, User
from learnloop.core.models import Visibility
from learnloop.core.validation import id_or_none
from learnloop.experiments.models import ApprovalMode, Decision, Kind, Phase, Win

_TEXT = {"rows": 2}


if TYPE_CHECKING:
    _People = forms.ModelMultipleChoiceField[User]
else:
    _People = forms.ModelMultipleChoiceField


class PeopleField(_People):
    """People by id; a value that cannot be an id is "invalid", never a database overflow."""

    def clean(self, value: Any) -> Any:
        for pk in value or []:
            if id_or_none(pk) is None:
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super().clean(value)


class CardForm(forms.Form):
    title = forms.CharField(max_length=200)
    hypothesis = forms.CharField(
        required=False, label="We believe that …", widget=forms.Textarea(attrs=_TEXT)
    )
    test = forms.CharField(
        required=False, label="To verify that, we will …", widget=forms.Textarea(attrs=_TEXT)
    )
    metric = forms.CharField(
        required=False, label="And measure …", widget=forms.Textarea(attrs=_TEXT)
    )
    success_criterion = forms.CharField(
        required=False,
        label="We are right if …",
        help_text="Set before the test runs.",
        widget=forms.Textarea(attrs=_TEXT),
    )
    riskiest_assumption = forms.CharField(
        required=False, label="Riskiest assumption", widget=forms.Textarea(attrs=_TEXT)
    )
    budget = forms.CharField(required=False, label="Budget (cost)", initial="0")
    expected_saving = forms.CharField(
        required=False, label="Expected saving", help_text="For an efficiency change."
    )
    time_box_days = forms.CharField(required=False, label="Time box (days)", initial="0")
    person_days = forms.CharField(required=False, label="Person-days", initial="0")
    owner = forms.ModelChoiceField(queryset=User.objects.none(), required=False)
    participants = PeopleField(queryset=User.objects.none(), required=False)
    phase = forms.ChoiceField(choices=Phase.choices)
    visibility = forms.ChoiceField(choices=Visibility.choices, initial=Visibility.TEAM)

    def __init__(self, *args: Any, teams: list[Team], currency: str = "EUR", **kwargs: Any):
        super().__init__(*args, **kwargs)
        people = (
            User.objects.filter(memberships__team__in=teams, is_active=True)
            .distinct()
            .order_by("display_name", "email")
        )
        for name in ("owner", "participants"):
            field: Any = self.fields[name]
            field.queryset = people
            field.label_from_instance = lambda u: u.name
        self.fields["budget"].label = f"Budget or cost ({currency})"
        self.fields["expected_saving"].label = f"Expected saving ({currency})"


class CardCreateForm(CardForm):
    team = forms.ModelChoiceField(queryset=Team.objects.none(), empty_label=None)
    kind = forms.ChoiceField(choices=Kind.choices, initial=Kind.EXPERIMENT)

    field_order = ["team", "kind", "title"]

    def __init__(self, *args: Any, teams: list[Team], **kwargs: Any):
        super().__init__(*args, teams=teams, **kwargs)
        team_field: Any = self.fields["team"]
        team_field.queryset = Team.objects.filter(pk__in=[t.pk for t in teams])


class CardEditForm(CardForm):
    version = forms.IntegerField(widget=forms.HiddenInput())


class DecideForm(forms.Form):
    note = forms.CharField(
        required=False, label="Note or reason", widget=forms.Textarea(attrs={"rows": 2})
    )


class MoveForm(forms.Form):
    budget = forms.CharField(required=False, label="Budget for the next phase")
    person_days = forms.CharField(required=False, label="Person-days for the next phase")


class LearningCardForm(forms.Form):
    observed = forms.CharField(label="We observed …", widget=forms.Textarea(attrs={"rows": 3}))
    learned = forms.CharField(
        label="From that we learned …",
        help_text="One learning per line; each can become a library lesson.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    evidence = forms.CharField(
        required=False,
        label="The data",
        help_text="Links and numbers.",
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    decision = forms.ChoiceField(
        choices=Decision.choices,
        widget=forms.RadioSelect,
        help_text="Stopping or pivoting on data is a win, never a failure.",
    )


class PhaseRuleForm(forms.Form):
    budget_limit = forms.CharField(required=False, help_text="Empty: no limit.")
    approval = forms.ChoiceField(choices=ApprovalMode.choices)
    required_approvals = forms.CharField(initial="1", label="N (for formal approval)")
    approvers = PeopleField(queryset=User.objects.none(), required=False, label="Named approvers")
    allow_self_approval = forms.BooleanField(
        required=False, label="People may approve their own proposals"
    )
    win = forms.ChoiceField(choices=Win.choices, label="What counts as a win")
    time_target_pct = forms.CharField(
        required=False,
        label="Target share of the team's time (%)",
        help_text="For the portfolio; empty: no target.",
    )
    budget_target_pct = forms.CharField(
        required=False, label="Target share of the team's budget (%)"
    )
    version = forms.IntegerField(widget=forms.HiddenInput())

    def __init__(self, *args: Any, team: Team, **kwargs: Any):
        super().__init__(*args, **kwargs)
        field: Any = self.fields["approvers"]
        field.queryset = User.objects.filter(memberships__team=team, is_active=True).order_by(
            "display_name", "email"
        )
        field.label_from_instance = lambda u: u.name
