"""Writes for drills and their findings. Keyword-only, typed, one transaction, per-field
ApplicationErrors; stale saves refused (decisions/0014). Campaigns: drills/campaigns.py."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction

from learnloop.accounts.models import Membership, Team, User
from learnloop.accounts.visibility import team_ids_of
from learnloop.actions import services as action_services
from learnloop.actions.models import Action
from learnloop.core.errors import ApplicationError, Conflict, PermissionDenied
from learnloop.core.models import Visibility
from learnloop.core.validation import MIN_YEAR, id_or_none
from learnloop.core.versioning import claim_version, require_version
from learnloop.drills.aar import AAR_KEYS
from learnloop.drills.models import TEXT_MAX, Drill, DrillKind, DrillStatus, Finding
from learnloop.lessons import services as lesson_services
from learnloop.lessons.models import Lesson, SourceKind

STALE_MESSAGE = (
    "Someone else saved this drill while you were editing it. Nothing was overwritten: compare "
    "both versions and choose."
)
FIELDS = ("title", "kind", "planned_for", "scenario", "status", "what_happened", "visibility")
_UNSET: Any = object()


def require_member(actor: User, team: Team) -> None:
    if team.pk not in team_ids_of(actor) or team.organisation_id != actor.organisation_id:
        raise PermissionDenied("Only members of the team can change its drills.")


def _team_people(team: Team, ids: Iterable[Any]) -> list[User]:
    wanted = {id_or_none(i) for i in ids}
    if None in wanted:
        raise ApplicationError("Choose people of the team.", fields={"participants": ["Invalid."]})
    people = list(User.objects.filter(pk__in=wanted, memberships__team=team).distinct())
    if len(people) != len(wanted):
        raise ApplicationError(
            "Choose people of the team.",
            fields={"participants": ["Only members of the team take part."]},
        )
    return people


def _clean(values: dict[str, Any]) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if "title" in values:
        values["title"] = " ".join((values["title"] or "").split())
        if not values["title"]:
            errors["title"] = ["Name the drill."]
        elif len(values["title"]) > 200:
            errors["title"] = ["At most 200 characters."]
    if "kind" in values and values["kind"] not in DrillKind.values:
        errors["kind"] = [f"One of: {', '.join(DrillKind.values)}."]
    if "status" in values and values["status"] not in DrillStatus.values:
        errors["status"] = [f"One of: {', '.join(DrillStatus.values)}."]
    if "visibility" in values and values["visibility"] not in Visibility.values:
        errors["visibility"] = ["Choose the team or the whole organisation."]
    if "planned_for" in values:
        day = values["planned_for"]
        if isinstance(day, str):
            try:
                day = values["planned_for"] = dt.date.fromisoformat(day)
            except ValueError:
                day = None
        if not isinstance(day, dt.date) or not MIN_YEAR <= day.year <= 2200:
            errors["planned_for"] = ["Give a date like 2026-12-31."]
    for name in ("scenario", "what_happened"):
        if name in values:
            values[name] = (values[name] or "").strip()
            if len(values[name]) > TEXT_MAX:
                errors[name] = [f"At most {TEXT_MAX} characters."]
    return errors


def drill_create(
    *,
    actor: User,
    team: Team,
    title: str,
    kind: str,
    planned_for: dt.date | str,
    scenario: str = "",
    facilitator: Any = None,
    participants: Iterable[Any] = (),
    visibility: str = Visibility.TEAM,
) -> Drill:
    require_member(actor, team)
    values: dict[str, Any] = {
        "title": title,
        "kind": kind,
        "planned_for": planned_for,
        "scenario": scenario,
        "visibility": visibility,
    }
    errors = _clean(values)
    people: list[User] = []
    try:
        people = _team_people(team, participants)
    except ApplicationError as exc:
        errors.update(exc.fields)
    lead = None
    if facilitator not in (None, ""):
        found = _team_people(team, [getattr(facilitator, "pk", facilitator)]) if not errors else []
        lead = found[0] if found else None
        if lead is None and not errors:
            errors["facilitator"] = ["Choose a member of the team."]
    if errors:
        raise ApplicationError("The drill has invalid fields.", fields=errors)
    with transaction.atomic():
        drill = Drill.objects.create(team=team, facilitator=lead, created_by=actor, **values)
        drill.participants.set(people)
    return drill


def saved_values(drill: Drill) -> dict[str, Any]:
    return {name: getattr(drill, name) for name in FIELDS}


def drill_update(
    *,
    actor: User,
    drill: Drill,
    version: int | str | None,
    after_action: Mapping[str, Any] | None = None,
    participants: Iterable[Any] | None = None,
    facilitator: Any = _UNSET,
    **changes: Any,
) -> Drill:
    """Change the drill (plan, run notes, status, after-action review) if nobody saved since
    ``version``. Saving an after-action review marks a run drill reviewed."""
    require_member(actor, drill.team)
    version = require_version(version)
    unknown = set(changes) - set(FIELDS)
    if unknown:
        raise ApplicationError("Unknown fields.", fields={k: ["Unknown field."] for k in unknown})
    errors = _clean(changes)
    if after_action is not None:
        extra = set(after_action) - set(AAR_KEYS)
        if extra:
            errors["after_action"] = [f"Answer the template's prompts: {', '.join(AAR_KEYS)}."]
        elif any(len(str(v or "")) > TEXT_MAX for v in after_action.values()):
            errors["after_action"] = [f"At most {TEXT_MAX} characters per answer."]
    people = None
    if participants is not None:
        try:
            people = _team_people(drill.team, participants)
        except ApplicationError as exc:
            errors.update(exc.fields)
    if errors:
        raise ApplicationError("The drill has invalid fields.", fields=errors)
    fresh = Drill.objects.select_related("team").get(pk=drill.pk)
    for name, value in changes.items():
        setattr(fresh, name, value)
    if facilitator is not _UNSET:
        lead = (
            _team_people(drill.team, [getattr(facilitator, "pk", facilitator)])
            if facilitator
            else []
        )
        fresh.facilitator = lead[0] if lead else None
    if after_action is not None:
        fresh.after_action = {k: str(v or "").strip() for k, v in after_action.items()}
        if any(fresh.after_action.values()) and "status" not in changes:
            fresh.status = DrillStatus.REVIEWED
    with transaction.atomic():
        fresh.version = claim_version(
            Drill,
            pk=fresh.pk,
            version=version,
            message=STALE_MESSAGE,
            submitted=changes,
            saved=saved_values,
        )
        fresh.save()
        if people is not None:
            fresh.participants.set(people)
    return fresh


def drill_delete(*, actor: User, drill: Drill) -> None:
    require_member(actor, drill.team)
    with transaction.atomic():
        drill.delete()


def finding_add(*, actor: User, drill: Drill, text: str) -> Finding:
    require_member(actor, drill.team)
    text = " ".join((text or "").split())
    if not text or len(text) > 500:
        raise ApplicationError(
            "Write the finding in a sentence.", fields={"text": ["1 to 500 characters."]}
        )
    with transaction.atomic():
        return Finding.objects.create(drill=drill, text=text)


def finding_to_action(
    *, actor: User, finding: Finding, owner: User | None = None, due_date: Any = None
) -> Action:
    """Turn a finding into a follow-up action of the drill's team (once)."""
    drill = finding.drill
    require_member(actor, drill.team)
    if finding.action_id is not None:
        raise Conflict("This finding is already an action.", fields={"finding": ["Already done."]})
    with transaction.atomic():
        action = action_services.action_create(
            actor=actor,
            team=drill.team,
            title=finding.text[:200],
            owner=owner,
            due_date=due_date,
            description=f"From the drill “{drill.title}” ({drill.planned_for}).",
            visibility=drill.visibility,
        )
        Finding.objects.filter(pk=finding.pk).update(action=action)
    finding.action = action
    return action


