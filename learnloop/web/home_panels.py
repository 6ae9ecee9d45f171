"""Sections of the signed-in home page. Each domain app registers a function returning HTML
(or '' when it has nothing real to show), so the home page only ever shows what exists."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest
from django.utils.safestring import SafeString, mark_safe

Panel = Callable[[HttpRequest], str]
PANELS: list[tuple[int, Panel]] = []


def register(order: int) -> Callable[[Panel], Panel]:
    def add(func: Panel) -> Panel:
        PANELS.append((order, func))
        return func

    return add


def render_all(request: HttpRequest) -> list[SafeString]:
    out = []
    for _, func in sorted(PANELS, key=lambda p: p[0]):
        html = func(request)
        if html:
            out.append(mark_safe(html))
    return out
