"""Writes for actions: create, update (optimistic version check), status changes.

Keyword-only, typed functions named ``<entity>_<verb>``. Every validation problem is raised as
one :class:`ApplicationError` naming each bad field, and nothing is saved unless all is well.
Web views, API endpoints and other apps (reviews' next steps) all call these functions.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone

from learnloop.accounts.models import Membership, Team, User
from learnloop.accounts.visibility import team_ids_of
from learnloop.actions.events import ASSIGNED, DONE, emit_action
from learnloop.actions.models import Action
from learnloop.core.errors import (
    ApplicationError,
    Conflict,
    PermissionDenied,
    validation_error_fields,
)
from learnloop.core.models import Visibility
from learnloop.core.validation import parse_date_in_range
from learnloop.core.versioning import claim_version
from learnloop.notifications.delivery import notify
from learnloop.notifications.models import Kind

if TYPE_CHECKING:  # reviews import this module (next steps become actions)
    from learnloop.incidents.models import Incident
    from learnloop.reviews.models import Review

TITLE_MAX = 200
DESCRIPTION_MAX = 10000
URL_MAX = 500

# Fields a caller may change with action_update; anything else is ignored by design.
EDITABLE_FIELDS = (
    "title",
    "description",
    "owner",
    "due_date",
    "kind",
    "status",
    "external_url",
    "visibility",
)

_UNSET: Any = object()


def _require_member(actor: User, team: Team) -> None:
    """Only members of the action's team write its actions (private means private)."""
    if team.pk not in team_ids_of(actor):
        raise PermissionDenied("Only members of the team can change its actions.")


def parse_due_date(value: Any) -> dt.date | None:
    """Accept a date, an ISO ``YYYY-MM-DD`` string, or empty; anything else names the field."""
    try:
        return parse_date_in_range(value, "due_date")
    except ApplicationError as exc:
        raise ApplicationError("Check the due date.", fields=exc.fields) from None


def title_errors(title: str) -> list[str]:
    if not title:
        return ["Give the action a title."]
    if len(title) > TITLE_MAX:
        return [f"At most {TITLE_MAX} characters (this has {len(title)})."]
    return []


def owner_errors(
    owner_id: int | None, team: Team, *, member_ids: Collection[int] | None = None
) -> list[str]:
    """An owner must be a member of the action's team (``member_ids``: the team's, if known)."""
    if owner_id is None:
        return []
    if member_ids is None:
        is_member = Membership.objects.filter(user_id=owner_id, team=team).exists()
    else:
        is_member = owner_id in member_ids
    return [] if is_member else [f"The owner must be a member of {team.name}."]


def kind_errors(kind: str) -> list[str]:
    if kind not in Action.Kind.values:
        return [f"Choose one of: {', '.join(Action.Kind.values)}."]
    return []


def due_date_errors(value: Any) -> list[str]:
    try:
        parse_due_date(value)
    except ApplicationError as exc:
        return exc.fields["due_date"]
    return []


def next_step_errors(
    *,
    team: Team,
    title: str,
    owner_id: int | None,
    due_date: Any,
    kind: str,
    member_ids: Collection[int] | None = None,
) -> dict[str, list[str]]:
    """The action rules for what a review's next step carries (it becomes an action of
    ``team`` when the review is published), so the editor refuses what publishing would."""
    checks = {
        "title": title_errors(title),
        "owner": owner_errors(owner_id, team, member_ids=member_ids),
        "due_date": due_date_errors(due_date),
        "kind": kind_errors(kind),
    }
    return {name: messages for name, messages in checks.items() if messages}


