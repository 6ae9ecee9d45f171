"""``{% account_menu %}``: the signed-in person's own links in the page chrome (``web/base.html``).

Every page shows the menu twice (the name menu on wide screens, the compact menu on phones).
It was an ``{% include %}`` of a template with three ``{% url %}`` tags and a
``{% csrf_token %}``, rendered twice on every page; here its links are reversed once per URL
prefix and URL conf and the two copies are the same string built in Python (decision 0179).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from django import template
from django.conf import settings
from django.template.defaulttags import CsrfTokenNode
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString

register = template.Library()

#: Two rows around the operator's row; ``{}`` are the escaped URLs and the CSRF field.
_MENU = (
    '\n<li><a href="{}">Account and API tokens</a></li>\n{}\n'
    '<li><form method="post" action="{}" class="inline-form">{}<button type="submit" '
    'class="secondary outline">Sign out</button></form></li>\n'
)
_OPERATOR = '<li><a href="{}">Operator admin</a></li>'


@lru_cache(maxsize=16)
def _urls(prefix: str, urlconf: Any) -> tuple[str, str]:
    """The profile and sign-out URLs, reversed once per URL prefix and URL conf."""
    return reverse("accounts:profile"), reverse("accounts:logout")


def account_menu_html(user: Any, csrf_field: str) -> SafeString:
    """The account menu's ``<li>`` rows of ``user`` with ``csrf_field`` (the request's
    ``{% csrf_token %}``) in the sign-out form; also ``web.chrome``'s (decision 0238)."""
    profile, logout = _urls(get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)
    operator = (
        format_html(_OPERATOR, reverse("admin:index"))
        if getattr(user, "is_operator", False)
        else ""
    )
    return format_html(_MENU, profile, operator, logout, csrf_field)


@register.simple_tag(takes_context=True)
def account_menu(context: template.Context) -> SafeString:
    """The account menu's ``<li>`` rows: account and API tokens, the operator's admin (for an
    operator only) and the sign-out form with the request's CSRF field."""
    return account_menu_html(context.get("user"), CsrfTokenNode().render(context))
