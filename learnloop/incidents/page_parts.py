"""Parts of the incident page kept between views, for the page that is never kept whole: an
anonymous report's (decision 0175; decisions 0010 and 0076 say why that page is not kept).

A part is kept in the per-process memory cache (``caches["local"]``: never a file, never
shared between processes) for at most ``PART_SECONDS``, under a SHA-256 of what decides its
bytes and nothing else:

- the **related panel** (``search/_related_for.html``): the object's kind, id, title and
  description (the content it is ranked by, and what it excludes: itself and its reviews), the
  viewer's visibility scope (organisation and teams: what ``visible_to`` reads) and the
  organisation's data version (``web/data_version.py``: moved inside every writing
  transaction, so a write anywhere in the organisation, a new review of this incident or a
  changed visibility included, makes the next view render it again).

What a kept part may never do (tested in ``incidents/tests/test_page_parts.py`` and the
anonymity tests): be written when a report is filed (filing and the thank-you page render
no part), hold the report's own text, id or a time, or name the viewer (a part is shared by
every viewer with the same scope, so it says nothing about who opened the page). A part is
written when someone first opens the page under a data version, as every kept page is
(decision 0076): it bounds when the page was viewed, never when the report was filed.

``LEARNLOOP_PAGE_CACHE=0`` (the test suite's default) renders every part on every view.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from django.core.cache import caches
from django.template.context import Context
from django.template.loader import get_template
from django.utils.safestring import SafeString, mark_safe

from learnloop.accounts.visibility import team_ids_of
from learnloop.web import data_version, page_cache

PART_SECONDS = 60
PREFIX = "part:"


def _scope(user: Any) -> str:
    """What the visibility rule reads of the viewer: their organisation and teams."""
    teams = ",".join(str(t) for t in sorted(team_ids_of(user)))
    return f"{user.organisation_id}:{teams}"


def kept(name: str, user: Any, inputs: tuple[Any, ...], render: Callable[[], str]) -> SafeString:
    """``render()``'s HTML, kept under a hash of ``name``, the viewer's scope, the data version
    and ``inputs`` while the page cache serves (else rendered every time)."""
    if not page_cache.enabled() or not getattr(user, "organisation_id", None):
        return mark_safe(render())  # template output, escaped by the template
    version = data_version.data_version(user.organisation_id)
    parts = [name, _scope(user), str(version), *(str(i) for i in inputs)]
    key = PREFIX + hashlib.sha256("\x1f".join(parts).encode()).hexdigest()
    cache = caches["local"]
    html: str | None = cache.get(key)
    if html is None:
        html = str(render())
        cache.set(key, html, PART_SECONDS)
    return mark_safe(html)  # template output, escaped by the template


def related_panel(request: Any, incident: Any) -> SafeString:
    """The "Related past lessons" box of ``incident``'s page, as the page's include renders it
    (``{% include "search/_related_for.html" with kind="incident" object=incident %}``)."""

    def render() -> str:
        template = get_template("search/_related_for.html")
        context = {"request": request, "kind": "incident", "object": incident}
        rendered = template.template.render(Context(context, autoescape=True))  # type: ignore[attr-defined]
        return str(rendered)

    inputs = ("incident", incident.pk, incident.title, incident.description)
    return kept("related", request.user, inputs, render)
