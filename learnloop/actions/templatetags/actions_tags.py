"""Template helpers for pages of other apps that show actions (e.g. the incident page)."""

from __future__ import annotations

from typing import Any

from django import template

from learnloop.accounts.visibility import team_ids_of
from learnloop.actions.selectors import actions_for_incident
from learnloop.incidents.models import Incident

register = template.Library()

#: The incident page's actions panel: link, title, status, owner's name, due date (overdue).
PANEL_FIELDS = (
    "pk",
    "title",
    "status",
    "due_date",
    "owner__display_name",
    "owner__first_name",
    "owner__last_name",
    "owner__email",
)


@register.simple_tag(takes_context=True)
def incident_actions(context: template.Context, incident: Incident) -> dict[str, Any]:
    """The incident's actions visible to the viewer, and whether they may add one."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or incident is None:
        return {"actions": [], "can_add": False}
    return {
        # Only what the panel shows; no team rows (decision 0077).
        "actions": list(
            actions_for_incident(user=user, incident=incident)
            .prefetch_related(None)
            .only(*PANEL_FIELDS)
        ),
        "can_add": incident.team_id in team_ids_of(user),
    }
