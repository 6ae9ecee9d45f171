"""``{% notification_bell %}``: the bell with the unread count, for the site navigation."""

from __future__ import annotations

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from learnloop.notifications.selectors import unread_count

register = template.Library()


@register.simple_tag(takes_context=True)
def notification_bell(context: template.Context) -> SafeString:
    """Rendered with a plain context: an inclusion tag's new RequestContext would run every
    context processor a second time for each page (decision 0079)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    unread = unread_count(user=user) if user is not None else 0
    return SafeString(render_to_string("notifications/_bell.html", {"unread": unread}))
