"""A review's content: normalising what the editor or API sent against the review's sections
(limits, dates, rows, next steps) and rewriting the rows derived from it (timeline entries,
contributing factors, learnings).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from learnloop.accounts.models import Membership
from learnloop.actions.models import Action
from learnloop.actions.services import next_step_errors
from learnloop.core.errors import ApplicationError
from learnloop.core.validation import id_or_none, parse_datetime_in_range, unknown_field_message
from learnloop.reviews.models import ContributingFactor, Learning, Review, TimelineEntry

TEXT_MAX = 20000


ITEM_MAX = 5000


ITEMS_MAX = 200


FACTOR_CATEGORIES = {c for c, _ in ContributingFactor.Category.choices}

#: The fields an entry of each list-like section takes (a list entry may also be plain text).
ITEM_FIELDS = {
    "list": ("text",),
    "learnings": ("text",),
    "timeline": ("at", "text"),
    "factors": ("category", "description"),
    "next_steps": ("title", "owner", "due_date", "kind", "action_id"),
}


def to_int(value: Any) -> int | None:
    """A whole number that fits a 64-bit column (ASCII digits), or None."""
    return id_or_none(value, signed=True)


def iso(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")


def parse_at(value: Any) -> dt.datetime | None:
    """A timeline time (years 1900–2200), or None when it is not one."""
    try:
        return parse_datetime_in_range(value, "at")
    except ApplicationError:
        return None


def item_text_errors(text: str) -> list[str]:
    """The rule for one list entry or learning (already trimmed, not empty)."""
    return [f"At most {ITEM_MAX} characters."] if len(text) > ITEM_MAX else []


def timeline_entry_check(at_raw: Any, text: str) -> tuple[dt.datetime | None, dict[str, list[str]]]:
    """One timeline entry: its time (None when it is not one in years 1900–2200) and the
    problems by field (``at``, ``text``). The editor, the API and the import all use it."""
    errors: dict[str, list[str]] = {}
    at = parse_at(at_raw)
    if at is None:
        errors["at"] = ["Enter a date and time, e.g. 2026-03-01 14:05."]
    if not text:
        errors["text"] = ["Say what happened at this time."]
    elif problems := item_text_errors(text):
        errors["text"] = problems
    return at, errors


def factor_errors(category: str, description: str) -> dict[str, list[str]]:
    """One contributing factor's problems by field (``category``, ``description``)."""
    errors: dict[str, list[str]] = {}
    if category not in FACTOR_CATEGORIES:
        errors["category"] = ["Choose a category."]
    if problems := item_text_errors(description):
        errors["description"] = problems
    return errors


def unknown_keys(value: Any, known: Any, path: str, errors: dict[str, list[str]]) -> None:
    """Refuse, naming ``<path>.<key>``, every key of the object ``value`` not in ``known``:
    a misspelt ``due_dat`` is an error, never a next step saved without its date (0235)."""
    if isinstance(value, dict):
        for key in value:
            if key not in known:
                errors[f"{path}.{key}"] = [unknown_field_message(str(key), known)]


