"""``{% pledge_box %}`` (the organisation's and the person's teams' pledges) or
``{% pledge_box team %}`` (one team's and the organisation's): the report form, the anonymous
report explanation, the "I might have clicked something" page and drill pages."""

from __future__ import annotations

from typing import Any

from django import template
from django.template.loader import render_to_string

from learnloop.drills.pledge import pledges_shown_to

register = template.Library()


@register.simple_tag(takes_context=True)
def pledge_box(context: dict[str, Any], team: Any = None) -> str:
    user = context.get("user")
    if user is None:
        return ""
    views = pledges_shown_to(user, team)
    if not views:
        return ""
    return render_to_string("drills/_pledge_box.html", {"views": views})
