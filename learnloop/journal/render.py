"""The journal pages' markup, written in Python (decisions 0183 and 0239).

The journal is rendered on every request (never kept: decisions 0079 and 0175), so what the
template engine spends per row, per variable, per ``{% if %}`` and per ``{% url %}`` is paid
on every view. These functions print what the templates' markup printed, byte for byte (each
one quotes the markup it replaces; ``journal/tests/test_render.py`` renders that markup with
the template engine and compares): texts escaped as autoescaping does, days as the
``date:"j M Y"`` filter prints them in the current time zone, journal URLs reversed once per
URL prefix and URL conf. Nothing of a request is kept between requests.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from functools import lru_cache
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import timezone
from django.utils.dates import MONTHS_3

from learnloop.core.markdown import render_markdown
from learnloop.web.chrome import text


@lru_cache(maxsize=64)
def _url(name: str, prefix: str, urlconf: Any) -> str:
    return reverse(f"journal:{name}")


def url(name: str) -> str:
    """``reverse("journal:<name>")`` (a URL without arguments), reversed once per name, URL
    prefix and URL conf."""
    return _url(name, get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)


def entry_url(pk: Any, action: str = "") -> str:
    """An entry's page (``action`` "": ``journal:detail``) or its ``edit``, ``share`` or
    ``delete`` page: ``<list URL><id>/[<action>/]``, as ``journal/urls.py`` routes them."""
    return f"{url('list')}{pk}/{action}{'/' if action else ''}"


def day_label(value: dt.datetime) -> str:
    """``value`` as the ``date:"j M Y"`` filter prints it: in the current time zone (the
    signed-in person's, ``core.middleware.UserTimeZoneMiddleware``), e.g. ``5 Dec 2026``."""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return f"{value.day} {MONTHS_3[value.month].title()} {value.year:04d}"


def entry_item(row: Mapping[str, Any]) -> str:
    """One ``<li>`` of the list from a list row (``journal.selectors``: ``url``, ``title``,
    ``framework_name``, ``created_at``, ``shared``, ``tags``), as the loop printed it::

        <li><a href="{{ entry.url }}">{{ entry.title }}</a> <small>{{ entry.framework_name }} ·
        {{ entry.created_at|date:"j M Y" }}{% if entry.shared %} · shared{% endif %}
        {% for tag in entry.tags %} · <span class="badge">{{ tag }}</span>{% endfor %}</small></li>

    (one line, without the breaks)."""
    tags = "".join(f' · <span class="badge">{text(tag)}</span>' for tag in row["tags"] or ())
    return (
        f'<li><a href="{text(row["url"])}">{text(row["title"])}</a> '
        f"<small>{text(row['framework_name'])} · {text(day_label(row['created_at']))}"
        f"{' · shared' if row['shared'] else ''}{tags}</small></li>"
    )


def framework_item(new_url: str, fw: Mapping[str, Any]) -> str:
    """One item of the list's "Write an entry" menu (``new_url`` escaped), as the loop
    printed it::

        <li><a href="{{ new_url }}?framework={{ fw.key|urlencode }}">{{ fw.name }}</a>
        {% if fw.description %} <small>— {{ fw.description }}</small>{% endif %}
        {% if fw.scope != "shipped" %} <small>({{ fw.scope }})</small>{% endif %}</li>

    (one line)."""
    key = text(quote(str(fw["key"]), safe="/"))  # the ``urlencode`` filter, then escaped
    description = f" <small>— {text(fw['description'])}</small>" if fw["description"] else ""
    scope = f" <small>({text(fw['scope'])})</small>" if fw["scope"] != "shipped" else ""
    return (
        f'<li><a href="{new_url}?framework={key}">{text(fw["name"])}</a>{description}{scope}</li>'
    )


def _about(entry: Any, linked: Any, linked_url: str) -> str:
    if linked:
        return (
            f'<p><small>About: <a href="{text(linked_url)}">{text(linked.title)}</a></small></p>'
            "\n    "
        )
    if entry.link_kind:
        return "<p><small>About something you can no longer see.</small></p>"
    return ""


def _shared(entry: Any) -> str:
    if not entry.shared:
        return ""
    if entry.shared_lesson_id:
        lesson = text(reverse("lessons:detail", args=[entry.shared_lesson_id]))
        how = f': <a href="{lesson}">the lesson</a>'
    else:
        how = " anonymously" if entry.shared_anonymously else ""
    return (
        '<p class="journal-shared"><small>You shared a learning from this entry'
        f"{how}. Only you see this note.</small></p>"
    )


def entry_article(entry: Any, linked: Any, linked_url: str) -> str:
    """An entry's page's ``<article>`` (``journal/detail.html``'s content, decision 0239): the
    markup quoted in ``journal/tests/test_render.py`` (``ARTICLE``), answers in Markdown
    (``core.markdown``)."""
    tags = ""
    if entry.tags:
        badges = "".join(f'<span class="badge">{text(tag)}</span> ' for tag in entry.tags)
        tags = f'<p class="tags">{badges}</p>'
    answered = entry.answered()
    answers = (
        "".join(
            f"\n  <section><h2>{text(item['label'])}</h2>"
            f"{render_markdown(item['answer'])}</section>\n  "
            for item in answered
        )
        if answered
        else "<p>No answers yet.</p>"
    )
    pk = entry.pk
    return (
        '<article class="journal-entry">\n  <header>\n'
        f'    <p><small><a href="{text(url("list"))}">Your journal</a> · '
        f"{text(entry.framework_name)} · {text(day_label(entry.created_at))} · private to you"
        "</small></p>\n"
        f"    <h1>{text(entry.title)}</h1>\n"
        f"    {_about(entry, linked, linked_url)}\n"
        f"    {tags}\n"
        "  </header>\n"
        f"  {answers}\n"
        f"  {_shared(entry)}\n"
        "  <footer>\n"
        f'    <a href="{text(entry_url(pk, "edit"))}" role="button" class="secondary">Edit</a>\n'
        f'    <a href="{text(entry_url(pk, "share"))}" role="button">Share a learning</a>\n'
        f'    <a href="{text(entry_url(pk, "delete"))}" role="button" '
        'class="secondary outline">Delete</a>\n'
        "  </footer>\n"
        "</article>"
    )
