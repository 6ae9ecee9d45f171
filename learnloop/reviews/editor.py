"""Turning the editor's HTML form into review content, and review content into form rows.

The form posts parallel lists per section (``c-<key>-at`` and ``c-<key>-text`` for a
timeline, for example). Blank rows are dropped here, before validation, so that the row numbers
in the service's error keys (``content.<key>.<n>.<field>``) match the rows shown again.
"""

from __future__ import annotations

from typing import Any

from django.http import QueryDict
from django.utils import timezone
from django.utils.dateparse import parse_date

from learnloop.coach.engine import vague_learning
from learnloop.reviews.content import ITEM_FIELDS, parse_at
from learnloop.reviews.models import ContributingFactor, Review

#: The form posts every field an entry takes, and no other (the service refuses others).
ROW_FIELDS = ITEM_FIELDS
KEY_FIELD = {"timeline": "text", "factors": "description", "next_steps": "title"}
#: What one row is called on its Move up / Move down / Remove buttons (lists use the title).
ROW_NOUNS = {
    "learnings": "learning",
    "timeline": "timeline entry",
    "factors": "contributing factor",
    "next_steps": "next step",
}


def due_date_past(step: dict[str, Any], today: Any) -> bool:
    """A next step not yet an action whose due date is before ``today`` (it would be overdue
    from the start): the editor warns, it does not refuse (an action may be written up late)."""
    try:
        due = parse_date(str(step.get("due_date") or ""))
    except ValueError:  # an impossible date: the row shows its error instead
        return False
    return bool(due and not step.get("action_id") and due < today)


def content_from_post(review: Review, data: QueryDict) -> dict[str, Any]:
    content: dict[str, Any] = {}
    for section in review.sections:
        key, type_ = section["key"], section["type"]
        name = f"c-{key}"
        if type_ == "rich_text":
            if name in data:
                content[key] = data.get(name, "")
            continue
        fields = ROW_FIELDS[type_]
        columns = {f: data.getlist(f"{name}-{f}") for f in fields}
        if not any(f"{name}-{f}" in data for f in fields):
            continue
        length = max((len(v) for v in columns.values()), default=0)
        rows = []
        for i in range(length):
            row = {f: (columns[f][i] if i < len(columns[f]) else "").strip() for f in fields}
            if type_ == "timeline":
                if not row["text"] and not row["at"]:
                    continue
            elif not row[KEY_FIELD.get(type_, "text")]:
                continue
            rows.append(row["text"] if type_ in ("list", "learnings") else row)
        content[key] = rows
    return content


def _at_input(value: Any) -> str:
    parsed = parse_at(value) if value else None
    if parsed is None:
        return str(value or "")
    return timezone.localtime(parsed).strftime("%Y-%m-%dT%H:%M")


def editor_sections(
    review: Review,
    content: dict[str, Any],
    errors: dict[str, list[str]] | None = None,
    theirs: dict[str, Any] | None = None,
) -> list[dict[str, Any]]:
    """What the editor template needs per section: value or rows (with blanks), errors, theirs."""
    errors = errors or {}
    today = timezone.localdate()
    out = []
    for section in review.sections:
        key, type_ = section["key"], section["type"]
        p = f"content.{key}"
        item: dict[str, Any] = {
            "s": section,
            "name": f"c-{key}",
            "errors": errors.get(p, []),
            "theirs": (theirs or {}).get(key) if theirs is not None else None,
            "has_theirs": theirs is not None,
        }
        if type_ == "rich_text":
            item["value"] = content.get(key, "")
        else:
            rows = []
            for i, value in enumerate(content.get(key) or []):
                row = {"text": value} if type_ in ("list", "learnings") else dict(value)
                if type_ == "timeline":
                    row["at"] = _at_input(row.get("at"))
                if type_ == "next_steps":
                    row["due_past"] = due_date_past(row, today)
                if type_ == "learnings":
                    row["vague"] = vague_learning(str(value))
                row["errors"] = {f: errors.get(f"{p}.{i}.{f}", []) for f in ROW_FIELDS[type_]}
                row["row_errors"] = errors.get(f"{p}.{i}", [])
                rows.append(row)
            filled = len(rows)
            blanks = max(1, int(section.get("min_count") or 0) - filled)
            for _ in range(blanks):
                rows.append({"errors": {}, "row_errors": [], "blank": True})
            item["rows"] = rows
            item["blank"] = {"errors": {}, "row_errors": [], "blank": True}
            item["row_noun"] = ROW_NOUNS.get(type_, section["title"])
        out.append(item)
    return out


FACTOR_LABELS = dict(ContributingFactor.Category.choices)


def as_text(review: Review, content: dict[str, Any], title: str) -> str:
    """A plain-text rendering of a snapshot, for the history diff."""
    lines = [f"# {title}", ""]
    for section in review.sections:
        value = content.get(section["key"])
        lines.append(f"## {section['title']}")
        type_ = section["type"]
        if type_ == "rich_text":
            lines.extend((value or "").splitlines() or [""])
        else:
            for entry in value or []:
                if type_ == "timeline":
                    lines.append(
                        f"- {_at_input(entry.get('at')).replace('T', ' ')} {entry.get('text')}"
                    )
                elif type_ == "factors":
                    label = FACTOR_LABELS.get(entry.get("category"), entry.get("category"))
                    lines.append(f"- [{label}] {entry.get('description')}")
                elif type_ == "next_steps":
                    lines.append(f"- {entry.get('title')} (due {entry.get('due_date') or '—'})")
                else:
                    lines.append(f"- {entry}")
        lines.append("")
    return "\n".join(lines)
