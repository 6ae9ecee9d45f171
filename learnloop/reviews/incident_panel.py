"""The incident page's reviews panel, written in Python (decision 0238): the incident page of
an anonymous report is never kept (decisions 0010, 0175), so it renders on every view, and the
template engine was most of this panel's cost. The bytes are those of the template it replaced
(``reviews/_for_incident.html``, compared for many incidents and viewers when it was written).
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from learnloop.accounts.visibility import team_ids_of
from learnloop.incidents.models import Incident
from learnloop.reviews import selectors
from learnloop.web.chrome import text as _e

_HEAD = (
    '\n<section aria-labelledby="incident-reviews-heading" class="incident-reviews">\n'
    '  <h2 id="incident-reviews-heading">Reviews</h2>\n  '
)
_ROW = '<li><a href="{}">{}</a> <span class="badge">{}</span> <small>{}</small></li>'
_FORM = (
    '\n  <form method="post" action="{action}">\n    {csrf}\n'
    '    <input type="hidden" name="incident" value="{pk}">\n'
    '    <label for="incident-review-template">Template</label>\n'
    '    <select id="incident-review-template" name="template">\n      {options}\n'
    '    </select>\n    <button type="submit">Start a review</button>\n  </form>\n  '
)


def panel_html(user: Any, incident: Incident, csrf_field: str) -> SafeString:
    """The visible reviews of ``incident`` (newest 20) and, for its team's members, the form to
    start one with the templates they may use (the team's default or the kind's preselected).
    ``csrf_field`` is the request's ``{% csrf_token %}``."""
    if user is None:
        reviews, can_start, templates = [], False, []
    else:  # the reads in the order the template tag made them
        can_start = incident.team_id in team_ids_of(user)
        templates = selectors.template_choices(incident.team) if can_start else []
        reviews = selectors.incident_panel(user=user, incident_id=incident.pk)
    if reviews:
        rows = "".join(
            _ROW.format(
                _e(reverse("reviews:detail", args=[r["pk"]])),
                _e(r["title"]),
                _e(r["status_label"]),
                _e(r["template"] or ""),
            )
            for r in reviews
        )
        html = [_HEAD, f"\n  <ul>{rows}</ul>\n  "]
    else:
        html = [_HEAD, '<p class="empty">No review yet.</p>']
    html.append("\n  ")
    if can_start:
        chosen = selectors.default_template(templates, team=incident.team, kind=incident.kind)
        options = "".join(
            f'<option value="{_e(t.pk)}"{" selected" if t == chosen else ""}>{_e(t.name)}'
            + (f" (opens after {_e(t.cooling_off_hours)} h)" if t.cooling_off_hours else "")
            + "</option>"
            for t in templates
        )
        action = _e(reverse("reviews:create"))
        html.append(
            _FORM.format(action=action, csrf=csrf_field, pk=_e(incident.pk), options=options)
        )
    html.append("\n</section>\n")
    return mark_safe("".join(html))  # every value was escaped above
