from __future__ import annotations

import hashlib
from typing import Any

from django import template

from learnloop.accounts.visibility import team_ids_of
from learnloop.search import selectors

register = template.Library()

# Page-level rankings are recomputed at most every few minutes (selectors.RELATED_CACHE_SECONDS):
# the key is a hash of the object's text version (updated_at) and the viewer's organisation and
# teams, so that no key names an anonymous report's id or time in clear (decisions 0076, 0175);
# a past item indexed since shows up when the entry expires. Objects are always re-loaded
# through the visibility rule.


@register.simple_tag(takes_context=True)
def related_for(context: Any, kind: str, obj: Any, limit: int = selectors.RELATED_LIMIT) -> list:
    """Related suggestions for an incident, review or lesson shown on its own page.

    The object itself and its own incident/reviews are never suggested to it.
    """
    request = context.get("request")
    user = getattr(request, "user", None)
    if obj is None or user is None or not getattr(user, "is_authenticated", False):
        return []
    stamp = obj.updated_at.timestamp() if getattr(obj, "updated_at", None) else ""
    scope = ",".join(str(t) for t in sorted(team_ids_of(user)))
    parts = f"{kind}:{obj.pk}:{stamp}:{user.organisation_id}:{scope}:{limit}"
    key = "related-for:v2:" + hashlib.sha256(parts.encode()).hexdigest()
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
    return selectors.related(user, title, text, exclude, limit=limit, cache_key=key)
