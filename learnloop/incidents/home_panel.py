"""The home-page panel: recent incidents the user can see, only when there are some."""

from __future__ import annotations

from django.http import HttpRequest
from django.template.loader import render_to_string

from learnloop.incidents.selectors import incident_list
from learnloop.web.home_panels import register


@register(20)
def recent_incidents(request: HttpRequest) -> str:
    incidents = list(incident_list(user=request.user)[:5])
    if not incidents:
        return ""
    return render_to_string("incidents/_home_panel.html", {"incidents": incidents}, request=request)
