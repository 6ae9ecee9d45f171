"""Writes for reviews and review templates.

Keyword-only, typed functions named ``<entity>_<verb>``. Validation problems are raised as one
:class:`ApplicationError` naming each bad field (``content.<section>.<n>.<field>`` for review
content, ``sections.<n>.<field>`` for templates), and nothing is half-saved.

No lost edits: every content save carries the ``version`` the writer started from and is a
conditional ``UPDATE … WHERE id = %s AND version = %s``. If somebody saved in between, no row
matches and :class:`ReviewConflict` is raised with the current version, so the caller can show
both versions and let the person choose. Every successful save is kept as a ReviewRevision.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from learnloop.accounts.models import Membership, Team, User
from learnloop.accounts.visibility import team_ids_of
from learnloop.actions.models import Action
from learnloop.actions.services import action_create, next_step_errors
from learnloop.core.errors import ApplicationError, PermissionDenied
from learnloop.core.models import Visibility
from learnloop.core.versioning import StaleVersion
from learnloop.reviews.models import (
    SECTION_TYPES,
    ContributingFactor,
    Learning,
    PrivateNote,
    Review,
    ReviewRevision,
    ReviewTemplate,
    Status,
    TimelineEntry,
)
from learnloop.reviews.selectors import COUNTABLE_TYPES, publish_missing

TITLE_MAX = 200
TEXT_MAX = 20000
ITEM_MAX = 5000
ITEMS_MAX = 200
MIN_COUNT_MAX = 50
COOLING_OFF_MAX_HOURS = 24 * 30
SECTIONS_MAX = 30
KEY_RE = re.compile(r"^[a-z0-9_]{1,40}$")
FACTOR_CATEGORIES = {c for c, _ in ContributingFactor.Category.choices}
LEARNING_REVIEW_SLUG = "24-hour-learning-review"


class ReviewConflict(StaleVersion):
    """A stale save: somebody saved version ``current_version`` after the writer started.
    The shared StaleVersion (same 409 body everywhere), carrying the saved review for the
    editor's per-section conflict page."""

    def __init__(self, review: Review) -> None:
        super().__init__(
            f"Someone else saved this review (now version {review.version}) while you were "
            "editing. Nothing was overwritten: compare both versions and choose.",
            current_version=review.version,
        )
        self.review = review


def _raise(
    errors: dict[str, list[str]], message: str = "Please correct the marked fields."
) -> None:
    if errors:
        raise ApplicationError(message, fields=errors)


def _require_member(actor: User, team: Team) -> None:
    if team.pk not in team_ids_of(actor):
        raise PermissionDenied("Only members of the team write its reviews.")


# --- templates -------------------------------------------------------------------------------


def _int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None


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
    hours = _int(cooling_off_hours if cooling_off_hours not in (None, "") else 0)
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
        key = str(raw.get("key") or "").strip().lower()
        title = str(raw.get("title") or "").strip()
        type_ = str(raw.get("type") or "").strip()
        prompt = str(raw.get("prompt") or "").strip()
        min_count = _int(raw.get("min_count") if raw.get("min_count") not in (None, "") else 0)
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
            errors[prefix + "type"] = [f"Choose one of: {', '.join(SECTION_TYPES)}."]
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
                "Rich text cannot be counted; use a list, learnings or next steps for a minimum."
            ]
        cleaned_sections.append(
            {
                "key": key,
                "title": title,
                "type": type_,
                "prompt": prompt,
                "min_count": min_count or 0,
            }
        )
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
    _require_member(actor, team)
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
) -> ReviewTemplate:
    """Edit a team's template. Existing reviews keep their own snapshot of the sections."""
    if template.is_shipped or template.team is None:
        raise PermissionDenied("Shipped templates are copied to a team, then edited.")
    _require_member(actor, template.team)
    cleaned, errors = template_clean(
        name=name, description=description, cooling_off_hours=cooling_off_hours, sections=sections
    )
    _raise(errors, "The template was not saved: please correct the marked fields.")
    with transaction.atomic():
        for field, value in cleaned.items():
            setattr(template, field, value)
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
        if _int(overrides.get("cooling_off_hours")) is not None:
            hours = max(0, min(COOLING_OFF_MAX_HOURS, _int(overrides["cooling_off_hours"])))
        for section in sections:
            key = {"learnings": "min_learnings", "next_steps": "min_next_steps"}.get(
                section["type"]
            )
            if key and _int(overrides.get(key)) is not None:
                section["min_count"] = max(0, min(MIN_COUNT_MAX, _int(overrides[key])))
    return sections, hours


