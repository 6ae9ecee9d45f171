"""Template helpers for pages of other apps that show actions (e.g. the incident page)."""

from __future__ import annotations

from typing import Any

from django import template

from learnloop.accounts.visibility import team_ids_of
from learnloop.actions.selectors import incident_panel
from learnloop.incidents.models import Incident

register = template.Library()


@register.simple_tag(takes_context=True)
def incident_actions(context: template.Context, incident: Incident) -> dict[str, Any]:
    """The incident's actions visible to the viewer, and whether they may add one."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or incident is None:
        return {"actions": [], "can_add": False}
    return {
        "actions": incident_panel(user=user, incident_id=incident.pk),
        "can_add": incident.team_id in team_ids_of(user),
    }
