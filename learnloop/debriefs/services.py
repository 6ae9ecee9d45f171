"""Writes for deliverables and their debrief log.

Keyword-only, typed ``<entity>_<verb>`` functions; every problem is one
:class:`ApplicationError` naming each bad field, and nothing is saved unless all is well (one
transaction). Editable rows carry ``version`` and saves go through
:func:`learnloop.core.versioning.claim_version` (decisions/0014).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone

from learnloop.accounts.models import Membership, Role, Team, User
from learnloop.accounts.visibility import can_see, team_ids_of
from learnloop.core.errors import ApplicationError, NotFound, PermissionDenied
from learnloop.core.models import Visibility
from learnloop.core.validation import clean_text, parse_date_in_range
from learnloop.core.versioning import claim_version, require_version
from learnloop.debriefs.events import emit_closed
from learnloop.debriefs.models import (
    DESCRIPTION_MAX,
    ENTRY_MAX,
    TITLE_MAX,
    URL_MAX,
    DebriefEntry,
    Deliverable,
    EntryKind,
)

_UNSET: Any = object()
DELIVERABLE_FIELDS = (
    "title",
    "description",
    "owner",
    "start_date",
    "target_date",
    "external_url",
    "visibility",
)
STALE_DELIVERABLE = "Someone else saved this deliverable while you were editing it."
STALE_ENTRY = "This entry was saved elsewhere since you opened it. Nothing was overwritten."


# --------------------------------------------------------------------------- rules


def _require_member(actor: User, team: Team) -> None:
    if team.pk not in team_ids_of(actor) or team.organisation_id != actor.organisation_id:
        raise PermissionDenied("Only members of the team can change its deliverables.")


def can_steer(actor: User, deliverable: Deliverable) -> bool:
    """Close, reopen and promote: the owner, whoever created it, or a team facilitator/admin."""
    if deliverable.team_id not in team_ids_of(actor):
        return False
    if actor.pk in (deliverable.owner_id, deliverable.created_by_id):
        return True
    role: str | None = (
        Membership.objects.filter(user=actor, team_id=deliverable.team_id)
        .values_list("role", flat=True)
        .first()
    )
    return role in (Role.FACILITATOR, Role.ADMIN)


def is_contributor(actor: User, deliverable: Deliverable) -> bool:
    """The owner and the collaborators write the debrief log."""
    if deliverable.team_id not in team_ids_of(actor):
        return False
    if actor.pk == deliverable.owner_id:
        return True
    return deliverable.collaborators.filter(pk=actor.pk).exists()


def url_errors(value: str) -> list[str]:
    if not value:
        return []
    if len(value) > URL_MAX:
        return [f"At most {URL_MAX} characters."]
    if urlsplit(value).scheme.lower() not in ("http", "https"):
        return ["Enter a link starting with http:// or https://."]
    try:
        URLValidator(schemes=["http", "https"])(value)
    except ValidationError:
        return ["Enter a valid link (http:// or https://)."]
    return []


def _text(value: Any, field: str) -> str:
    return clean_text(value, field).strip()


def _people(team: Team, people: Iterable[User | int] | None, field: str) -> list[User]:
    """Members of ``team`` for the given users or ids; anyone else names ``field``."""
    ids = []
    for p in people or []:
        pk = p.pk if isinstance(p, User) else p
        if not isinstance(pk, int) or isinstance(pk, bool):
            raise ApplicationError("Check the people.", fields={field: ["Give user ids."]})
        ids.append(pk)
    found = list(User.objects.filter(pk__in=ids, memberships__team=team, is_active=True).distinct())
    if len(found) != len(set(ids)):
        raise ApplicationError(
            "Check the people.",
            fields={field: [f"Everyone on a deliverable must be a member of {team.name}."]},
        )
    return found


def _deliverable_errors(values: dict[str, Any]) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    title = values["title"]
    if not title:
        errors["title"] = ["Give the deliverable a title."]
    elif len(title) > TITLE_MAX:
        errors["title"] = [f"At most {TITLE_MAX} characters (this has {len(title)})."]
    if len(values["description"]) > DESCRIPTION_MAX:
        errors["description"] = [f"At most {DESCRIPTION_MAX} characters."]
    if messages := url_errors(values["external_url"]):
        errors["external_url"] = messages
    if values["visibility"] not in Visibility.values:
        errors["visibility"] = [f"Choose one of: {', '.join(Visibility.values)}."]
    for name in ("start_date", "target_date"):
        try:
            values[name] = parse_date_in_range(values[name], name)
        except ApplicationError as exc:
            errors.update(exc.fields)
    start, target = values.get("start_date"), values.get("target_date")
    if isinstance(start, dt.date) and isinstance(target, dt.date) and target < start:
        errors["target_date"] = ["The target date cannot be before the start date."]
    return errors


def _raise(
    errors: dict[str, list[str]], message: str = "Please correct the marked fields."
) -> None:
    if errors:
        raise ApplicationError(message, fields=errors)


# --------------------------------------------------------------------------- deliverables


def deliverable_create(
    *,
    actor: User,
    team: Team,
    title: str,
    description: str = "",
    owner: User | int | None = None,
    collaborators: Iterable[User | int] | None = None,
    start_date: dt.date | str | None = None,
    target_date: dt.date | str | None = None,
    external_url: str = "",
    visibility: str = Visibility.TEAM,
) -> Deliverable:
    """A new active deliverable of ``team``; the owner (default: the actor) is on it."""
    _require_member(actor, team)
    values: dict[str, Any] = {
        "title": _text(title, "title"),
        "description": _text(description, "description"),
        "start_date": start_date,
        "target_date": target_date,
        "external_url": _text(external_url, "external_url"),
        "visibility": visibility or Visibility.TEAM,
    }
    errors = _deliverable_errors(values)
    owner_user = actor if owner is None else None
    try:
        if owner is not None:
            owner_user = _people(team, [owner], "owner")[0]
        people = _people(team, collaborators, "collaborators")
    except ApplicationError as exc:
        errors.update(exc.fields)
        people = []
    _raise(errors)
    now = timezone.now()
    with transaction.atomic():
        deliverable = Deliverable.objects.create(
            team=team, owner=owner_user, created_by=actor, last_activity_at=now, **values
        )
        deliverable.collaborators.set({*people, *([owner_user] if owner_user else [])})
    return deliverable


def deliverable_update(
    *,
    actor: User,
    deliverable: Deliverable,
    version: int | str | None,
    title: str = _UNSET,
    description: str = _UNSET,
    owner: User | int | None = _UNSET,
    collaborators: Iterable[User | int] | None = _UNSET,
    start_date: dt.date | str | None = _UNSET,
    target_date: dt.date | str | None = _UNSET,
    external_url: str = _UNSET,
    visibility: str = _UNSET,
) -> Deliverable:
    """Change the given fields if nobody saved since ``version`` (else StaleVersion)."""
    _require_member(actor, deliverable.team)
    version = require_version(version)
    team = deliverable.team
    given = {
        "title": title,
        "description": description,
        "start_date": start_date,
        "target_date": target_date,
        "external_url": external_url,
        "visibility": visibility,
    }
    values: dict[str, Any] = {
        name: getattr(deliverable, name) if value is _UNSET else value
        for name, value in given.items()
    }
    for name in ("title", "description", "external_url"):
        values[name] = _text(values[name], name)
    errors = _deliverable_errors(values)
    new_owner: Any = _UNSET
    people: list[User] | None = None
    try:
        if owner is not _UNSET:
            new_owner = _people(team, [owner], "owner")[0] if owner is not None else None
        if collaborators is not _UNSET:
            people = _people(team, collaborators, "collaborators")
    except ApplicationError as exc:
        errors.update(exc.fields)
    _raise(errors)
    submitted = {k: values[k] for k, v in given.items() if v is not _UNSET}
    with transaction.atomic():
        current_version = claim_version(
            Deliverable,
            pk=deliverable.pk,
            version=version,
            message=STALE_DELIVERABLE,
            submitted=submitted,
            saved=lambda row: {name: getattr(row, name) for name in submitted},
        )
        current = Deliverable.objects.select_related("team").get(pk=deliverable.pk)
        for name, value in values.items():
            setattr(current, name, value)
        if new_owner is not _UNSET:
            current.owner = new_owner
        current.version = current_version
        current.save()
        if people is not None:
            current.collaborators.set({*people, *([current.owner] if current.owner else [])})
        elif new_owner not in (_UNSET, None):
            current.collaborators.add(new_owner)
        if "visibility" in submitted:
            # Entries follow their deliverable (saved one by one so the index follows too).
            for entry in current.entries.exclude(visibility=current.visibility):
                entry.visibility = current.visibility
                entry.save(update_fields=["visibility", "updated_at"])
    return current


def deliverable_set_status(*, actor: User, deliverable: Deliverable, status: str) -> Deliverable:
    """Close or reopen (the owner, its creator, or a team facilitator or admin)."""
    if not can_see(actor, deliverable):
        raise NotFound()
    if not can_steer(actor, deliverable):
        raise PermissionDenied(
            "Only the owner, whoever created it, or a team facilitator or admin can do this."
        )
    if status not in Deliverable.Status.values:
        raise ApplicationError(
            "Unknown status.",
            fields={"status": [f"Choose one of: {', '.join(Deliverable.Status.values)}."]},
        )
    with transaction.atomic():
        current = Deliverable.objects.select_for_update().get(pk=deliverable.pk)
        if current.status == status:
            return current
        current.status = status
        now = timezone.now()
        current.closed_at = now if status == Deliverable.Status.CLOSED else None
        if status == Deliverable.Status.ACTIVE:
            current.last_activity_at = now
        current.version += 1
        current.save(
            update_fields=["status", "closed_at", "last_activity_at", "version", "updated_at"]
        )
        if status == Deliverable.Status.CLOSED:
            emit_closed(current)
    return current


# --------------------------------------------------------------------------- entries


def _entry_errors(kind: str, text: str, link: str) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if kind not in EntryKind.values:
        errors["kind"] = [f"Choose one of: {', '.join(EntryKind.values)}."]
    if not text:
        errors["text"] = ["Write the entry: what happened, what you noticed or learned."]
    elif len(text) > ENTRY_MAX:
        errors["text"] = [f"At most {ENTRY_MAX} characters (this has {len(text)})."]
    if messages := url_errors(link):
        errors["link"] = messages
    return errors


def entry_create(
    *, actor: User, deliverable: Deliverable, kind: str, text: str, link: str = ""
) -> DebriefEntry:
    """Add a win, opportunity or lesson to an active deliverable's log (its people only)."""
    if not can_see(actor, deliverable):
        raise NotFound()
    if not is_contributor(actor, deliverable):
        raise PermissionDenied("Only the people on this deliverable add to its debrief log.")
    text, link = _text(text, "text"), _text(link, "link")
    errors = _entry_errors(kind, text, link)
    if not deliverable.is_active:
        errors["deliverable"] = ["This deliverable is closed; reopen it to add entries."]
    _raise(errors, "The entry was not added.")
    with transaction.atomic():
        locked = Deliverable.objects.select_for_update().get(pk=deliverable.pk)
        if not locked.is_active:
            raise ApplicationError(
                "The entry was not added.",
                fields={"deliverable": ["This deliverable is closed; reopen it to add entries."]},
            )
        entry = DebriefEntry.objects.create(
            deliverable=locked,
            team_id=locked.team_id,
            visibility=locked.visibility,
            kind=kind,
            text=text,
            link=link,
            author=actor,
        )
        Deliverable.objects.filter(pk=locked.pk).update(last_activity_at=entry.created_at)
    return entry


