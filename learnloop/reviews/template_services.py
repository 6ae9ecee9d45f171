"""Writes for review templates: validate a template's sections, copy a shipped template into a
team, update a team's template, and the effective sections and cooling-off time of a
template for a team.
"""

from __future__ import annotations

import re
from typing import Any

from django.db import transaction

from learnloop.accounts.models import Team, User
from learnloop.core.errors import PermissionDenied
from learnloop.core.versioning import claim_version, require_version
from learnloop.reviews.content import to_int
from learnloop.reviews.models import SECTION_TYPE_LABELS, SECTION_TYPES, ReviewTemplate
from learnloop.reviews.selectors import COUNTABLE_TYPES
from learnloop.reviews.write_checks import raise_field_errors, require_member

MIN_COUNT_MAX = 50


COOLING_OFF_MAX_HOURS = 24 * 30


SECTIONS_MAX = 30


KEY_RE = re.compile(r"^[a-z0-9_]{1,40}$")


LEARNING_REVIEW_SLUG = "24-hour-learning-review"


def _section_clean(
    raw: dict[str, Any], prefix: str, seen: set[str], errors: dict[str, list[str]]
) -> dict[str, Any]:
    """One section of a template: its cleaned value; problems go to ``errors`` under ``prefix``
    and the key to ``seen`` (keys are unique within a template)."""
    key = str(raw.get("key") or "").strip().lower()
    title = str(raw.get("title") or "").strip()
    type_ = str(raw.get("type") or "").strip()
    prompt = str(raw.get("prompt") or "").strip()
    min_count = to_int(raw.get("min_count") if raw.get("min_count") not in (None, "") else 0)
    if not key:
        errors[prefix + "key"] = ["Give the section a key (letters, digits, underscores)."]
    elif not KEY_RE.match(key):
        errors[prefix + "key"] = [
            "Use only lowercase letters, digits and underscores (at most 40)."
        ]
    elif key in seen:
        errors[prefix + "key"] = [f"The key “{key}” is used twice; keys must be unique."]
    seen.add(key)
    if not title:
        errors[prefix + "title"] = ["Give the section a title."]
    elif len(title) > 120:
        errors[prefix + "title"] = ["At most 120 characters."]
    if type_ not in SECTION_TYPES:
        labels = ", ".join(SECTION_TYPE_LABELS.values())
        errors[prefix + "type"] = [f"Choose a type of section: {labels}."]
    if len(prompt) > 1000:
        errors[prefix + "prompt"] = ["At most 1000 characters."]
    if min_count is None or min_count < 0:
        errors[prefix + "min_count"] = ["Enter a whole number, 0 or more."]
    elif min_count > MIN_COUNT_MAX:
        errors[prefix + "min_count"] = [
            f"At most {MIN_COUNT_MAX}: nobody can meet a higher minimum."
        ]
    elif min_count > 0 and type_ in SECTION_TYPES and type_ not in COUNTABLE_TYPES:
        errors[prefix + "min_count"] = [
            "Free text cannot be counted; use a list, learnings or next steps for a minimum."
        ]
    return {
        "key": key,
        "title": title,
        "type": type_,
        "prompt": prompt,
        "min_count": min_count or 0,
    }