def action_errors(
    *,
    team: Team,
    title: str,
    description: str,
    owner: User | None,
    kind: str,
    status: str,
    external_url: str,
    visibility: str,
    review: Review | None,
    incident: Incident | None,
) -> dict[str, list[str]]:
    """The action rules, by field (the due date has its own: :func:`due_date_errors`).
    Creating, updating and the import all call it."""
    errors: dict[str, list[str]] = {}
    if messages := title_errors(title):
        errors["title"] = messages
    if len(description) > DESCRIPTION_MAX:
        errors["description"] = [
            f"At most {DESCRIPTION_MAX} characters (this has {len(description)})."
        ]
    if messages := owner_errors(owner.pk if owner is not None else None, team):
        errors["owner"] = messages
    if messages := kind_errors(kind):
        errors["kind"] = messages
    if status not in Action.Status.values:
        errors["status"] = [f"Choose one of: {', '.join(Action.Status.values)}."]
    if external_url:
        if len(external_url) > URL_MAX:
            errors["external_url"] = [f"At most {URL_MAX} characters."]
        elif urlsplit(external_url).scheme.lower() not in ("http", "https"):
            errors["external_url"] = ["Enter a link starting with http:// or https://."]
        else:
            try:
                URLValidator(schemes=["http", "https"])(external_url)
            except ValidationError:
                errors["external_url"] = ["Enter a valid link (http:// or https://)."]
    if visibility not in Visibility.values:
        errors["visibility"] = [f"Choose one of: {', '.join(Visibility.values)}."]
    if review is not None and review.team_id != team.pk:
        errors["review"] = ["The review belongs to another team."]
    if incident is not None and incident.team_id != team.pk:
        errors["incident"] = ["The incident belongs to another team."]
    return errors