def entry_update(
    *,
    actor: User,
    entry: DebriefEntry,
    version: int | str | None,
    kind: str = _UNSET,
    text: str = _UNSET,
    link: str = _UNSET,
) -> DebriefEntry:
    """Change an entry: its author only, while the deliverable is active, from the current
    version (a stale save is refused like a review's)."""
    if not can_see(actor, entry):
        raise NotFound()
    if entry.author_id != actor.pk:
        raise PermissionDenied("Only the person who wrote an entry edits it.")
    version = require_version(version)
    values = {
        "kind": entry.kind if kind is _UNSET else kind,
        "text": entry.text if text is _UNSET else _text(text, "text"),
        "link": entry.link if link is _UNSET else _text(link, "link"),
    }
    errors = _entry_errors(values["kind"], values["text"], values["link"])
    if not entry.deliverable.is_active:
        errors["deliverable"] = ["This deliverable is closed; its log is kept as it was."]
    _raise(errors, "The entry was not saved.")
    submitted = {
        name: values[name]
        for name, given in (("kind", kind), ("text", text), ("link", link))
        if given is not _UNSET
    }
    with transaction.atomic():
        new_version = claim_version(
            DebriefEntry,
            pk=entry.pk,
            version=version,
            message=STALE_ENTRY,
            submitted=submitted,
            saved=lambda row: {name: getattr(row, name) for name in ("kind", "text", "link")},
        )
        current = DebriefEntry.objects.select_related("deliverable", "team").get(pk=entry.pk)
        for name, value in values.items():
            setattr(current, name, value)
        current.version = new_version
        current.save(update_fields=["kind", "text", "link", "version", "updated_at"])
    return current


def entry_delete(*, actor: User, entry: DebriefEntry) -> None:
    """Withdraw an entry: its author only, while the deliverable is active."""
    if not can_see(actor, entry):
        raise NotFound()
    if entry.author_id != actor.pk:
        raise PermissionDenied("Only the person who wrote an entry removes it.")
    if not entry.deliverable.is_active:
        raise ApplicationError(
            "The entry was not removed.",
            fields={"deliverable": ["This deliverable is closed; its log is kept as it was."]},
        )
    entry.delete()