def content_clean(  # noqa: C901 - 26; split it per section type and drop this (decision 0005)
    *, review: Review, content: Any
) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """Normalise what the editor or API sent against the review's sections.

    Blank rows are dropped, timeline entries are sorted by time, next steps are checked
    (owner in the team, date, kind) and keep the action they already became. A key that is
    not one of the review's sections, or not a field of an entry, is refused naming its path
    (``content.next_steps.0.due_dat``); sections not sent keep their saved value.
    """
    errors: dict[str, list[str]] = {}
    if not isinstance(content, dict):
        return {}, {"content": ["Send the content as an object keyed by section."]}
    unknown_keys(content, [section["key"] for section in review.sections], "content", errors)
    old = review.content or {}
    result: dict[str, Any] = {}
    member_ids = None
    for section in review.sections:
        key, type_ = section["key"], section["type"]
        if key not in content:
            if key in old:
                result[key] = old[key]
            continue
        raw = content[key]
        p = f"content.{key}"
        if type_ == "rich_text":
            text = "" if raw is None else str(raw)
            if len(text) > TEXT_MAX:
                errors[p] = [f"At most {TEXT_MAX} characters."]
            result[key] = text.strip()
            continue
        if not isinstance(raw, list):
            errors[p] = ["Send a list."]
            continue
        if len(raw) > ITEMS_MAX:
            errors[p] = [f"At most {ITEMS_MAX} entries."]
            continue
        items: list[Any] = []
        for i, item in enumerate(raw):
            ip = f"{p}.{i}"
            unknown_keys(item, ITEM_FIELDS.get(type_, ()), ip, errors)
            if type_ in ("list", "learnings"):
                text = str(item.get("text", "") if isinstance(item, dict) else (item or "")).strip()
                if not text:
                    continue
                if text_problems := item_text_errors(text):
                    errors[ip] = text_problems
                items.append(text)
            elif type_ == "timeline":
                item = item if isinstance(item, dict) else {}
                text = str(item.get("text") or "").strip()
                at_raw = item.get("at")
                if not text and not at_raw:
                    continue
                at, problems = timeline_entry_check(at_raw, text)
                errors.update({f"{ip}.{name}": messages for name, messages in problems.items()})
                items.append({"at": iso(at) if at else "", "text": text})
            elif type_ == "factors":
                item = item if isinstance(item, dict) else {}
                text = str(item.get("description") or "").strip()
                category = str(item.get("category") or "").strip()
                if not text:
                    continue
                problems = factor_errors(category, text)
                errors.update({f"{ip}.{name}": messages for name, messages in problems.items()})
                items.append({"category": category, "description": text})
            elif type_ == "next_steps":
                item = item if isinstance(item, dict) else {}
                title = str(item.get("title") or "").strip()
                if not title:
                    continue
                owner = item.get("owner")
                owner_given = owner not in ("", None)
                owner_id = to_int(owner) if owner_given else None
                if owner_id is not None and member_ids is None:
                    member_ids = set(
                        Membership.objects.filter(team_id=review.team_id).values_list(
                            "user_id", flat=True
                        )
                    )
                due = str(item.get("due_date") or "").strip()
                kind = str(item.get("kind") or Action.Kind.PREVENT)
                # A next step becomes an action on publishing: the actions' own rules apply.
                problems = next_step_errors(
                    team=review.team,
                    title=title,
                    # An unreadable owner is nobody's id: refused like a non-member.
                    owner_id=-1 if owner_given and owner_id is None else owner_id,
                    due_date=due,
                    kind=kind,
                    member_ids=member_ids,
                )
                for name, messages in problems.items():
                    errors[f"{ip}.{name}"] = messages
                step: dict[str, Any] = {
                    "title": title,
                    "owner": owner_id,
                    "due_date": due or None,
                    "kind": kind,
                }
                action_id = to_int(item.get("action_id"))
                step["action_id"] = action_id if action_id else None
                items.append(step)
        if type_ == "timeline":
            items.sort(key=lambda e: e["at"])
        if type_ == "next_steps":
            # Keep only action links that really belong to this review.
            linked = {s["action_id"] for s in items if s.get("action_id")}
            if linked:
                real = (
                    set(review.actions.filter(pk__in=linked).values_list("pk", flat=True))
                    if review.pk
                    else set()
                )
                for s in items:
                    if s.get("action_id") and s["action_id"] not in real:
                        s["action_id"] = None
        result[key] = items
    return result, errors


def rewrite_children(review: Review) -> None:
    """Rewrite the queryable child rows (timeline, factors, learnings) from ``review.content``."""
    TimelineEntry.objects.filter(review=review).delete()
    ContributingFactor.objects.filter(review=review).delete()
    Learning.objects.filter(review=review).delete()
    timeline: list[TimelineEntry] = []
    factors: list[ContributingFactor] = []
    learnings: list[Learning] = []
    for section in review.sections:
        value = (review.content or {}).get(section["key"]) or []
        if section["type"] == "timeline":
            for i, e in enumerate(value):
                at = parse_at(e.get("at"))
                if at:
                    timeline.append(TimelineEntry(review=review, at=at, text=e["text"], position=i))
        elif section["type"] == "factors":
            factors.extend(
                ContributingFactor(
                    review=review, category=f["category"], description=f["description"], position=i
                )
                for i, f in enumerate(value)
            )
        elif section["type"] == "learnings":
            learnings.extend(
                Learning(review=review, text=t, position=len(learnings) + i)
                for i, t in enumerate(value)
            )
    TimelineEntry.objects.bulk_create(timeline)
    ContributingFactor.objects.bulk_create(factors)
    Learning.objects.bulk_create(learnings)
