"""Export a review as Markdown with YAML front matter, and as a printable HTML page.

The Markdown document uses the front matter of the postmortem corpus (``uuid``, ``url``,
``title``, ``start_time``, ``end_time``, ``categories``, ``keywords``, ``company``,
``product``, ``summary``) so that Learnloop's importer, and any tool that reads the corpus,
reads an export back. Every value is a single-line scalar or a ``- item`` list, as in the
corpus, so even a line-based reader copes (docs/decisions/0043-review-export-format.md).
The printable page is the same document rendered with the one sanitising Markdown renderer.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from typing import Any

import yaml
from django.utils.safestring import SafeString

from learnloop.actions.models import Action
from learnloop.core.markdown import render_markdown
from learnloop.reviews.meeting import review_url
from learnloop.reviews.models import ContributingFactor, Review

EXPORT_NAMESPACE = uuid.UUID("6f1c1d5e-3a0b-4c52-9a59-1f6a2c0de7a1")
SUMMARY_CHARS = 600
TEXT_KEYS = ("text", "body", "description", "title", "value")


# --- front matter --------------------------------------------------------------------------


def _one_line(value: object) -> str:
    return " ".join(str(value).split())


def _timestamp(value: dt.datetime | None) -> str | None:
    if value is None:
        return None
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class _FrontMatterDumper(yaml.SafeDumper):
    """PyYAML's safe dumper, with times written as ``2026-03-03T09:15:00Z`` (a YAML timestamp)."""


def _represent_datetime(dumper: yaml.SafeDumper, value: dt.datetime) -> yaml.ScalarNode:
    return dumper.represent_scalar("tag:yaml.org,2002:timestamp", _timestamp(value) or "")


_FrontMatterDumper.add_representer(dt.datetime, _represent_datetime)


def _dump(data: object) -> str:
    return yaml.dump(
        data,
        Dumper=_FrontMatterDumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=float("inf"),
    )


def _one_line_value(value: object) -> object:
    if isinstance(value, dt.datetime | dt.date | bool | int | float):
        return value
    return _one_line(value)


def yaml_scalar(value: object) -> str:
    """A single-line YAML scalar, as PyYAML writes it (plain when that reads back unchanged)."""
    return _dump({"k": _one_line_value(value)}).removeprefix("k: ").rstrip("\n")


def front_matter(fields: dict[str, Any]) -> str:
    """The ``---`` block: the one front-matter writer of Learnloop (YAML through PyYAML).

    Empty values are left out; every value is a single-line scalar or a ``- item`` list.
    """
    kept: dict[str, Any] = {}
    for key, value in fields.items():
        if value is None or value == "":
            continue
        if isinstance(value, list | tuple):
            kept[key] = [_one_line_value(item) for item in value]
        else:
            kept[key] = _one_line_value(value)
    return "---\n" + (_dump(kept) if kept else "") + "---\n"


def review_uuid(review: Review) -> str:
    """The corpus ``uuid``: kept from an imported review, else stable per review and install."""
    if review.external_id:
        try:
            return str(uuid.UUID(review.external_id))
        except ValueError:
            pass
    return str(uuid.uuid5(EXPORT_NAMESPACE, review_url(review)))


def _summary(review: Review) -> str:
    for section in review.sections or []:
        if section.get("type") == "rich_text":
            text = _plain(_text_of(review.content.get(section.get("key"))))
            if text:
                return text if len(text) <= SUMMARY_CHARS else text[: SUMMARY_CHARS - 1] + "…"
    return ""


def _plain(markdown: str) -> str:
    """Markdown reduced to one line of plain words for the summary field."""
    text = re.sub(r"[#>*_`\[\]]+", "", markdown)
    return _one_line(text)


def review_front_matter(review: Review) -> dict[str, Any]:
    incident = review.incident
    keywords: list[str] = []
    categories: list[str] = []
    if incident is not None:
        keywords = [tag.name for tag in incident.tags.all()]
        if incident.kind == "security_event":
            categories.append("security")
    return {
        "uuid": review_uuid(review),
        "url": review_url(review),
        "title": review.title,
        "start_time": incident.started_at if incident else None,
        "end_time": incident.resolved_at if incident else None,
        "categories": categories,
        "keywords": keywords,
        "company": review.team.organisation.name,
        "product": review.team.name,
        "summary": _summary(review),
        "source_published_at": review.published_at,
        "status": review.status,
        "team": review.team.slug,
        "template": review.template.name if review.template else None,
        "incident_kind": incident.kind if incident else None,
        "severity": (incident.severity or None) if incident else None,
    }


# --- body ----------------------------------------------------------------------------------


