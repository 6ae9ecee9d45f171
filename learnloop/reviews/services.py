"""Writes for reviews: start one, save its content, move it through its statuses and publish it,
its participants and the writer's private notes. Templates are in ``template_services.py``;
checking and normalising content against the sections is in ``content.py``.

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
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from learnloop.accounts.models import Membership, Team, User
from learnloop.actions.services import action_create
from learnloop.core.errors import ApplicationError
from learnloop.core.models import Visibility
from learnloop.core.versioning import StaleVersion
from learnloop.incidents.models import Incident
from learnloop.notifications.delivery import notify
from learnloop.notifications.models import Kind
from learnloop.reviews.content import content_clean, iso, rewrite_children, to_int
from learnloop.reviews.events import emit_published
from learnloop.reviews.models import PrivateNote, Review, ReviewRevision, ReviewTemplate, Status
from learnloop.reviews.selectors import publish_missing
from learnloop.reviews.template_services import effective_rules
from learnloop.reviews.write_checks import (
    TITLE_MAX,
    raise_field_errors,
    require_member,
    title_errors,
)


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


def _seed_timeline(incident: Incident) -> list[dict[str, str]]:
    entries = []
    for field, label in [
        ("started_at", "Started"),
        ("detected_at", "Detected"),
        ("acknowledged_at", "Acknowledged"),
        ("resolved_at", "Resolved"),
    ]:
        value = getattr(incident, field, None)
        if value:
            entries.append({"at": iso(value), "text": label})
    entries.sort(key=lambda e: e["at"])
    return entries


def default_title(template: ReviewTemplate, incident: Incident | None) -> str:
    """ "Checkout failed (incident review)": the incident named first, the kind of review after
    it, never a "Review:" prefix that pages and emails would double ("Review: Review: …")."""
    if incident is None:
        return template.name
    return f"{incident.title} ({template.name[:1].lower()}{template.name[1:]})"[:TITLE_MAX]


def review_create(
    *,
    actor: User,
    template: ReviewTemplate,
    team: Team | None = None,
    incident: Incident | None = None,
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
    require_member(actor, team)
    if not template.is_shipped and template.team_id != team.pk:
        errors["template"] = ["Choose a shipped template or one of this team's templates."]
    title = (title or "").strip() or default_title(template, incident)
    if problems := title_errors(title):
        errors["title"] = problems
    if visibility in (None, ""):
        visibility = incident.visibility if incident is not None else Visibility.TEAM
    if visibility not in Visibility.values:
        errors["visibility"] = [f"Choose one of: {', '.join(Visibility.values)}."]
    raise_field_errors(errors)
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
        rewrite_children(review)
        ReviewRevision.objects.create(
            review=review,
            version=1,
            author=actor,
            title=review.title,
            content=content,
            summary=f"Started from “{template.name}”",
        )
    return review


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
    """Save what was written, if nobody saved since ``version``; else raise ReviewConflict.
    A save that changes nothing writes no new version."""
    require_member(actor, review.team)
    _check_open(review)
    cleaned, errors = content_clean(review=review, content=content)
    if title is not None:
        title = title.strip()
        if problems := title_errors(title):
            errors["title"] = problems
    version = to_int(version)
    if version is None:
        errors["version"] = ["Send the version you started from."]
    raise_field_errors(errors)
    new_title = title if title is not None else review.title
    with transaction.atomic():
        current = Review.objects.select_for_update().get(pk=review.pk)
        if current.version != version:
            raise ReviewConflict(current)
        before = current.content or {}
        if cleaned == before and new_title == current.title:
            # Nothing changed (an autosave after a keystroke undone, Save pressed twice): no
            # new version, so History lists only versions that change something.
            for field in ("content", "title", "version", "updated_at"):
                setattr(review, field, getattr(current, field))
            return review
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
        rewrite_children(current)
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
    """Draft ⇄ in review. Publishing goes through :func:`review_publish` and its rules.
    Neither opens before the cooling-off period ends (nothing can be written before then)."""
    require_member(actor, review.team)
    if status == Status.PUBLISHED:
        return review_publish(actor=actor, review=review)
    _check_open(review)
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
    require_member(actor, review.team)
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
        notify(
            recipients=[*current.participants.all(), current.created_by],
            kind=Kind.PUBLISHED,
            text=f"{actor.name} published the review “{current.title}” ({current.team.name})",
            path=f"/reviews/{current.pk}/",
            actor=actor,
        )
        emit_published(current)
    review.refresh_from_db()
    return review


def review_set_participants(*, actor: User, review: Review, user_ids: list[Any]) -> Review:
    """Participants are members of the review's team."""
    require_member(actor, review.team)
    ids = set()
    for value in user_ids:
        uid = to_int(value)
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
        before = set(review.participants.values_list("pk", flat=True))
        review.participants.set(members)
        notify(
            recipients=User.objects.filter(pk__in=members - before),
            kind=Kind.PARTICIPANT,
            text=f"{actor.name} added you to the review “{review.title}” ({review.team.name})",
            path=f"/reviews/{review.pk}/",
            actor=actor,
        )
    return review


def private_note_save(*, actor: User, review: Review, body: str) -> PrivateNote | None:
    """The writer's own notes space while the review cools off: one note per person.

    Saving an empty note deletes it.
    """
    require_member(actor, review.team)
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
