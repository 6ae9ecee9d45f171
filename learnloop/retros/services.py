"""Writes for retros: formats, retros, their settings, phases and the timer (cards:
``cards.py``; topics and votes: ``board.py``).

Keyword-only typed ``<entity>_<verb>`` functions; every problem is one ``ApplicationError``
naming each bad field; nothing is saved unless all is well. Every change people in the room
should see ends with :func:`bump`, which the live poll reads (decisions/0163).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify

from learnloop.accounts.models import Team, User
from learnloop.accounts.visibility import team_ids_of
from learnloop.core.errors import ApplicationError, PermissionDenied
from learnloop.core.validation import text_problem
from learnloop.core.versioning import claim_version
from learnloop.incidents.models import Incident
from learnloop.retros.models import (
    PHASE_ORDER,
    TITLE_MAX,
    Anonymity,
    Phase,
    Retro,
    RetroFormat,
)
from learnloop.reviews.models import Review

COLUMNS_MAX = 8
PROMPT_MAX = 300
VOTES_MAX = 20
TIMER_MAX_MINUTES = 120
_UNSET: Any = object()


def _raise(
    errors: dict[str, list[str]], message: str = "Please correct the highlighted fields."
) -> None:
    if errors:
        raise ApplicationError(message, fields=errors)


def require_member(actor: User, team_id: int) -> None:
    if team_id not in team_ids_of(actor):
        raise PermissionDenied("Only members of the team take part in its retros.")


def require_facilitator(actor: User, retro: Retro) -> None:
    require_member(actor, retro.team_id)
    if retro.facilitator_id != actor.pk:
        raise PermissionDenied("Only the facilitator moves the retro on.")


def bump(retro: Retro) -> None:
    """One more change everyone in the room should see (the live poll's version)."""
    Retro.objects.filter(pk=retro.pk).update(state_version=F("state_version") + 1)


def clean_field(value: Any, field: str, *, maximum: int, required: bool) -> tuple[str, list[str]]:
    text = (value or "").strip() if isinstance(value, str | type(None)) else str(value).strip()
    if required and not text:
        return text, ["This cannot be empty."]
    if len(text) > maximum:
        return text, [f"At most {maximum} characters (this has {len(text)})."]
    if problem := text_problem(text):
        return text, [problem]
    return text, []


# --- formats --------------------------------------------------------------------------------


def columns_clean(columns: Any) -> tuple[list[dict[str, str]], list[str]]:
    """``[{"title", "prompt", "key"?}]`` → cleaned columns with unique keys, or messages."""
    if not isinstance(columns, list) or not columns:
        return [], ["Give the format at least one column."]
    if len(columns) > COLUMNS_MAX:
        return [], [f"At most {COLUMNS_MAX} columns."]
    out: list[dict[str, str]] = []
    seen: set[str] = set()
    for n, column in enumerate(columns, start=1):
        if not isinstance(column, dict):
            return [], [f"Column {n}: give a title and a prompt."]
        title, t_err = clean_field(column.get("title"), "title", maximum=60, required=True)
        prompt, p_err = clean_field(
            column.get("prompt"), "prompt", maximum=PROMPT_MAX, required=False
        )
        if t_err or p_err:
            return [], [f"Column {n}: {(t_err or p_err)[0]}"]
        key = slugify(str(column.get("key") or title)).replace("-", "_")[:60] or f"c{n}"
        while key in seen:
            key = f"{key}_{n}"
        seen.add(key)
        out.append({"key": key, "title": title, "prompt": prompt})
    return out, []


def format_copy(*, actor: User, team: Team, source: RetroFormat, name: str = "") -> RetroFormat:
    """A team's own copy of a format (shipped or another of its formats), to edit."""
    require_member(actor, team.pk)
    name, errors = clean_field(name or f"{source.name} (copy)", "name", maximum=120, required=True)
    _raise({"name": errors} if errors else {})
    return RetroFormat.objects.create(
        team=team,
        name=name,
        slug=slugify(name)[:60] or "format",
        description=source.description,
        columns=list(source.columns),
        copied_from=source,
    )


def format_update(
    *,
    actor: User,
    fmt: RetroFormat,
    version: int,
    name: str = _UNSET,
    description: str = _UNSET,
    columns: Any = _UNSET,
) -> RetroFormat:
    if fmt.team_id is None:
        raise PermissionDenied("Shipped formats are copied, not edited.")
    require_member(actor, fmt.team_id)
    errors: dict[str, list[str]] = {}
    changes: dict[str, Any] = {}
    if name is not _UNSET:
        changes["name"], msgs = clean_field(name, "name", maximum=120, required=True)
        if msgs:
            errors["name"] = msgs
    if description is not _UNSET:
        changes["description"], msgs = clean_field(description, "d", maximum=2000, required=False)
        if msgs:
            errors["description"] = msgs
    if columns is not _UNSET:
        changes["columns"], msgs = columns_clean(columns)
        if msgs:
            errors["columns"] = msgs
    _raise(errors)
    with transaction.atomic():
        new_version = claim_version(
            RetroFormat,
            pk=fmt.pk,
            version=version,
            message="Someone else changed this format while you were editing it.",
            submitted=changes,
            saved=lambda c: {"name": c.name, "description": c.description, "columns": c.columns},
        )
        current = RetroFormat.objects.get(pk=fmt.pk)
        for key, value in changes.items():
            setattr(current, key, value)
        current.version = new_version
        current.save()
    return current


# --- retros ---------------------------------------------------------------------------------


def _limit(value: Any, field: str) -> tuple[int, list[str]]:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return 0, [f"Give a whole number from 1 to {VOTES_MAX}."]
    if not 1 <= number <= VOTES_MAX:
        return 0, [f"Give a whole number from 1 to {VOTES_MAX}."]
    return number, []


def _people(team: Team, people: Iterable[User]) -> tuple[list[User], list[str]]:
    chosen = list(people)
    member_ids = set(team.memberships.values_list("user_id", flat=True))
    outsiders = [p for p in chosen if p.pk not in member_ids]
    if outsiders:
        return [], [f"Participants must be members of {team.name}."]
    return chosen, []


def retro_create(
    *,
    actor: User,
    team: Team,
    title: str,
    fmt: RetroFormat,
    facilitator: User | None = None,
    participants: Iterable[User] = (),
    anonymity: str = Anonymity.NAMED,
    votes_per_person: Any = 3,
    votes_per_topic: Any = 2,
    incident: Incident | None = None,
    review: Review | None = None,
    meeting_at: dt.datetime | None = None,
    deliverable: Any = None,
    experiment: Any = None,
) -> Retro:
    """A retro for ``team``; collect opens at once, so people can write before the meeting.
    It may be about an incident, review, deliverable or experiment of the same team."""
    require_member(actor, team.pk)
    errors: dict[str, list[str]] = {}
    title, msgs = clean_field(title, "title", maximum=TITLE_MAX, required=True)
    if msgs:
        errors["title"] = msgs
    if fmt.team_id not in (None, team.pk):
        errors["format"] = ["Choose a shipped format or one of the team's."]
    if anonymity not in Anonymity.values:
        errors["anonymity"] = [f"Choose one of: {', '.join(Anonymity.values)}."]
    per_person, msgs = _limit(votes_per_person, "votes_per_person")
    if msgs:
        errors["votes_per_person"] = msgs
    per_topic, msgs = _limit(votes_per_topic, "votes_per_topic")
    if msgs:
        errors["votes_per_topic"] = msgs
    facilitator = facilitator or actor
    people, msgs = _people(team, [facilitator, *participants])
    if msgs:
        errors["participants"] = msgs
    if review is not None and review.team_id != team.pk:
        errors["review"] = ["The review belongs to another team."]
    errors.update(
        link_errors(team, deliverable=deliverable, experiment=experiment, incident=incident)
    )
    _raise(errors)
    with transaction.atomic():
        retro = Retro.objects.create(
            deliverable=deliverable,
            experiment=experiment,
            team=team,
            title=title,
            format=fmt,
            columns=list(fmt.columns),
            facilitator=facilitator,
            anonymity=anonymity,
            votes_per_person=per_person,
            votes_per_topic=per_topic,
            incident=incident,
            review=review,
            meeting_at=meeting_at,
            created_by=actor,
        )
        retro.participants.set({p.pk for p in people})
        from learnloop.retros.rotation import share_next

        share_next(team=team)  # the meeting's agenda names who shares (decisions/0165)
    return retro


def retro_update(
    *,
    actor: User,
    retro: Retro,
    version: int,
    title: str = _UNSET,
    facilitator: User = _UNSET,
    participants: Iterable[User] = _UNSET,
    votes_per_person: Any = _UNSET,
    votes_per_topic: Any = _UNSET,
    deliverable: Any = _UNSET,
    experiment: Any = _UNSET,
    incident: Any = _UNSET,
) -> Retro:
    """Settings; the anonymity choice is fixed once the retro exists (cards were written
    under it). ``deliverable``/``experiment``/``incident``: the team's, or None to unlink."""
    require_member(actor, retro.team_id)
    errors: dict[str, list[str]] = {}
    changes: dict[str, Any] = {}
    if title is not _UNSET:
        changes["title"], msgs = clean_field(title, "title", maximum=TITLE_MAX, required=True)
        if msgs:
            errors["title"] = msgs
    for field, value in (
        ("votes_per_person", votes_per_person),
        ("votes_per_topic", votes_per_topic),
    ):
        if value is not _UNSET:
            changes[field], msgs = _limit(value, field)
            if msgs:
                errors[field] = msgs
    people: list[User] | None = None
    if facilitator is not _UNSET:
        _, msgs = _people(retro.team, [facilitator])
        if msgs:
            errors["facilitator"] = [f"The facilitator must be a member of {retro.team.name}."]
        changes["facilitator_id"] = facilitator.pk
    if participants is not _UNSET:
        people, msgs = _people(retro.team, participants)
        if msgs:
            errors["participants"] = msgs
    links = (("deliverable", deliverable), ("experiment", experiment), ("incident", incident))
    for field, value in links:
        if value is not _UNSET:
            errors.update(link_errors(retro.team, **{field: value}))
            changes[f"{field}_id"] = value.pk if value is not None else None
    _raise(errors)
    with transaction.atomic():
        new_version = claim_version(
            Retro,
            pk=retro.pk,
            version=version,
            message="Someone else changed this retro's settings meanwhile.",
            submitted={k: v for k, v in changes.items() if not k.endswith("_id")},
            saved=lambda c: {
                "title": c.title,
                "votes_per_person": c.votes_per_person,
                "votes_per_topic": c.votes_per_topic,
            },
        )
        current = Retro.objects.get(pk=retro.pk)
        for key, value in changes.items():
            setattr(current, key, value)
        current.version = new_version
        current.save()
        if people is not None:
            facilitator_ids = {current.facilitator_id} if current.facilitator_id else set()
            current.participants.set({p.pk for p in people} | facilitator_ids)
        bump(current)
    return current


def link_errors(
    team: Team, *, deliverable: Any = None, experiment: Any = None, incident: Any = None
) -> dict[str, list[str]]:
    """A retro is about its own team's deliverable, experiment or incident only."""
    errors: dict[str, list[str]] = {}
    links = (("deliverable", deliverable), ("experiment", experiment), ("incident", incident))
    for field, obj in links:
        if obj is not None and obj.team_id != team.pk:
            errors[field] = [f"The {field} belongs to another team."]
    return errors


def retro_set_phase(*, actor: User, retro: Retro, phase: str) -> Retro:
    """Move to ``phase`` (any phase, forward or back one: the facilitator only). Entering the
    vote gives every card still on its own a topic, so everything can be voted on."""
    require_facilitator(actor, retro)
    if phase not in PHASE_ORDER:
        raise ApplicationError(
            "Unknown phase.", fields={"phase": [f"Choose one of: {', '.join(PHASE_ORDER)}."]}
        )
    with transaction.atomic():
        current = Retro.objects.select_for_update().get(pk=retro.pk)
        if current.phase == Phase.CLOSED and phase != Phase.CLOSED:
            raise ApplicationError(
                "This retro is closed.", fields={"phase": ["A closed retro stays closed."]}
            )
        if PHASE_ORDER.index(phase) >= PHASE_ORDER.index(Phase.VOTE) > current.phase_index:
            from learnloop.retros.board import topics_for_loose_cards

            topics_for_loose_cards(current)
        closing = phase == Phase.CLOSED and current.phase != Phase.CLOSED
        current.phase = phase
        current.timer_ends_at = None
        current.save(update_fields=["phase", "timer_ends_at", "updated_at"])
        bump(current)
        if closing:
            from learnloop.retros.events import emit_closed

            emit_closed(current)
    return current


def retro_set_timer(*, actor: User, retro: Retro, minutes: Any) -> Retro:
    """Start (or with 0, stop) the countdown everyone sees."""
    require_facilitator(actor, retro)
    try:
        number = int(minutes)
    except (TypeError, ValueError):
        number = -1
    if not 0 <= number <= TIMER_MAX_MINUTES:
        raise ApplicationError(
            "Check the timer.",
            fields={"minutes": [f"Give whole minutes from 0 to {TIMER_MAX_MINUTES}."]},
        )
    ends = timezone.now() + dt.timedelta(minutes=number) if number else None
    with transaction.atomic():
        Retro.objects.filter(pk=retro.pk).update(timer_ends_at=ends)
        bump(retro)
    retro.timer_ends_at = ends
    return retro