# --- reviews ---------------------------------------------------------------------------------


def _iso(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")


def _seed_timeline(incident: Any) -> list[dict[str, str]]:
    entries = []
    for field, label in [
        ("started_at", "Started"),
        ("detected_at", "Detected"),
        ("acknowledged_at", "Acknowledged"),
        ("resolved_at", "Resolved"),
    ]:
        value = getattr(incident, field, None)
        if value:
            entries.append({"at": _iso(value), "text": label})
    entries.sort(key=lambda e: e["at"])
    return entries


def review_create(
    *,
    actor: User,
    template: ReviewTemplate,
    team: Team | None = None,
    incident: Any = None,
    title: str = "",
    visibility: str | None = None,
) -> Review:
    """Start a review from a template, for an incident (its team) or for ``team``.

    The template's sections are copied into the review, so later template edits never change
    a review in progress. Timelines are seeded from the incident's four times.
    """
    errors: dict[str, list[str]] = {}
    if incident is not None:
        team = incident.team
    if team is None:
        raise ApplicationError("Choose a team.", fields={"team": ["Choose a team."]})
    _require_member(actor, team)
    if not template.is_shipped and template.team_id != team.pk:
        errors["template"] = ["Choose a shipped template or one of this team's templates."]
    title = (title or "").strip() or (f"Review: {incident.title}" if incident else template.name)
    if len(title) > TITLE_MAX:
        errors["title"] = [f"At most {TITLE_MAX} characters."]
    if visibility in (None, ""):
        visibility = incident.visibility if incident is not None else Visibility.TEAM
    if visibility not in Visibility.values:
        errors["visibility"] = [f"Choose one of: {', '.join(Visibility.values)}."]
    _raise(errors)
    sections, hours = effective_rules(template, team)
    content: dict[str, Any] = {}
    for section in sections:
        if section["type"] == "timeline" and incident is not None:
            content[section["key"]] = _seed_timeline(incident)
    now = timezone.now()
    with transaction.atomic():
        review = Review(
            team=team,
            visibility=visibility,
            incident=incident,
            template=template,
            sections=sections,
            title=title[:TITLE_MAX],
            content=content,
            version=1,
            opens_at=now + dt.timedelta(hours=hours) if hours else None,
            created_by=actor,
        )
        review.full_clean()
        review.save()
        review.participants.add(actor)
        _rewrite_children(review)
        ReviewRevision.objects.create(
            review=review,
            version=1,
            author=actor,
            title=review.title,
            content=content,
            summary=f"Started from “{template.name}”",
        )
    return review


def _parse_at(value: Any) -> dt.datetime | None:
    if isinstance(value, dt.datetime):
        parsed = value
    else:
        text = str(value or "").strip()
        if not text:
            return None
        parsed = parse_datetime(text.replace(" ", "T") if "T" not in text else text)
        if parsed is None:
            return None
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed, timezone.get_current_timezone())
    return parsed


def content_clean(*, review: Review, content: Any) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """Normalise what the editor or API sent against the review's sections.

    Blank rows are dropped, timeline entries are sorted by time, next steps are checked
    (owner in the team, date, kind) and keep the action they already became. Unknown keys are
    ignored; sections not sent keep their saved value.
    """
    errors: dict[str, list[str]] = {}
    if not isinstance(content, dict):
        return {}, {"content": ["Send the content as an object keyed by section."]}
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
            if type_ in ("list", "learnings"):
                text = str(item.get("text", "") if isinstance(item, dict) else (item or "")).strip()
                if not text:
                    continue
                if len(text) > ITEM_MAX:
                    errors[ip] = [f"At most {ITEM_MAX} characters."]
                items.append(text)
            elif type_ == "timeline":
                item = item if isinstance(item, dict) else {}
                text = str(item.get("text") or "").strip()
                at_raw = item.get("at")
                if not text and not at_raw:
                    continue
                at = _parse_at(at_raw)
                if at is None:
                    errors[ip + ".at"] = ["Enter a date and time, e.g. 2026-03-01 14:05."]
                if not text:
                    errors[ip + ".text"] = ["Say what happened at this time."]
                elif len(text) > ITEM_MAX:
                    errors[ip + ".text"] = [f"At most {ITEM_MAX} characters."]
                items.append({"at": _iso(at) if at else "", "text": text})
            elif type_ == "factors":
                item = item if isinstance(item, dict) else {}
                text = str(item.get("description") or "").strip()
                category = str(item.get("category") or "").strip()
                if not text:
                    continue
                if category not in FACTOR_CATEGORIES:
                    errors[ip + ".category"] = ["Choose a category."]
                if len(text) > ITEM_MAX:
                    errors[ip + ".description"] = [f"At most {ITEM_MAX} characters."]
                items.append({"category": category, "description": text})
            elif type_ == "next_steps":
                item = item if isinstance(item, dict) else {}
                title = str(item.get("title") or "").strip()
                if not title:
                    continue
                owner = item.get("owner")
                owner_given = owner not in ("", None)
                owner_id = _int(owner) if owner_given else None
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
                action_id = _int(item.get("action_id"))
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


