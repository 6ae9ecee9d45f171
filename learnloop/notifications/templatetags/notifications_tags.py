"""``{% notification_bell %}``: the bell with the unread count, for the site navigation."""

from __future__ import annotations

from typing import Any

from django import template

from learnloop.notifications.selectors import unread_count

register = template.Library()


@register.inclusion_tag("notifications/_bell.html", takes_context=True)
def notification_bell(context: template.Context) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    return {"unread": unread_count(user=user) if user is not None else 0}
