"""``web/base.html`` written in Python: the page chrome (head, navigation, bell, account menu,
messages, footer) around a page's title and content, for pages rendered on every view and
never kept (decision 0238: the anonymous report's page; journal pages may use it too).

``page(request, title=..., content=...)`` answers the same bytes as a template that extends
``web/base.html`` and fills only its ``title`` and ``content`` blocks, rendered with the
request (``web/tests/test_chrome.py`` compares the two for a signed-in person, an operator, a
person with unread notifications and messages, and a visitor). It keeps nothing between
requests but what every page shares: the reversed URLs (per URL prefix and URL conf, as
``context.navigation`` and ``templatetags.chrome`` do) and the static files' URLs (per
configured storage). Nothing about a person, a page or a time is kept.

A change to ``web/base.html`` must be made here too: the comparison test fails until it is.
The bell comes from the app that registers it (``register_bell``; the notifications app does,
as ``base.html`` loads its tag by name): ``web`` imports no domain app (decision 0019).
"""

from __future__ import annotations

import html
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.contrib.messages import get_messages
from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.templatetags.static import static
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.formats import localize
from django.utils.functional import empty
from django.utils.html import conditional_escape, escape, format_html
from django.utils.safestring import SafeString, mark_safe

from learnloop.web.context import navigation
from learnloop.web.templatetags.chrome import account_menu_html

#: The bell of the signed-in person (``{% notification_bell %}`` in ``base.html``).
_BELL: list[Callable[[Any], SafeString]] = []


def register_bell(render: Callable[[Any], SafeString]) -> None:
    """``render(user)`` is the bell's HTML; the notifications app registers it once."""
    if render not in _BELL:
        _BELL[:] = [render]


@lru_cache(maxsize=16)
def _urls(prefix: str, urlconf: Any) -> dict[str, str]:
    """The chrome's URLs, reversed and escaped once per URL prefix and URL conf."""
    names = {"home": "web:home", "login": "accounts:login", "clicked": "incidents:clicked"}
    return {key: escape(reverse(name)) for key, name in names.items()}


_STATIC_PATHS = (
    "learnloop/favicon.svg",
    "vendor/pico-2.1.1.min.css",
    "learnloop/app.css",
    "vendor/htmx-2.0.11.min.js",
    "learnloop/app.js",
    "coach/coach.js",
    "coach/coach.css",
)


@lru_cache(maxsize=4)
def _static_of(storage: Any) -> tuple[str, ...]:
    """The head's static URLs, escaped, as ``{% static %}`` gives them, asked once of each
    configured storage (settings that change it configure a new one: tests)."""
    return tuple(escape(static(p)) for p in _STATIC_PATHS)


def _static() -> tuple[str, ...]:
    if staticfiles_storage._wrapped is empty:  # type: ignore[attr-defined]
        staticfiles_storage._setup()  # type: ignore[attr-defined]
    return _static_of(staticfiles_storage._wrapped)  # type: ignore[attr-defined]


_HEAD = (
    '<!doctype html>\n<html lang="en">\n<head>\n  <meta charset="utf-8">\n'
    '  <meta name="viewport" content="width=device-width, initial-scale=1">\n'
    '  <meta name="csrf-token" content="{csrf}">\n'
    '  <meta name="htmx-config" content=\'{{"includeIndicatorStyles": false}}\'>\n'
    "  <title>{title} · Learnloop</title>\n"
    '  <link rel="icon" href="{s[0]}" type="image/svg+xml">\n'
    '  <link rel="stylesheet" href="{s[1]}">\n'
    '  <link rel="stylesheet" href="{s[2]}">\n'
    '  <script src="{s[3]}" defer></script>\n'
    '  <script src="{s[4]}" defer></script>\n'
    "  {coach}\n  \n</head>\n<body>\n"
    '  <a class="skip-link" href="#main">Skip to content</a>\n'
    '  <header class="site container">\n    <nav aria-label="Main">\n'
    '      <ul><li><a class="brand" href="{home}">Learnloop</a></li></ul>\n      {nav}\n'
    "    </nav>\n  </header>\n"
    '  <main id="main" class="container">\n    {messages}\n    {content}\n  </main>\n'
    '  <footer class="container"><small>Learnloop · learning from what goes wrong, without '
    "blame.{clicked}</small></footer>\n</body>\n</html>\n"
)
_COACH = '<script src="{s[5]}" data-css="{s[6]}" defer></script>'
_NAV = (
    "\n      \n"
    '      <ul class="nav-wide">\n        {links}\n      </ul>\n'
    '      <ul class="nav-tools">\n        <li>{bell}</li>\n'
    '        <li class="nav-wide"><details class="dropdown"><summary>{name}</summary>\n'
    '          <ul dir="rtl">{menu}</ul></details></li>\n'
    '        <li class="nav-compact"><details class="dropdown nav-menu"><summary>Menu</summary>\n'
    "          <ul>\n            {links}\n"
    '            <li class="nav-menu-person"><small>Signed in as {name}</small></li>\n'
    "            {menu}\n          </ul></details></li>\n      </ul>\n      "
)
_SIGN_IN = '\n      <ul><li><a href="{login}">Sign in</a></li></ul>\n      '
_CLICKED = ' · <a href="{}" class="clicked-link">I might have clicked something</a>'
_CSRF_FIELD = '<input type="hidden" name="csrfmiddlewaretoken" value="{}">'


def text(value: Any) -> str:
    """``value`` as ``{{ value }}`` prints it with autoescaping on: a plain string escaped as
    Django's ``escape`` does (``html.escape``, without its per-call check for lazy text),
    anything else localised, then escaped unless it is already safe."""
    if type(value) is str:
        return html.escape(value)
    return str(conditional_escape(localize(value)))


def csrf_field(token: str) -> SafeString:
    """``{% csrf_token %}``'s hidden field for ``token``."""
    return format_html(_CSRF_FIELD, token)


def _messages(request: HttpRequest) -> str:
    """The messages list, consumed as the template's loop consumes it."""
    messages = get_messages(request)
    if not messages:
        return ""
    rows = "".join(
        f'<li class="{conditional_escape(m.tags)}">{conditional_escape(str(m))}</li>'
        for m in messages
    )
    return f'<ul class="messages" role="status">{rows}</ul>'


def page(request: HttpRequest, *, title: str, content: SafeString, csrf: str = "") -> HttpResponse:
    """The page: ``base.html`` with ``title`` (escaped) and ``content`` (HTML) in its blocks.
    ``csrf`` is the request's token when the content already used one (the same token on the
    whole page, as one template context gives); else it is taken here."""
    csrf = csrf or get_token(request)
    user = getattr(request, "user", None)
    urls = _urls(get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)
    s = _static()
    signed_in = bool(user is not None and user.is_authenticated)
    if signed_in:
        name = conditional_escape(user.name)  # type: ignore[union-attr]
        links = navigation(request)["nav_links"]
        bell = _BELL[0](user) if _BELL else ""
        menu = account_menu_html(user, csrf_field(csrf))
        nav = _NAV.format(links=links, bell=bell, name=name, menu=menu)
    else:
        nav = _SIGN_IN.format(login=urls["login"])
    html = _HEAD.format(
        csrf=escape(csrf),
        title=conditional_escape(title),
        s=s,
        coach=_COACH.format(s=s) if signed_in else "",
        home=urls["home"],
        nav=nav,
        messages=_messages(request),
        content=content,
        clicked=(
            _CLICKED.format(urls["clicked"])
            if signed_in and getattr(user, "organisation_id", None)
            else ""
        ),
    )
    return HttpResponse(mark_safe(html))  # every value above was escaped or is HTML