def _rewrite_children(review: Review) -> None:
    """Rewrite the queryable child rows (timeline, factors, learnings) from ``review.content``."""
    TimelineEntry.objects.filter(review=review).delete()
    ContributingFactor.objects.filter(review=review).delete()
    Learning.objects.filter(review=review).delete()
    timeline, factors, learnings = [], [], []
    for section in review.sections:
        value = (review.content or {}).get(section["key"]) or []
        if section["type"] == "timeline":
            for i, e in enumerate(value):
                at = _parse_at(e.get("at"))
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


def _changed_summary(
    review: Review, before: dict[str, Any], after: dict[str, Any], title_changed: bool
) -> str:
    changed = [s["title"] for s in review.sections if before.get(s["key"]) != after.get(s["key"])]
    if title_changed:
        changed.insert(0, "Title")
    if not changed:
        return "No changes"
    text = "Changed: " + ", ".join(changed)
    return text if len(text) <= 200 else text[:197] + "…"


def _check_open(review: Review) -> None:
    if review.opens_at and timezone.now() < review.opens_at:
        raise ApplicationError(
            "This review is cooling off and opens for writing at "
            f"{timezone.localtime(review.opens_at):%Y-%m-%d %H:%M %Z}.",
            code="cooling_off",
            fields={"opens_at": [review.opens_at.isoformat()]},
        )


def _create_actions(actor: User, review: Review, content: dict[str, Any]) -> int:
    """Turn next steps that have no action yet into actions (linked to the review)."""

    created = 0
    owners = {}
    for section in review.sections:
        if section["type"] != "next_steps":
            continue
        for i, step in enumerate(content.get(section["key"]) or []):
            if step.get("action_id"):
                continue
            owner = None
            if step.get("owner"):
                owner = owners.get(step["owner"]) or User.objects.filter(pk=step["owner"]).first()
                owners[step["owner"]] = owner
            try:
                action = action_create(
                    actor=actor,
                    team=review.team,
                    title=step["title"],
                    review=review,
                    owner=owner,
                    due_date=step.get("due_date"),
                    kind=step.get("kind") or "prevent",
                )
            except ApplicationError as exc:
                fields = {
                    f"content.{section['key']}.{i}.{k}": v for k, v in (exc.fields or {}).items()
                }
                raise ApplicationError(
                    "A next step could not become an action.", fields=fields
                ) from None
            step["action_id"] = action.pk
            created += 1
    return created


def review_content_save(
    *,
    actor: User,
    review: Review,
    version: int,
    content: Any,
    title: str | None = None,
) -> Review:
    """Save what was written, if nobody saved since ``version``; else raise ReviewConflict."""
    _require_member(actor, review.team)
    _check_open(review)
    cleaned, errors = content_clean(review=review, content=content)
    if title is not None:
        title = title.strip()
        if not title:
            errors["title"] = ["Give the review a title."]
        elif len(title) > TITLE_MAX:
            errors["title"] = [f"At most {TITLE_MAX} characters."]
    version = _int(version)
    if version is None:
        errors["version"] = ["Send the version you started from."]
    _raise(errors)
    new_title = title if title is not None else review.title
    with transaction.atomic():
        current = Review.objects.select_for_update().get(pk=review.pk)
        if current.version != version:
            raise ReviewConflict(current)
        before = current.content or {}
        current.content = cleaned
        if current.status == Status.PUBLISHED:
            _create_actions(actor, current, cleaned)
        updated = Review.objects.filter(pk=review.pk, version=version).update(
            content=cleaned, title=new_title, version=F("version") + 1, updated_at=timezone.now()
        )
        if updated != 1:  # pragma: no cover - the row lock makes this unreachable on PostgreSQL
            raise ReviewConflict(Review.objects.get(pk=review.pk))
        summary = _changed_summary(current, before, cleaned, new_title != current.title)
        current.refresh_from_db()
        _rewrite_children(current)
        ReviewRevision.objects.create(
            review=current,
            version=current.version,
            author=actor,
            title=current.title,
            content=cleaned,
            summary=summary,
        )
    for field in ("content", "title", "version", "updated_at"):
        setattr(review, field, getattr(current, field))
    return review


