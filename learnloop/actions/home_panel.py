"""The home page panel "Your open actions" (only when there are any)."""

from __future__ import annotations

from django.http import HttpRequest
from django.template.loader import render_to_string

from learnloop.actions.selectors import actions_for_person
from learnloop.web.home_panels import register

PANEL_SIZE = 5


@register(30)
def your_open_actions(request: HttpRequest) -> str:
    if not request.user.is_authenticated:
        return ""
    actions = list(actions_for_person(user=request.user)[: PANEL_SIZE + 1])
    if not actions:
        return ""
    return render_to_string(
        "actions/_home_panel.html",
        {"actions": actions[:PANEL_SIZE], "more": len(actions) > PANEL_SIZE},
        request=request,
    )
