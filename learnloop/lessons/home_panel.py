"""The home-page panel: the newest lessons the user can see, only when there are some."""

from __future__ import annotations

from django.http import HttpRequest
from django.template.loader import render_to_string

from learnloop.lessons.selectors import lessons_visible
from learnloop.web.home_panels import register


@register(40)
def recent_lessons(request: HttpRequest) -> str:
    lessons = list(
        lessons_visible(request.user).select_related("team").order_by("-created_at", "-id")[:5]
    )
    if not lessons:
        return ""
    return render_to_string("lessons/_home_panel.html", {"lessons": lessons}, request=request)
