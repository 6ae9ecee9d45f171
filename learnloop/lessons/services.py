"""Writes for lessons and their "applied here" records.

Every lesson write goes through these functions, which call :mod:`learnloop.lessons.hooks`
inside the same transaction so a search index can be kept exactly in step. Keyword-only, typed,
``<entity>_<verb>``; problems are raised as one :class:`ApplicationError` naming each bad field.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from learnloop.accounts.models import Team, User
from learnloop.accounts.visibility import can_see, team_ids_of
from learnloop.core.errors import (
    ApplicationError,
    Conflict,
    NotFound,
    PermissionDenied,
    validation_error_fields,
)
from learnloop.core.models import Visibility
from learnloop.core.sql import count_of
from learnloop.core.tags import check_tag_names, parse_tag_names, tag_key, tags_set
from learnloop.core.validation import id_or_none
from learnloop.core.versioning import claim_version, require_version
from learnloop.incidents.models import Incident
from learnloop.lessons import hooks
from learnloop.lessons.events import emit_created
from learnloop.lessons.models import (
    CONTEXT_MAX,
    STATEMENT_MAX,
    Lesson,
    LessonApplication,
    SourceKind,
    TargetKind,
)
from learnloop.reviews.models import Review, Status

EDITABLE_FIELDS = ("statement", "context", "tags", "visibility", "source_url", "source_label")
UPDATABLE_COLUMNS = ("statement", "context", "visibility", "source_url", "source_label")
STALE_MESSAGE = (
    "Someone else saved this lesson while you were editing it. Nothing was overwritten: "
    "compare both versions and choose."
)
_UNSET: Any = object()


def _require_member(actor: User, team: Team, what: str = "its lessons") -> None:
    if team.pk not in team_ids_of(actor) or team.organisation_id != actor.organisation_id:
        raise PermissionDenied(f"Only members of the team can change {what}.")


def _validate(lesson: Lesson) -> None:
    errors: dict[str, list[str]] = {}
    lesson.statement = (lesson.statement or "").strip()
    lesson.context = (lesson.context or "").strip()
    if not lesson.statement:
        errors["statement"] = ["Write the lesson in one short sentence."]
    elif len(lesson.statement) > STATEMENT_MAX:
        errors["statement"] = [
            f"At most {STATEMENT_MAX} characters (this has {len(lesson.statement)}); "
            "move the detail to the context."
        ]
    if len(lesson.context) > CONTEXT_MAX:
        errors["context"] = [f"At most {CONTEXT_MAX} characters (this has {len(lesson.context)})."]
    if errors:
        raise ApplicationError("The lesson has invalid fields.", fields=errors)
    try:
        lesson.full_clean(
            exclude=[
                "tags",
                "team",
                "created_by",
                "source_review",
                "learning",
                "source_debrief_entry",
                "source_experiment",
            ]
        )
    except ValidationError as exc:
        raise ApplicationError(
            "The lesson has invalid fields.", fields=validation_error_fields(exc)
        ) from None


def lesson_save(
    lesson: Lesson,
    tag_names: list[str] | None,
    *,
    version: int | None = None,
    submitted: dict[str, Any] | None = None,
) -> Lesson:
    """Validate and write ``lesson`` (and its tags, when given) in one transaction; creating,
    editing and the import all call it, so they share the rules. With ``version`` (an edit) the write
    happens only if nobody saved since; otherwise StaleVersion, and nothing is written."""
    _validate(lesson)
    if tag_names is not None:
        check_tag_names(tag_names)
    try:
        with transaction.atomic():
            if version is None:
                lesson.save()
            else:
                lesson.version = claim_version(
                    Lesson,
                    pk=lesson.pk,
                    version=version,
                    message=STALE_MESSAGE,
                    submitted=submitted,
                    saved=saved_values,
                )
                lesson.save(update_fields=[*UPDATABLE_COLUMNS, "version", "updated_at"])
            if tag_names is not None:
                tags_set(lesson, tag_names, anonymous=lesson.is_anonymous)
            hooks.lesson_changed(lesson.pk)
    except IntegrityError:
        raise Conflict(
            "A lesson with this external id already exists in the team.",
            fields={"external_id": ["Already used in this team."]},
        ) from None
    return lesson


def lesson_create(
    *,
    actor: User | None,
    team: Team,
    statement: str,
    context: str = "",
    tags: str | Iterable[str] | None = None,
    visibility: str = Visibility.TEAM,
    source_kind: str = SourceKind.MANUAL,
    source_review: Any = None,
    source_retro: Any = None,
    learning: Any = None,
    source_debrief_entry: Any = None,
    source_url: str = "",
    source_experiment: Any = None,
    source_label: str = "",
    external_id: str | None = None,
    is_anonymous: bool = False,
) -> Lesson:
    """Create a lesson in ``team``. ``actor`` None is for trusted callers (import, demo, and an
    anonymous share from a journal, which checked the membership itself)."""
    if actor is not None:
        _require_member(actor, team)
    if source_kind not in SourceKind.values:
        raise ApplicationError(
            "Unknown source kind.",
            fields={"source_kind": [f"One of: {', '.join(SourceKind.values)}."]},
        )
    lesson = Lesson(
        team=team,
        statement=statement,
        context=context,
        visibility=visibility,
        source_kind=source_kind,
        source_review=source_review,
        source_retro=source_retro,
        source_experiment=source_experiment,
        learning=learning,
        source_debrief_entry=source_debrief_entry,
        source_url=source_url or "",
        source_label=source_label or "",
        created_by=actor,
        external_id=external_id or None,
        is_anonymous=is_anonymous,
    )
    with transaction.atomic():
        lesson_save(lesson, parse_tag_names(tags))
        emit_created(lesson)
    return lesson


def saved_values(lesson: Lesson) -> dict[str, Any]:
    """The editable fields as saved (tags as names), to compare with a stale submission."""
    values: dict[str, Any] = {name: getattr(lesson, name) for name in UPDATABLE_COLUMNS}
    values["tags"] = sorted(tag_key(t.name) for t in lesson.tags.all())
    return values


def lesson_update(
    *,
    actor: User | None,
    lesson: Lesson,
    version: int | str | None,
    statement: str = _UNSET,
    context: str = _UNSET,
    tags: str | Iterable[str] | None = _UNSET,
    visibility: str = _UNSET,
    source_url: str = _UNSET,
    source_label: str = _UNSET,
) -> Lesson:
    """Change what a lesson says if nobody saved since ``version`` (else StaleVersion). Its
    source never changes: that is its history."""
    if actor is not None:
        _require_member(actor, lesson.team)
    version = require_version(version)
    values = {
        "statement": statement,
        "context": context,
        "visibility": visibility,
        "source_url": source_url,
        "source_label": source_label,
    }
    fresh = Lesson.objects.select_related("team").get(pk=lesson.pk)
    submitted: dict[str, Any] = {}
    for name, value in values.items():
        if value is not _UNSET:
            submitted[name] = value if value is not None else ""
            setattr(fresh, name, submitted[name])
    tag_names = None if tags is _UNSET else parse_tag_names(tags)
    if tag_names is not None:
        submitted["tags"] = sorted(tag_key(n) for n in tag_names)
    lesson_save(fresh, tag_names, version=version, submitted=submitted)
    return fresh


def lesson_delete(*, actor: User | None, lesson: Lesson) -> None:
    if actor is not None:
        _require_member(actor, lesson.team)
    with transaction.atomic():
        hooks.lesson_deleted(lesson.pk)
        lesson.delete()


def first_sentence(text: str, limit: int = STATEMENT_MAX) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    match = re.match(r"(.+?[.!?])(\s|$)", text)
    sentence = match.group(1) if match else text
    if len(sentence) > limit:
        sentence = sentence[: limit - 1].rsplit(" ", 1)[0] + "…"
    return sentence


def lessons_from_review(
    *, actor: User, review: Review, learning_ids: Sequence[int | str]
) -> list[Lesson]:
    """Promote chosen learnings of a published review to lessons (one lesson per learning).

    Learnings that already became a lesson are skipped, so promoting twice is harmless. The
    lesson inherits the review's team, visibility and its incident's tags.
    """
    if not can_see(actor, review):
        raise NotFound()
    _require_member(actor, review.team, "its reviews")
    if review.status != Status.PUBLISHED:
        raise ApplicationError(
            "Only a published review's learnings can become lessons.",
            fields={"review": ["Publish the review first."]},
        )
    wanted = {id_or_none(i) for i in learning_ids}
    if None in wanted:
        raise ApplicationError(
            "Choose learnings of this review.", fields={"learnings": ["Invalid choice."]}
        )
    if not wanted:
        raise ApplicationError(
            "Choose at least one learning.", fields={"learnings": ["Choose at least one."]}
        )
    learnings = list(review.learnings.filter(pk__in=wanted).select_related("lesson"))
    if len(learnings) != len(wanted):
        raise ApplicationError(
            "Choose learnings of this review.", fields={"learnings": ["Invalid choice."]}
        )
    tag_names: list[str] = []
    if review.incident_id:
        tag_names = list(review.incident.tags.values_list("name", flat=True))
    created = []
    with transaction.atomic():
        for learning in learnings:
            if getattr(learning, "lesson", None) is not None:
                continue
            text = learning.text.strip()
            statement = first_sentence(text)
            context = "" if statement == re.sub(r"\s+", " ", text) else text
            created.append(
                lesson_create(
                    actor=actor,
                    team=review.team,
                    statement=statement,
                    context=context[:CONTEXT_MAX],
                    tags=tag_names,
                    visibility=review.visibility,
                    source_kind=SourceKind.REVIEW,
                    source_review=review,
                    learning=learning,
                    source_label=review.title[:200],
                )
            )
    return created


def lesson_recount(*, lesson_id: int) -> None:
    """Recompute the denormalised count from the applications table (one UPDATE)."""
    Lesson.objects.filter(pk=lesson_id).update(
        applied_count=count_of(LessonApplication.objects.all(), "lesson_id")
    )


def _target_of(
    actor: User, *, target_kind: str, target: Any, target_id: Any, target_url: str
) -> tuple[Incident | None, Team, int | None]:
    """The (incident, team, target id) an application is recorded on; the actor must see it."""
    incident = None
    team: Team | None = None
    if target_id is not None:
        target_id = id_or_none(target_id, signed=True)  # an unreadable id matches nothing
    if target_kind == TargetKind.INCIDENT:
        if target is None and target_id is not None:
            target = (
                Incident.objects.visible_to(actor)
                .select_related("team")
                .filter(pk=target_id)
                .first()
            )
        if target is None or not can_see(actor, target):
            raise ApplicationError(
                "Choose an incident you can see.", fields={"target_id": ["Choose an incident."]}
            )
        incident, team, target_id = target, target.team, target.pk
    elif target_kind == TargetKind.REVIEW:
        if target is None and target_id is not None:
            target = (
                Review.objects.visible_to(actor).select_related("team").filter(pk=target_id).first()
            )
        if target is None or not can_see(actor, target):
            raise ApplicationError(
                "Choose a review you can see.", fields={"target_id": ["Choose a review."]}
            )
        team, target_id = target.team, target.pk
    elif target is not None:
        # A target of an app above lessons (a deliverable): the caller resolved it through the
        # visibility rule; it counts for its own team.
        if not can_see(actor, target):
            raise ApplicationError(
                "Choose a target you can see.", fields={"target_id": ["Not found."]}
            )
        team, target_id = target.team, target.pk
    else:
        # Without a resolved target (experiments, outside links): recorded by URL.
        if not target_url:
            raise ApplicationError(
                "Give the link of the experiment or deliverable.",
                fields={"target_url": ["This field is required."]},
            )
        target_id = None
        mine = team_ids_of(actor)
        team = Team.objects.filter(pk__in=mine[:1]).first() if mine else None
        if team is None:
            raise PermissionDenied("Join a team first.")
    assert team is not None
    return incident, team, target_id


def lesson_apply(
    *,
    actor: User,
    lesson: Lesson,
    target_kind: str = TargetKind.INCIDENT,
    target: Any = None,
    target_id: int | None = None,
    target_url: str = "",
    note: str = "",
) -> tuple[LessonApplication, bool]:
    """Record that ``lesson`` was applied on a target; returns (application, created).

    The actor must see both the lesson and the target. The same target counts once: applying
    again returns the existing record with ``created=False``.
    """
    if not can_see(actor, lesson):
        raise NotFound()
    if target_kind not in TargetKind.values:
        raise ApplicationError(
            "Unknown target kind.",
            fields={"target_kind": [f"One of: {', '.join(TargetKind.values)}."]},
        )
    if len(note or "") > 500:
        raise ApplicationError(
            "The note is too long.", fields={"note": ["At most 500 characters."]}
        )
    incident, team, target_id = _target_of(
        actor, target_kind=target_kind, target=target, target_id=target_id, target_url=target_url
    )
    application = LessonApplication(
        lesson=lesson,
        team=team,
        target_kind=target_kind,
        target_id=target_id,
        target_url=target_url or "",
        incident=incident,
        note=(note or "").strip(),
        applied_by=actor,
    )
    try:
        application.full_clean(exclude=["lesson", "team", "incident", "applied_by"])
    except ValidationError as exc:
        raise ApplicationError(
            "The application has invalid fields.", fields=validation_error_fields(exc)
        ) from None
    existing = LessonApplication.objects.filter(lesson=lesson, target_kind=target_kind)
    existing = (
        existing.filter(target_id=target_id)
        if target_id is not None
        else existing.filter(target_id__isnull=True, target_url=target_url)
    )
    with transaction.atomic():
        found = existing.select_for_update().first()
        if found is not None:
            return found, False
        try:
            with transaction.atomic():
                application.save()
        except IntegrityError:
            return existing.get(), False
        lesson_recount(lesson_id=lesson.pk)
    lesson.refresh_from_db(fields=["applied_count"])
    return application, True


def lesson_unapply(*, actor: User, application: LessonApplication) -> None:
    """Withdraw an "applied here" record: the person who made it, or a member of its team."""
    if application.applied_by_id != actor.pk and application.team_id not in team_ids_of(actor):
        raise PermissionDenied("Only the person who recorded it or the team can withdraw it.")
    with transaction.atomic():
        application.delete()  # the post_delete receiver recounts