def _text_of(value: object) -> str:
    """Section content as text, whatever shape the editor stored (string, dict, list)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        for key in TEXT_KEYS:
            if value.get(key):
                return str(value[key])
        return ""
    if isinstance(value, list):
        return "\n".join(f"- {_one_line(_text_of(item))}" for item in value if _text_of(item))
    return str(value)


def _items(value: object) -> list[object]:
    if isinstance(value, list):
        return value
    if isinstance(value, dict) and isinstance(value.get("items"), list):
        return value["items"]
    return []


def _when(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")


def _timeline(review: Review) -> list[str]:
    return [f"- **{_when(e.at)}** — {_one_line(e.text)}" for e in review.timeline.all()]


def _factors(review: Review) -> list[str]:
    labels = dict(ContributingFactor.Category.choices)
    return [
        f"- **{labels.get(f.category, f.category)}**: {_one_line(f.description)}"
        for f in review.factors.all()
    ]


def _learnings(review: Review) -> list[str]:
    return [f"{i}. {_one_line(item.text)}" for i, item in enumerate(review.learnings.all(), 1)]


def _action_line(action: Action) -> str:
    """One action as a task-list line: kind, status, owner, due date and tracker link."""
    box = "x" if action.status == "done" else " "
    details = [action.get_kind_display(), action.get_status_display()]
    if action.owner:
        details.append(f"owner {action.owner.name}")
    if action.due_date:
        details.append(f"due {action.due_date:%Y-%m-%d}")
    line = f"- [{box}] {_one_line(action.title)} ({', '.join(details)})"
    if action.external_url:
        line += f" <{action.external_url}>"
    return line


def _next_steps(review: Review, value: object, shown: set[int]) -> list[str]:
    """Next steps; a step that became an action is shown as that action (once, here)."""
    actions = {a.pk: a for a in review.actions.all()}
    lines = []
    for item in _items(value):
        action_id = item.get("action_id") if isinstance(item, dict) else None
        action = actions.get(action_id) if isinstance(action_id, int) else None
        if action is not None:
            shown.add(action.pk)
            lines.append(_action_line(action))
        elif text := _one_line(_text_of(item)):
            lines.append(f"- {text}")
    return lines


ROWS_FROM_TABLES = {"timeline": _timeline, "factors": _factors, "learnings": _learnings}


def _section_body(review: Review, section: dict[str, Any], done: set[str], shown: set[int]) -> str:
    """A section's Markdown. Typed sections read their rows from the child tables; next
    steps that became actions show the action (``shown`` collects their ids)."""
    kind = str(section.get("type") or "")
    value = (review.content or {}).get(section.get("key"))
    if kind == "next_steps":
        return "\n".join(_next_steps(review, value, shown))
    if kind in ROWS_FROM_TABLES:
        done.add(kind)
        rows = ROWS_FROM_TABLES[kind](review)
        if rows:
            return "\n".join(rows)
    if kind in ("list", *ROWS_FROM_TABLES):
        items = [_one_line(_text_of(item)) for item in _items(value)]
        return "\n".join(f"- {item}" for item in items if item)
    return _text_of(value).strip()


def review_markdown_body(review: Review) -> str:
    parts = [f"# {_one_line(review.title)}", ""]
    done: set[str] = set()
    shown: set[int] = set()
    titles = set()
    for section in review.sections or []:
        body = _section_body(review, section, done, shown)
        titles.add(_one_line(section.get("title") or section.get("key") or ""))
        parts += [f"## {_one_line(section.get('title') or section.get('key') or '')}", ""]
        parts += [body or "_Nothing written yet._", ""]
    extras = [
        ("timeline", "Timeline", _timeline),
        ("factors", "Contributing factors", _factors),
        ("learnings", "Learnings", _learnings),
    ]
    for key, title, rows_of in extras:
        rows = [] if key in done else rows_of(review)
        if rows:
            parts += [f"## {title}", "", *rows, ""]
    # Actions not shown with their next step (e.g. added on the actions page), under one
    # heading that no section already uses: a page never has two "Actions" sections.
    actions = [_action_line(a) for a in review.actions.all() if a.pk not in shown]
    if actions:
        heading = "Other actions" if "Actions" in titles else "Actions"
        parts += [f"## {heading}", "", *actions, ""]
    return "\n".join(parts).rstrip() + "\n"


def _prefetched(review: Review) -> Review:
    """Load everything the export reads in a fixed number of queries."""
    return (
        Review.objects.select_related("team__organisation", "template", "incident")
        .prefetch_related("timeline", "factors", "learnings", "actions__owner", "incident__tags")
        .get(pk=review.pk)
    )


def review_to_markdown(review: Review) -> str:
    """The whole review as one Markdown document: front matter, then the body."""
    review = _prefetched(review)
    return front_matter(review_front_matter(review)) + "\n" + review_markdown_body(review)


def review_print_html(review: Review) -> tuple[Review, SafeString]:
    """The review body rendered for the printable page (sanitised)."""
    review = _prefetched(review)
    body = review_markdown_body(review)
    # The printable page shows the title in its own header.
    body = body.split("\n", 2)[2] if body.startswith("# ") else body
    return review, render_markdown(body)


def export_filename(review: Review) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", review.title.lower()).strip("-")[:60] or "review"
    return f"review-{review.pk}-{slug}.md"
