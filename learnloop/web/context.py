from __future__ import annotations

from functools import lru_cache
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from learnloop.web.nav import NAV_ITEMS

_CURRENT = ' aria-current="page"'


@lru_cache(maxsize=16)
def _nav_links(prefix: str, urlconf: Any, count: int) -> tuple[tuple[str, str, str, str], ...]:
    """(label, URL, and the item's ``<li>`` before and after where ``aria-current`` goes) of
    the navigation in order: reversed and escaped once per URL prefix and URL conf, not on
    every page (``count``: items registered later are seen)."""
    links = []
    for item in sorted(NAV_ITEMS, key=lambda i: i.order):
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        html = (f'<li><a href="{escape(url)}"', f">{escape(item.label)}</a></li>")
        links.append((item.label, url, *html))
    return tuple(links)


def _urlconf() -> Any:
    return get_urlconf() or settings.ROOT_URLCONF


def navigation(request: HttpRequest) -> dict[str, object]:
    """``nav_items`` (label, url, current) and ``nav_links``: those items as the ``<li>``
    elements the page shows twice (wide and compact menus), built here once instead of by two
    template loops on every page (decision 0079)."""
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {"nav_items": [], "nav_links": SafeString("")}
    path = request.path
    items, html = [], []
    for label, url, start, end in _nav_links(get_script_prefix(), _urlconf(), len(NAV_ITEMS)):
        current = path == url or (url != "/" and path.startswith(url))
        items.append({"label": label, "url": url, "current": current})
        html.append(start + _CURRENT + end if current else start + end)
    # Safe: every label and URL was escaped in _nav_links.
    return {"nav_items": items, "nav_links": mark_safe("".join(html))}
