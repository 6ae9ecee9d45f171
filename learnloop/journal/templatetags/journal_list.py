"""The journal pages' tags: their repeated markup, written in Python (``journal.render``,
decisions 0183 and 0239).

``{% entry_items entries %}`` the list's rows, ``{% framework_items frameworks %}`` its
"Write an entry" menu, ``{% journal_url "frameworks" %}`` a journal URL without arguments
(``{% url 'journal:frameworks' %}``, reversed once), ``{% entry_article entry linked
linked_url %}`` an entry's page's article. Nothing is kept between requests.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping
from typing import Any

from django import template
from django.utils.safestring import SafeString

from learnloop.journal import render

register = template.Library()


@register.simple_tag
def journal_url(name: str) -> SafeString:
    """``{% url 'journal:<name>' %}``: the URL, escaped."""
    return SafeString(html.escape(render.url(name)))


@register.simple_tag
def entry_items(rows: Iterable[Mapping[str, Any]]) -> SafeString:
    """The list's ``<li>`` items, one per row, with nothing between them."""
    return SafeString("".join(render.entry_item(row) for row in rows))


@register.simple_tag
def framework_items(frameworks: Iterable[Mapping[str, Any]]) -> SafeString:
    """The menu's ``<li>`` items (``selectors.framework_menu``), with nothing between them."""
    new_url = html.escape(render.url("new"))
    return SafeString("".join(render.framework_item(new_url, fw) for fw in frameworks))


@register.simple_tag
def entry_article(entry: Any, linked: Any, linked_url: str) -> SafeString:
    """An entry's page's ``<article>`` (``render.entry_article``)."""
    return SafeString(render.entry_article(entry, linked, linked_url))
