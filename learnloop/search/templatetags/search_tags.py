from __future__ import annotations

from typing import Any

from django import template

from learnloop.search import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def related_for(context: Any, kind: str, obj: Any, limit: int = selectors.RELATED_LIMIT) -> list:
    """Related suggestions for an incident, review or lesson shown on its own page.

    The object itself and its own incident/reviews are never suggested to it.
    """
    request = context.get("request")
    user = getattr(request, "user", None)
    if obj is None or user is None:
        return []
    exclude = [(kind, obj.pk)]
    if kind == "incident":
        title, text = obj.title, obj.description
        exclude += [("review", pk) for pk in obj.reviews.values_list("pk", flat=True)]
    elif kind == "review":
        content = obj.content if isinstance(obj.content, dict) else {}
        summary = content.get("summary")
        title, text = obj.title, summary if isinstance(summary, str) else ""
        if obj.incident_id:
            exclude.append(("incident", obj.incident_id))
            text = obj.incident.description or text
    else:
        title, text = getattr(obj, "statement", ""), getattr(obj, "context", "")
    return selectors.related(user, title, text, exclude, limit=limit)
