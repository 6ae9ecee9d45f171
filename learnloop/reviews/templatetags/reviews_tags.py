"""Filters of the review pages (the incident page's reviews panel is ``reviews.incident_panel``)."""

from __future__ import annotations

from typing import Any

from django import template

from learnloop.reviews.content import parse_at
from learnloop.reviews.models import ContributingFactor

register = template.Library()


@register.filter
def iso_local(value: Any) -> str:
    """An ISO timestamp from review content, shown in the display time zone."""
    from django.utils import timezone

    parsed = parse_at(value) if value else None
    return timezone.localtime(parsed).strftime("%Y-%m-%d %H:%M") if parsed else str(value or "")


@register.filter
def factor_label(value: Any) -> str:
    return dict(ContributingFactor.Category.choices).get(value, value)


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    try:
        return mapping.get(key, "") if mapping else ""
    except AttributeError:
        return ""
