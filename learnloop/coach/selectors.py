"""Reads for the coach: a review's flags (through the visibility rule), counts per review for
the culture metrics, the monthly trend per team, and the summary shown before publishing."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone

from learnloop.coach.models import CoachFlag, FlagStatus, TargetType

_FIELD = re.compile(r"^c-(?P<key>.+?)(?:-text|-description)?#\d+$")


def review_text_fields(review: Any) -> list[tuple[str, str, str]]:
    """``(field_key, section_key, text)`` for every free-text field of a review, with the same
    field keys the editor's script sends (``<input name>#<index among same-named fields>``)."""
    content = review.content or {}
    out: list[tuple[str, str, str]] = []
    for section in review.sections or []:
        key, type_ = section.get("key"), section.get("type")
        value = content.get(key)
        if type_ == "rich_text":
            if isinstance(value, str) and value.strip():
                out.append((f"c-{key}#0", key, value))
            continue
        attr = {"list": "text", "learnings": "text", "timeline": "text", "factors": "description"}
        if type_ not in attr or not isinstance(value, list):
            continue
        for i, row in enumerate(value):
            text = row if isinstance(row, str) else (row or {}).get(attr[type_], "")
            if isinstance(text, str) and text.strip():
                out.append((f"c-{key}-{attr[type_]}#{i}", key, text))
    return out


def flags_for_review(*, user: Any, review_id: Any) -> QuerySet[CoachFlag]:
    """The flags of a review ``user`` can see (404 otherwise, never 403)."""
    from learnloop.reviews.selectors import review_get_visible

    review = review_get_visible(user=user, pk=review_id)
    return CoachFlag.objects.filter(review=review).select_related("dismissed_by", "resolved_by")


def coach_counts_for_review(review: Any) -> dict[str, Any]:
    """Flags raised, open, resolved and dismissed for one review, and raised per signal.

    The caller has the review already (through the visibility rule). "Raised" counts flags that
    are kept: sentences still in the text, or hints someone resolved or dismissed."""
    qs = CoachFlag.objects.filter(review=review)
    totals = qs.aggregate(
        raised=Count("id"),
        open=Count("id", filter=Q(status=FlagStatus.OPEN)),
        resolved=Count("id", filter=Q(status=FlagStatus.RESOLVED)),
        dismissed=Count("id", filter=Q(status=FlagStatus.DISMISSED)),
    )
    by_signal = dict(
        qs.values_list("signal")
        .annotate(n=Count("id"))
        .order_by("signal")
        .values_list("signal", "n")
    )
    return {**totals, "by_signal": by_signal}


def coach_trend(team: Any, months: int = 6) -> list[dict[str, Any]]:
    """Per month (oldest first, ``months`` of them up to this one): reviews started, flags kept
    on those reviews, flags per review, resolved and dismissed. Two grouped queries."""
    from learnloop.reviews.models import Review

    months = max(1, min(int(months), 60))
    now = timezone.localtime()
    first = now.date().replace(day=1)
    for _ in range(months - 1):
        first = (first - dt.timedelta(days=1)).replace(day=1)
    since = timezone.make_aware(dt.datetime.combine(first, dt.time()))
    reviews = dict(
        Review.objects.filter(team=team, created_at__gte=since)
        .annotate(m=TruncMonth("created_at"))
        .values_list("m")
        .annotate(n=Count("id"))
        .values_list("m", "n")
    )
    flags = (
        CoachFlag.objects.filter(review__team=team, review__created_at__gte=since)
        .annotate(m=TruncMonth("review__created_at"))
        .values("m")
        .annotate(
            raised=Count("id"),
            resolved=Count("id", filter=Q(status=FlagStatus.RESOLVED)),
            dismissed=Count("id", filter=Q(status=FlagStatus.DISMISSED)),
        )
    )
    by_month: dict[dt.date, dict[str, int]] = {}
    for row in flags:
        by_month[_as_date(row["m"])] = row
    review_counts = {_as_date(m): n for m, n in reviews.items()}
    out = []
    month = first
    for _ in range(months):
        row = by_month.get(month, {})
        n_reviews = review_counts.get(month, 0)
        raised = row.get("raised", 0)
        out.append(
            {
                "month": month,
                "reviews": n_reviews,
                "flags": raised,
                "flags_per_review": round(raised / n_reviews, 2) if n_reviews else 0.0,
                "resolved": row.get("resolved", 0),
                "dismissed": row.get("dismissed", 0),
            }
        )
        month = (month + dt.timedelta(days=32)).replace(day=1)
    return out


def _as_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.date().replace(day=1)
    return value.replace(day=1)


def review_publish_summary(review: Any) -> dict[str, Any]:
    """Open hints per section of the review as saved now, for the summary shown before
    publishing. Computed from the text (so it is right even if no browser checked it) minus
    the sentences someone resolved or dismissed."""
    from learnloop.coach.engine import analyse
    from learnloop.coach.labels import signal_label
    from learnloop.coach.services import (
        MAX_TEXT_BYTES,
        accepted_hashes_for,
        clean_text,
        org_member_names,
        sentence_hash,
    )

    closed = set(
        CoachFlag.objects.filter(target_type=TargetType.REVIEW, target_id=review.pk)
        .exclude(status=FlagStatus.OPEN)
        .values_list("sentence_hash", flat=True)
    )
    closed |= accepted_hashes_for(TargetType.REVIEW, review.pk)
    names = org_member_names(review.team.organisation_id)
    titles = {s.get("key"): s.get("title") or s.get("key") for s in review.sections or []}
    per_section: dict[str, list[dict[str, str]]] = {}
    seen: set[str] = set()
    for _field, section, text in review_text_fields(review):
        text = clean_text(text)
        if len(text.encode("utf-8")) > MAX_TEXT_BYTES:
            continue
        for f in analyse(text, names=names):
            h = sentence_hash(text[f.sentence_start : f.sentence_end])
            if h in closed or h in seen:
                continue
            seen.add(h)
            per_section.setdefault(section, []).append(
                {
                    "span": text[f.start : f.end],
                    "signal": f.signal,
                    "label": signal_label(f.signal),
                    "message": f.message,
                }
            )
    sections = [
        {"key": key, "title": titles.get(key, key), "count": len(items), "hints": items}
        for key, items in per_section.items()
    ]
    signals = Counter(h["signal"] for s in sections for h in s["hints"])
    return {
        "open": sum(s["count"] for s in sections),
        "sections": sections,
        "closed": CoachFlag.objects.filter(review=review).exclude(status=FlagStatus.OPEN).count(),
        "by_signal": dict(signals),
    }