def _bump(actor: User, review: Review, summary: str, **changes: Any) -> Review:
    """Write status changes as a new version too, so a concurrent editor sees the conflict."""
    Review.objects.filter(pk=review.pk).update(
        version=F("version") + 1, updated_at=timezone.now(), **changes
    )
    review.refresh_from_db()
    ReviewRevision.objects.create(
        review=review,
        version=review.version,
        author=actor,
        title=review.title,
        content=review.content,
        summary=summary,
    )
    return review


TRANSITIONS = {
    (Status.DRAFT, Status.IN_REVIEW),
    (Status.IN_REVIEW, Status.DRAFT),
}


def review_set_status(*, actor: User, review: Review, status: str) -> Review:
    """Draft ⇄ in review. Publishing goes through :func:`review_publish` and its rules."""
    _require_member(actor, review.team)
    if status == Status.PUBLISHED:
        return review_publish(actor=actor, review=review)
    if status not in Status.values:
        raise ApplicationError(
            "Unknown status.", fields={"status": [f"Choose one of: {', '.join(Status.values)}."]}
        )
    if (review.status, status) not in TRANSITIONS:
        raise ApplicationError(
            f"A review cannot move from {review.get_status_display().lower()} to "
            f"{Status(status).label.lower()}.",
            fields={"status": ["Draft → in review → published; in review can go back to draft."]},
        )
    with transaction.atomic():
        return _bump(actor, review, f"Status: {Status(status).label}", status=status)


def review_publish(*, actor: User, review: Review) -> Review:
    """Publish if the cooling-off has passed and the minimum counts are met.

    Next steps without an action become actions (linked to the review) in the same transaction.
    """
    _require_member(actor, review.team)
    with transaction.atomic():
        current = Review.objects.select_for_update().select_related("team").get(pk=review.pk)
        if current.status == Status.PUBLISHED:
            raise ApplicationError(
                "This review is already published.", fields={"status": ["Already published."]}
            )
        _check_open(current)
        missing = publish_missing(current)
        if missing:
            first = next(iter(missing.values()))[0]
            raise ApplicationError(
                f"Not published yet: {' '.join(m for ms in missing.values() for m in ms)}"
                if len(missing) > 1
                else f"Not published yet: {first}",
                code="incomplete",
                fields=missing,
            )
        content = dict(current.content or {})
        created = _create_actions(actor, current, content)
        summary = "Published" + (
            f"; {created} action{'s' if created != 1 else ''} created" if created else ""
        )
        _bump(
            actor,
            current,
            summary,
            status=Status.PUBLISHED,
            published_at=timezone.now(),
            content=content,
        )
    review.refresh_from_db()
    return review


def review_set_participants(*, actor: User, review: Review, user_ids: list[Any]) -> Review:
    """Participants are members of the review's team."""
    _require_member(actor, review.team)
    ids = set()
    for value in user_ids:
        uid = _int(value)
        if uid is None:
            raise ApplicationError(
                "Unknown person.", fields={"participants": ["Choose members of the team."]}
            )
        ids.add(uid)
    members = set(
        Membership.objects.filter(team_id=review.team_id, user_id__in=ids).values_list(
            "user_id", flat=True
        )
    )
    if ids - members:
        raise ApplicationError(
            "Participants must be members of the team.",
            fields={"participants": ["Choose members of the team."]},
        )
    with transaction.atomic():
        review.participants.set(members)
    return review


def private_note_save(*, actor: User, review: Review, body: str) -> PrivateNote | None:
    """The writer's own notes space while the review cools off: one note per person.

    Saving an empty note deletes it.
    """
    _require_member(actor, review.team)
    body = (body or "").strip()
    if len(body) > 20000:
        raise ApplicationError(
            "The note is too long.", fields={"body": ["At most 20000 characters."]}
        )
    with transaction.atomic():
        note = PrivateNote.objects.filter(review=review, author=actor).first()
        if not body:
            if note is not None:
                note.delete()
            return None
        if note is None:
            note = PrivateNote(review=review, author=actor)
        note.body = body
        note.full_clean()
        note.save()
    return note