def template_clean(
    *, name: str, description: str, cooling_off_hours: Any, sections: Any
) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """Validate a template's fields; returns the cleaned values and the errors per field."""
    errors: dict[str, list[str]] = {}
    name = (name or "").strip()
    description = (description or "").strip()
    if not name:
        errors["name"] = ["Name the template."]
    elif len(name) > 120:
        errors["name"] = ["At most 120 characters."]
    if len(description) > 2000:
        errors["description"] = ["At most 2000 characters."]
    hours = to_int(cooling_off_hours if cooling_off_hours not in (None, "") else 0)
    if hours is None or hours < 0 or hours > COOLING_OFF_MAX_HOURS:
        errors["cooling_off_hours"] = [
            f"Enter a whole number of hours from 0 to {COOLING_OFF_MAX_HOURS}."
        ]
    cleaned_sections: list[dict[str, Any]] = []
    if not isinstance(sections, list) or not sections:
        errors["sections"] = ["Add at least one section."]
        sections = [] if not isinstance(sections, list) else sections
    elif len(sections) > SECTIONS_MAX:
        errors["sections"] = [f"At most {SECTIONS_MAX} sections."]
    seen: set[str] = set()
    for i, raw in enumerate(sections):
        prefix = f"sections.{i}."
        if not isinstance(raw, dict):
            errors[f"sections.{i}"] = ["Each section is an object with key, title and type."]
            continue
        cleaned_sections.append(_section_clean(raw, prefix, seen, errors))
    return (
        {
            "name": name,
            "description": description,
            "cooling_off_hours": hours or 0,
            "sections": cleaned_sections,
        },
        errors,
    )


def template_copy(
    *, actor: User, template: ReviewTemplate, team: Team, name: str = ""
) -> ReviewTemplate:
    """Copy a shipped (or this team's) template to ``team`` so the team can edit it."""
    require_member(actor, team)
    if not template.is_shipped and template.team_id != team.pk:
        raise PermissionDenied("This template belongs to another team.")
    name = (name or "").strip() or f"{template.name} ({team.name})"
    with transaction.atomic():
        copy = ReviewTemplate(
            organisation=team.organisation,
            team=team,
            name=name[:120],
            slug=template.slug,
            description=template.description,
            sections=[dict(s) for s in template.sections],
            cooling_off_hours=template.cooling_off_hours,
            is_shipped=False,
            copied_from=template,
        )
        copy.full_clean()
        copy.save()
    return copy


def template_update(
    *,
    actor: User,
    template: ReviewTemplate,
    name: str,
    description: str = "",
    cooling_off_hours: Any = 0,
    sections: Any,
    version: Any,
) -> ReviewTemplate:
    """Edit a team's template if nobody saved it since ``version`` (else StaleVersion).
    Existing reviews keep their own snapshot of the sections."""
    if template.is_shipped or template.team is None:
        raise PermissionDenied("Shipped templates are copied to a team, then edited.")
    require_member(actor, template.team)
    cleaned, errors = template_clean(
        name=name, description=description, cooling_off_hours=cooling_off_hours, sections=sections
    )
    raise_field_errors(errors, "The template was not saved: please correct the marked fields.")
    version = require_version(version)
    with transaction.atomic():
        new_version = claim_version(
            ReviewTemplate,
            pk=template.pk,
            version=version,
            message="Someone else saved this template while you were editing it. Nothing was "
            "overwritten: compare both versions and choose.",
            submitted=cleaned,
            saved=lambda current: {field: getattr(current, field) for field in cleaned},
        )
        for field, value in cleaned.items():
            setattr(template, field, value)
        template.version = new_version
        template.full_clean()
        template.save()
    return template


def effective_rules(template: ReviewTemplate, team: Team) -> tuple[list[dict[str, Any]], int]:
    """The template's sections and cooling-off period with the team's overrides applied.

    ``Team.settings["learning_review"] = {"cooling_off_hours", "min_learnings",
    "min_next_steps"}`` overrides the shipped 24-hour learning review only: a team's own copy
    carries its own numbers (docs/decisions/0020-review-rules.md).
    """
    sections = [dict(s) for s in template.sections]
    hours = template.cooling_off_hours
    if template.is_shipped and template.slug == LEARNING_REVIEW_SLUG:
        overrides = (team.settings or {}).get("learning_review") or {}
        if to_int(overrides.get("cooling_off_hours")) is not None:
            hours = max(0, min(COOLING_OFF_MAX_HOURS, to_int(overrides["cooling_off_hours"])))
        for section in sections:
            key = {"learnings": "min_learnings", "next_steps": "min_next_steps"}.get(
                section["type"]
            )
            if key and to_int(overrides.get(key)) is not None:
                section["min_count"] = max(0, min(MIN_COUNT_MAX, to_int(overrides[key])))
    return sections, hours
