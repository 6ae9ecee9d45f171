from __future__ import annotations

import logging
from typing import Any

from django import template

register = template.Library()
log = logging.getLogger(__name__)


@register.simple_tag
def coach_publish_summary(review: Any) -> dict[str, Any]:
    """Open hints per section of ``review`` (the template shows it only to its writers)."""
    from learnloop.coach.selectors import review_publish_summary

    try:
        return review_publish_summary(review)
    except Exception:
        log.exception("coach: summary of review %s failed", review.pk)
        return {"open": 0, "sections": [], "closed": 0, "by_signal": {}}
