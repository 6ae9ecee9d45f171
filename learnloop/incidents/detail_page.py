"""The incident page written in Python (decision 0238): the report's article, the reviews and
actions panels (``reviews.incident_panel``, ``actions.incident_panel``), the kept related part
(``page_parts``) and the chrome (``web.chrome``). An anonymous report's page is never kept in
any cache (decisions 0010, 0175), so it renders on every view; the template engine was most of
its CPU. The bytes are those of the templates it replaced (``incidents/incident_detail.html``
and the two panels' includes), compared for many incidents and viewers when it was written.
Nothing here is kept between requests.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import localtime

from learnloop.actions import incident_panel as actions_panel
from learnloop.core.markdown import render_markdown
from learnloop.incidents.models import Incident
from learnloop.reviews import incident_panel as reviews_panel
from learnloop.web.chrome import csrf_field, page
from learnloop.web.chrome import text as _e

_ARTICLE = (
    "\n<article>\n<hgroup>\n  <h1>{title}</h1>\n  <p>{kind} · {team} · {visibility} ·\n"
    "  {reported}</p>\n</hgroup>\n"
    '<section aria-labelledby="what-h"><h2 id="what-h">What happened</h2>\n'
    '<div class="markdown">{description}</div></section>\n'
    '<section aria-labelledby="facts-h"><h2 id="facts-h">Details</h2>\n<dl class="facts">\n'
    "  <dt>Severity</dt><dd>{severity}</dd>\n"
    "  <dt>Status</dt><dd>{status}</dd>\n"
    "  <dt>Started</dt><dd>{started}</dd>\n"
    "  <dt>Detected</dt><dd>{detected}</dd>\n"
    "  <dt>Acknowledged</dt><dd>{acknowledged}</dd>\n"
    "  <dt>Resolved</dt><dd>{resolved}</dd>\n"
    "  <dt>Tags</dt><dd>{tags}</dd>\n"
    "</dl></section>\n{edit}\n</article>\n"
)
_EDIT = (
    '<p><a href="{}" role="button" class="secondary">Edit</a> <a href="{}?incident={}" '
    'role="button" class="secondary outline">Start a retro about this</a></p>'
)


def _when(value: Any, with_time: bool = True) -> str:
    """``{{ value|date:"Y-m-d H:i" }}`` (or ``"Y-m-d"``): in the display time zone, "" for no
    value; the date filter's digits, without its format parser on every view."""
    if value in (None, ""):
        return ""
    local = localtime(value)  # stored times are aware (USE_TZ)
    day = f"{local.year:04d}-{local.month:02d}-{local.day:02d}"
    return f"{day} {local.hour:02d}:{local.minute:02d}" if with_time else day


def _tags(tags: list[str]) -> str:
    if not tags:
        return "–"
    url = _e(reverse("incidents:list"))
    return "".join(
        f'<a class="tag" href="{url}?tag={_e(quote(tag, safe="/"))}">{_e(tag)}</a> ' for tag in tags
    )


def article_html(
    incident: Incident, *, tags: list[str], can_edit: bool, severity_label: Any
) -> str:
    """The report's article: title, kind, team, visibility, who and when (only the day for an
    anonymous report, decision 0010), description, details, tags and, for an editor, links."""
    if incident.is_anonymous:
        reported = f"reported anonymously on {_e(_when(incident.created_at, with_time=False))}"
    else:
        by = f"by {_e(incident.reporter.name)} " if incident.reporter else ""
        reported = f"reported {by}on {_e(_when(incident.created_at))}"
    edit = ""
    if can_edit:
        edit = _EDIT.format(
            _e(reverse("incidents:edit", args=[incident.pk])),
            _e(reverse("retros:create")),
            _e(incident.pk),
        )
    return _ARTICLE.format(
        title=_e(incident.title),
        kind=_e(incident.get_kind_display()),
        team=_e(incident.team.name),
        visibility=_e(incident.get_visibility_display()),
        reported=reported,
        description=render_markdown(incident.description),
        severity=_e(severity_label or "Not set"),
        status="Resolved" if incident.resolved_at else "Open",
        started=_e(_when(incident.started_at) or "–"),
        detected=_e(_when(incident.detected_at) or "–"),
        acknowledged=_e(_when(incident.acknowledged_at) or "–"),
        resolved=_e(_when(incident.resolved_at) or "–"),
        tags=_tags(tags),
        edit=edit,
    )


def detail_response(request: Any, incident: Incident, **article: Any) -> HttpResponse:
    """The whole page: ``article_html(incident, **article)`` (but ``related_panel``), the two
    panels, the related part and the chrome, with one CSRF token for the page's forms."""
    related: SafeString = article.pop("related_panel")
    token = get_token(request)
    field = csrf_field(token)
    content = "".join(
        (
            article_html(incident, **article),
            reviews_panel.panel_html(request.user, incident, field),
            "\n",
            actions_panel.panel_html(request, incident, field),
            "\n",
            related,
            "\n",
        )
    )
    # Safe: every value in the article and panels was escaped; ``related`` is template output.
    return page(request, title=incident.title, content=mark_safe(content), csrf=token)