def _raise(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ApplicationError("Please correct the highlighted fields.", fields=errors)


def action_create(
    *,
    actor: User,
    team: Team,
    title: str,
    review: Review | None = None,
    incident: Incident | None = None,
    owner: User | None = None,
    due_date: dt.date | str | None = None,
    kind: str = Action.Kind.PREVENT,
    description: str = "",
    external_url: str = "",
    visibility: str | None = None,
) -> Action:
    """Create an action for ``team``, optionally linked to a review and/or an incident.

    Visibility follows the review's (or incident's) so an action never reveals more than the
    conversation it came from; without either it is team-private.
    """
    _require_member(actor, team)
    title = (title or "").strip()
    description = (description or "").strip()
    external_url = (external_url or "").strip()
    if visibility in (None, ""):
        source = review if review is not None else incident
        visibility = source.visibility if source is not None else Visibility.TEAM
    errors: dict[str, list[str]] = {}
    try:
        parsed_due = parse_due_date(due_date)
    except ApplicationError as exc:
        errors.update(exc.fields)
        parsed_due = None
    errors.update(
        action_errors(
            team=team,
            title=title,
            description=description,
            owner=owner,
            kind=kind,
            status=Action.Status.OPEN,
            external_url=external_url,
            visibility=visibility,
            review=review,
            incident=incident,
        )
    )
    if incident is None and review is not None and review.incident_id:
        incident = review.incident
    _raise(errors)
    action = Action(
        team=team,
        title=title,
        description=description,
        review=review,
        incident=incident,
        owner=owner,
        due_date=parsed_due,
        kind=kind,
        external_url=external_url,
        visibility=visibility,
        created_by=actor,
    )
    with transaction.atomic():
        try:
            action.full_clean()
        except ValidationError as exc:
            raise ApplicationError(
                "Please correct the highlighted fields.", fields=validation_error_fields(exc)
            ) from None
        action.save()
        _tell_owner(actor, action)
        if action.owner_id:
            emit_action(ASSIGNED, action)
    return action


def _tell_owner(actor: User, action: Action) -> None:
    """The new owner hears they own it (as their preference says; never when they chose
    themselves), in the transaction that saved it."""
    if action.owner_id is None:
        return
    due = f", due {action.due_date:%-d %b %Y}" if action.due_date else ""
    notify(
        recipients=[action.owner],
        kind=Kind.ASSIGNED,
        text=f"{actor.name} made you the owner of “{action.title}” ({action.team.name}{due})",
        path=action.get_absolute_url(),
        actor=actor,
    )


def _apply_status(action: Action, status: str) -> None:
    """Done sets done_at (once); any other status clears it (reopening)."""
    if status == Action.Status.DONE:
        if action.status != Action.Status.DONE or action.done_at is None:
            action.done_at = timezone.now()
    else:
        action.done_at = None
    action.status = status


def action_update(
    *,
    actor: User,
    action: Action,
    version: int,
    title: str = _UNSET,
    description: str = _UNSET,
    owner: User | None = _UNSET,
    due_date: dt.date | str | None = _UNSET,
    kind: str = _UNSET,
    status: str = _UNSET,
    external_url: str = _UNSET,
    visibility: str = _UNSET,
) -> Action:
    """Change the given fields if ``version`` is still current; otherwise raise StaleVersion.

    The version check is a conditional UPDATE (core.versioning.claim_version), so two
    concurrent saves can never both win: the loser gets a 409 naming the fields that differ.
    """
    _require_member(actor, action.team)
    given = {
        "title": title,
        "description": description,
        "owner": owner,
        "due_date": due_date,
        "kind": kind,
        "status": status,
        "external_url": external_url,
        "visibility": visibility,
    }
    changes = {k: v for k, v in given.items() if v is not _UNSET}
    for key in ("title", "description", "external_url"):
        if key in changes:
            changes[key] = (changes[key] or "").strip()
    errors: dict[str, list[str]] = {}
    if "due_date" in changes:
        try:
            changes["due_date"] = parse_due_date(changes["due_date"])
        except ApplicationError as exc:
            errors.update(exc.fields)
            changes.pop("due_date")
    merged = {
        "title": changes.get("title", action.title),
        "description": changes.get("description", action.description),
        "owner": changes.get("owner", action.owner),
        "kind": changes.get("kind", action.kind),
        "status": changes.get("status", action.status),
        "external_url": changes.get("external_url", action.external_url),
        "visibility": changes.get("visibility", action.visibility),
    }
    for key, messages in action_errors(
        team=action.team, review=None, incident=None, **merged
    ).items():
        errors.setdefault(key, []).extend(messages)
    _raise(errors)

    with transaction.atomic():
        new_version = claim_version(
            Action,
            pk=action.pk,
            version=version,
            message="Someone else changed this action while you were editing it.",
            submitted=changes,
            saved=lambda current: {f: getattr(current, f) for f in EDITABLE_FIELDS},
        )
        current = Action.objects.get(pk=action.pk)
        previous_owner_id = current.owner_id
        previous_status = current.status
        for key, value in changes.items():
            if key == "status":
                _apply_status(current, value)
            else:
                setattr(current, key, value)
        current.version = new_version
        current.full_clean()
        current.save(update_fields=[*EDITABLE_FIELDS, "done_at", "version", "updated_at"])
        if current.owner_id and current.owner_id != previous_owner_id:
            _tell_owner(actor, current)
            emit_action(ASSIGNED, current)
        if current.status == Action.Status.DONE and previous_status != Action.Status.DONE:
            emit_action(DONE, current)
    return current


def action_set_status(
    *, actor: User, action: Action, status: str, version: int | None = None
) -> Action:
    """Quick status change (the status buttons). Without ``version`` the latest one is used:
    a status click is a whole intention on its own and never overwrites other fields."""
    _require_member(actor, action.team)
    if status not in Action.Status.values:
        raise ApplicationError(
            "Unknown status.",
            fields={"status": [f"Choose one of: {', '.join(Action.Status.values)}."]},
        )
    with transaction.atomic():
        current = Action.objects.select_for_update().get(pk=action.pk)
        if version is not None and current.version != version:
            raise Conflict(
                "Someone else changed this action meanwhile.",
                fields={"status": ["Changed meanwhile."]},
            )
        previous_status = current.status
        _apply_status(current, status)
        current.version += 1
        current.save(update_fields=["status", "done_at", "version", "updated_at"])
        if current.status == Action.Status.DONE and previous_status != Action.Status.DONE:
            emit_action(DONE, current)
    return current
