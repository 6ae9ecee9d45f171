"""``{% reviews_for_incident incident as rv %}``: the incident page's reviews panel data."""

from __future__ import annotations

from typing import Any

from django import template

from learnloop.accounts.visibility import team_ids_of
from learnloop.incidents.models import Incident
from learnloop.reviews import selectors
from learnloop.reviews.content import parse_at
from learnloop.reviews.models import ContributingFactor

register = template.Library()


@register.simple_tag(takes_context=True)
def reviews_for_incident(context: Any, incident: Incident) -> dict[str, Any]:
    """Visible reviews of ``incident`` and, for its team's members, the templates to start one."""
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    if user is None or incident is None:
        return {"reviews": [], "can_start": False, "templates": []}
    # Only what the panel shows (title, status, template name), by fixed queries: an anonymous
    # report's page is never kept, so each view pays for this (decisions 0077, 0179).
    can_start = incident.team_id in team_ids_of(user)
    templates = selectors.template_choices(incident.team) if can_start else []
    chosen = selectors.default_template(templates, team=incident.team, kind=incident.kind)
    return {
        "reviews": selectors.incident_panel(user=user, incident_id=incident.pk),
        "can_start": can_start,
        "templates": templates,
        "default_template": chosen,
    }


@register.filter
def iso_local(value: Any) -> str:
    """An ISO timestamp from review content, shown in the display time zone."""
    from django.utils import timezone

    parsed = parse_at(value) if value else None
    return timezone.localtime(parsed).strftime("%Y-%m-%d %H:%M") if parsed else str(value or "")


@register.filter
def factor_label(value: Any) -> str:
    return dict(ContributingFactor.Category.choices).get(value, value)


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    try:
        return mapping.get(key, "") if mapping else ""
    except AttributeError:
        return ""
