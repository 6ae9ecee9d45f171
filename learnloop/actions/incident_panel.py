"""Actions on the incident page: the panel's HTML built by Python code (decision 0238).

Why not a template: an anonymous report's page is kept in no cache (decisions 0010, 0175) and
so is rendered on every view, where the template engine cost more than the panel's reads. It
answers the bytes ``actions/_for_incident.html`` did (compared when it replaced it).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django.template.defaultfilters import date as date_filter
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from learnloop.accounts.visibility import team_ids_of
from learnloop.actions.selectors import incident_panel
from learnloop.incidents.models import Incident
from learnloop.web.chrome import text as _e

_HEAD = (
    '\n<section aria-labelledby="incident-actions-h" class="incident-actions">\n'
    '<h2 id="incident-actions-h">Actions</h2>\n'
)
_FORM = (
    "\n<details>\n<summary>Add action</summary>\n"
    '<form method="post" action="{action}" novalidate>{csrf}\n'
    '  <input type="hidden" name="team" value="{team_id}">\n'
    '  <input type="hidden" name="incident" value="{pk}">\n'
    '  <input type="hidden" name="next" value="{next}">\n'
    '  <label for="incident-action-title">Title <span aria-hidden="true">*</span></label>\n'
    '  <input id="incident-action-title" name="title" maxlength="200" required>\n'
    '  <label for="incident-action-due">Due date</label>\n'
    '  <input id="incident-action-due" name="due_date" type="date">\n'
    '  <label for="incident-action-kind">Kind</label>\n'
    '  <select id="incident-action-kind" name="kind">\n'
    '    <option value="prevent">Prevent</option><option value="detect">Detect</option>'
    '<option value="mitigate">Mitigate</option><option value="process">Process</option>'
    '<option value="learn">Learn</option>\n'
    "  </select>\n"
    '  <button type="submit">Add action</button>\n'
    "  <small>Owner, link and details can be set on the action's page; "
    '<a href="{action}?incident={pk}&amp;team={slug}&amp;next={next_q}">open the full form</a>.'
    "</small>\n</form>\n</details>\n"
)


def _row(action: dict[str, Any]) -> str:
    html = f'<li><a href="{_e(action["url"])}">{_e(action["title"])}</a> · {_e(action["status_label"])}'
    if action["owner"] is not None:
        html += f" · {_e(action['owner'])}"
    if action["due_date"]:
        html += f" · due {_e(date_filter(action['due_date'], 'j M Y'))}"
    if action["is_overdue"]:
        html += ' <span class="badge overdue">overdue</span>'
    return html + "</li>"


def panel_html(request: Any, incident: Incident, csrf_field: str) -> SafeString:
    """The actions of ``incident`` the viewer may see and, for its team's members, the short
    form to add one. ``csrf_field`` is the request's ``{% csrf_token %}``."""
    user: Any = getattr(request, "user", None)
    signed_in = user is not None and user.is_authenticated
    actions = incident_panel(user=user, incident_id=incident.pk) if signed_in else []
    html = [_HEAD]
    if actions:
        html.append("\n<ul>" + "".join(_row(a) for a in actions) + "</ul>\n")
    else:
        html.append('<p class="empty">No actions yet.</p>')
    html.append("\n")
    if signed_in and incident.team_id in team_ids_of(user):
        path = request.get_full_path()
        html.append(
            _FORM.format(
                action=_e(reverse("actions:create")),
                csrf=csrf_field,
                team_id=_e(incident.team_id),
                pk=_e(incident.pk),
                next=_e(path),
                slug=_e(incident.team.slug),
                next_q=_e(quote(path, safe="/")),
            )
        )
    html.append("\n</section>\n")
    return mark_safe("".join(html))  # every value was escaped above
