"""Template helpers for pages of other apps that show actions (e.g. the incident page)."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse

from learnloop.accounts.models import User
from learnloop.accounts.visibility import sees, team_ids_of
from learnloop.actions.models import Action
from learnloop.incidents.models import Incident

register = template.Library()

#: The incident page's actions panel: link, title, status, owner's name, due date (overdue),
#: and what the visibility rule reads.
PANEL_COLUMNS = (
    "pk",
    "title",
    "status",
    "due_date",
    "owner_id",
    "owner__display_name",
    "owner__first_name",
    "owner__last_name",
    "owner__email",
    "team__organisation_id",
    "team_id",
    "visibility",
)


@register.simple_tag(takes_context=True)
def incident_actions(context: template.Context, incident: Incident) -> dict[str, Any]:
    """The incident's actions visible to the viewer, and whether they may add one."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or incident is None:
        return {"actions": [], "can_add": False}
    # Only what the panel shows, read as values by the incident's index and checked with the
    # visibility rule per row (``sees``) instead of filtered by its subquery; no team or
    # owner objects (decisions 0077, 0179). An incident has a handful of actions.
    rows = (
        Action.objects.filter(incident_id=incident.pk)
        .order_by("due_date", "id")
        .values_list(*PANEL_COLUMNS)
    )
    labels = dict(Action.Status.choices)
    actions = []
    for row in rows:
        pk, title, status, due, owner_id, display, first, last, email, org, team, vis = row
        if not sees(user, org, team, vis):
            continue
        owner = (
            User(display_name=display, first_name=first, last_name=last, email=email).name
            if owner_id is not None
            else None
        )
        actions.append(
            {
                "url": reverse("actions:detail", args=[pk]),
                "title": title,
                "status_label": labels.get(status, status),
                "owner": owner,
                "due_date": due,
                "is_overdue": Action(status=status, due_date=due).is_overdue,
            }
        )
    return {"actions": actions, "can_add": incident.team_id in team_ids_of(user)}
