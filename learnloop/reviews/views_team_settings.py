"""The team settings page (``/teams/<slug>/settings/``): team admins edit the 24-hour rule's
numbers, the cooling-off period, the reminder lead time and the default template (decision
0111). Members of the team may read it; anyone else gets a 404."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from learnloop.accounts.http import AuthedHttpRequest
from learnloop.accounts.models import Team
from learnloop.accounts.visibility import can_manage_team, team_ids_of, teams_visible_to
from learnloop.core.errors import ApplicationError
from learnloop.core.forms import apply_error, conflict_view
from learnloop.core.versioning import StaleVersion
from learnloop.reviews.team_settings import (
    NUMBERS,
    team_settings,
    team_settings_update,
    template_choices,
)

HELP = {
    "cooling_off_hours": "How long after the setback a 24-hour learning review opens for "
    "writing (0 for at once).",
    "min_learnings": "Specific learnings a 24-hour learning review needs before it is published.",
    "min_next_steps": "Next steps (each becomes an action) it needs before it is published.",
    "reminder_days_before": "How many days before an action is due its owner is reminded.",
}


class TeamSettingsForm(forms.Form):
    """Bounds are checked by the service (one place); the inputs carry them for the browser."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    default_template = forms.ChoiceField(
        label="Default review template",
        required=False,
        help_text="Preselected when someone starts a review for this team.",
    )

    def __init__(self, *args: Any, team: Team, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, (label, low, high) in NUMBERS.items():
            self.fields[name] = forms.CharField(
                label=label,
                required=False,  # the service says what is wrong, once
                help_text=f"{HELP[name]} From {low} to {high}.",
                widget=forms.NumberInput(attrs={"min": low, "max": high, "step": 1}),
            )
        default_template = self.fields["default_template"]
        assert isinstance(default_template, forms.ChoiceField)
        default_template.choices = template_choices(team)
        self.order_fields([*NUMBERS, "default_template", "version"])


@login_required
def team_settings_page(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    team = get_object_or_404(teams_visible_to(request.user), slug=slug)
    manager = can_manage_team(request.user, team)
    if not manager and team.pk not in team_ids_of(request.user):
        raise Http404
    saved = team_settings(team)
    initial = {k: ("" if v is None else v) for k, v in saved.items()}
    form = TeamSettingsForm(request.POST or None, initial=initial, team=team)
    conflict = None
    if request.method == "POST":
        if not manager:
            raise Http404
        try:
            team_settings_update(actor=request.user, team=team, values=request.POST)
        except StaleVersion as exc:
            team.refresh_from_db()
            current = {k: ("" if v is None else v) for k, v in team_settings(team).items()}
            keep = reverse("team-settings", args=[team.slug])
            conflict = conflict_view(
                form, exc, saved=current, noun="team’s settings", keep_url=keep
            )
        except ApplicationError as exc:
            form.is_valid()
            apply_error(form, exc)
        else:
            messages.success(request, f"Settings of {team.name} saved.")
            return redirect("team-settings", slug=team.slug)
    status = 409 if conflict else 400 if form.errors else 200
    context = {"team": team, "form": form, "manager": manager, "conflict": conflict}
    return render(request, "reviews/team_settings.html", context, status=status)
