from __future__ import annotations

from django import template

from learnloop.transcripts.analysis import percent

register = template.Library()


@register.filter
def clock(ms: int | None) -> str:
    """Milliseconds as m:ss, or h:mm:ss from an hour."""
    seconds = int(ms or 0) // 1000
    minutes, seconds = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02}:{seconds:02}" if hours else f"{minutes}:{seconds:02}"


@register.filter
def share_percent(share: float | None) -> int:
    return percent(share or 0.0)
