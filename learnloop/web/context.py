from __future__ import annotations

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

from learnloop.web.nav import NAV_ITEMS


def navigation(request: HttpRequest) -> dict[str, object]:
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {"nav_items": []}
    items = []
    for item in sorted(NAV_ITEMS, key=lambda i: i.order):
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        current = request.path == url or (url != "/" and request.path.startswith(url))
        items.append({"label": item.label, "url": url, "current": current})
    return {"nav_items": items}
