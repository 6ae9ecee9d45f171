"""``{% notification_bell %}``: the bell with the unread count, for the site navigation."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from django import template
from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString

from learnloop.notifications.selectors import BELL_CAP, bell_count

register = template.Library()

_ICON = SafeString(
    '<svg aria-hidden="true" focusable="false" width="20" height="20" viewBox="0 0 24 24" '
    'fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" '
    'stroke-linejoin="round"><path d="M18 8a6 6 0 0 0-12 0c0 7-3 9-3 9h18s-3-2-3-9"/>'
    '<path d="M13.7 21a2 2 0 0 1-3.4 0"/></svg>'
)


@lru_cache(maxsize=16)
def _list_url(prefix: str, urlconf: Any) -> str:
    """The notifications page's URL, reversed once per URL prefix and URL conf."""
    return reverse("notifications:list")


def bell_html(unread: int) -> SafeString:
    """The bell: a link to the notifications with the unread count in its label and badge;
    over ``BELL_CAP`` it says "99+" (the count is capped there: decision 0240)."""
    url = _list_url(get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)
    if not unread:
        return format_html(
            '<a href="{}" class="bell" aria-label="Notifications">{}</a>\n', url, _ICON
        )
    shown = f"{BELL_CAP}+" if unread > BELL_CAP else str(unread)
    return format_html(
        '<a href="{}" class="bell" aria-label="Notifications: {} unread">{} '
        '<span class="badge" data-unread="{}">{}</span></a>\n',
        url,
        shown,
        _ICON,
        shown,
        shown,
    )


def bell_of(user: Any) -> SafeString:
    """``user``'s bell (the page chrome in Python, ``web.chrome``, registers it: decision 0238)."""
    return bell_html(bell_count(user=user))


@register.simple_tag(takes_context=True)
def notification_bell(context: template.Context) -> SafeString:
    """Built in Python, with no template or context of its own: it is on every page
    (decisions 0079, 0179)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    unread = bell_count(user=user) if user is not None else 0
    return bell_html(unread)