def finding_to_lesson(*, actor: User, finding: Finding) -> Lesson:
    """Turn a finding into a library lesson of the drill's team (once)."""
    drill = finding.drill
    require_member(actor, drill.team)
    if finding.lesson_id is not None:
        raise Conflict("This finding is already a lesson.", fields={"finding": ["Already done."]})
    with transaction.atomic():
        lesson = lesson_services.lesson_create(
            actor=actor,
            team=drill.team,
            statement=finding.text[:300],
            visibility=drill.visibility,
            source_kind=SourceKind.MANUAL,
            source_label=f"Drill: {drill.title}"[:200],
        )
        Finding.objects.filter(pk=finding.pk).update(lesson=lesson)
    finding.lesson = lesson
    return lesson


def drill_link_backup(*, drill: Drill, file_name: str, created_at: str, sha256: str) -> Drill:
    """Record the backup a restore test restored (read by the ``drill_backup`` command from the
    file's manifest, so only a real `learnloop backup` file can be linked)."""
    if drill.kind != DrillKind.RESTORE:
        raise ApplicationError(
            "Only a restore test links a backup.", fields={"kind": ["Not a restore test."]}
        )
    Drill.objects.filter(pk=drill.pk).update(
        backup_file=file_name[:300], backup_created_at=created_at[:40], backup_sha256=sha256[:64]
    )
    drill.refresh_from_db()
    return drill


def team_members(team: Team) -> list[User]:
    ids = Membership.objects.filter(team=team).values("user_id")
    return list(User.objects.filter(pk__in=ids).order_by("display_name", "email"))
