"""``{% entry_items entries %}``: the journal list's rows, written in Python (decision 0183).

The journal list is rendered on every request (never kept: decisions 0079 and 0175), and its
rows were most of what it cost beyond the page chrome: per row the template engine resolved
eight variables, ran an ``if`` and an inner ``for``, and the ``date`` filter parsed its format
string and looked its format up again. This prints the same bytes as the loop it replaces::

    <li><a href="{{ entry.url }}">{{ entry.title }}</a> <small>{{ entry.framework_name }} ·
    {{ entry.created_at|date:"j M Y" }}{% if entry.shared %} · shared{% endif %}
    {% for tag in entry.tags %} · <span class="badge">{{ tag }}</span>{% endfor %}</small></li>

(one line, without the breaks). Nothing is kept between requests.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django import template
from django.utils import timezone
from django.utils.dates import MONTHS_3
from django.utils.html import escape
from django.utils.safestring import SafeString

register = template.Library()


def day_label(value: dt.datetime) -> str:
    """``value`` as the ``date:"j M Y"`` filter prints it: in the current time zone (the
    signed-in person's, ``core.middleware.UserTimeZoneMiddleware``), e.g. ``5 Dec 2026``."""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return f"{value.day} {MONTHS_3[value.month].title()} {value.year:04d}"


def entry_item(row: Mapping[str, Any]) -> str:
    """One ``<li>`` of the list from a list row (``journal.selectors``: ``url``, ``title``,
    ``framework_name``, ``created_at``, ``shared``, ``tags``), every text escaped."""
    tags = "".join(f' · <span class="badge">{escape(tag)}</span>' for tag in row["tags"] or ())
    return (
        f'<li><a href="{escape(row["url"])}">{escape(row["title"])}</a> '
        f"<small>{escape(row['framework_name'])} · {escape(day_label(row['created_at']))}"
        f"{' · shared' if row['shared'] else ''}{tags}</small></li>"
    )


@register.simple_tag
def entry_items(rows: Iterable[Mapping[str, Any]]) -> SafeString:
    """The list's ``<li>`` items, one per row, with nothing between them."""
    return SafeString("".join(entry_item(row) for row in rows))
