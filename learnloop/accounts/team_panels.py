"""Sections of a team's page contributed by domain apps (the learning-share rotation, …).

Accounts sit below the domain apps, so they register here from their ``AppConfig.ready``; a
panel is a function of the request and the team returning HTML, or "" when it has nothing."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest
from django.utils.safestring import SafeString, mark_safe

from learnloop.accounts.models import Team

Panel = Callable[[HttpRequest, Team], str]
PANELS: list[tuple[int, Panel]] = []


def register(order: int) -> Callable[[Panel], Panel]:
    def add(func: Panel) -> Panel:
        if func not in [p for _, p in PANELS]:
            PANELS.append((order, func))
        return func

    return add


def render_all(request: HttpRequest, team: Team) -> list[SafeString]:
    out = []
    for _, func in sorted(PANELS, key=lambda p: p[0]):
        html = func(request, team)
        if html:
            out.append(mark_safe(html))  # panels render templates (autoescaped)
    return out
