"""Writes for incidents and the organisation's severity scale.

Keyword-only, typed functions named ``<entity>_<verb>``; every problem is raised as one
:class:`ApplicationError` with per-field messages, and nothing is half-saved.

Anonymous reports are *unlinkable* (docs/decisions/0010-anonymous-reports.md): this module
never logs, caches or enqueues anything that names the reporter of an anonymous report, stores
no reporter, a day-rounded time and random ids outside the sequences, and counts reports for
the rate limit in a counter that is unlinkable once its hour has passed.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from learnloop.accounts.models import Organisation, Team, User
from learnloop.accounts.visibility import Viewer, can_manage_team, can_see, team_ids_of
from learnloop.core.errors import ApplicationError, NotFound
from learnloop.core.models import Visibility
from learnloop.core.ratelimit import limit_hit
from learnloop.core.tags import check_tag_names, parse_tag_names, tag_key, tags_set
from learnloop.core.validation import MIN_HISTORY_YEAR, MIN_YEAR, datetime_range_problem
from learnloop.core.versioning import claim_version, require_version
from learnloop.incidents.events import emit_reported
from learnloop.incidents.models import DEFAULT_SEVERITY_SCALE, Incident, Kind

TIME_FIELDS = ["started_at", "detected_at", "acknowledged_at", "resolved_at"]
TIME_LABELS = {
    "started_at": "started",
    "detected_at": "detected",
    "acknowledged_at": "acknowledged",
    "resolved_at": "resolved",
}
MAX_SCALE = 10
RATE_LIMIT_PER_HOUR = 30
RATE_LIMIT_SCOPE = "incidents.report"
EDITABLE_FIELDS = ["title", "description", "kind", "severity", "visibility", *TIME_FIELDS]


# ---------------------------------------------------------------- severity scale


def severity_scale(organisation: Organisation | None) -> list[dict[str, str]]:
    """The organisation's severity scale, or the shipped default."""
    scale = (organisation.settings or {}).get("severity_scale") if organisation else None
    return scale if scale else [dict(item) for item in DEFAULT_SEVERITY_SCALE]


def severity_labels(organisation: Organisation | None) -> dict[str, str]:
    return {item["key"]: item["label"] for item in severity_scale(organisation)}


_KEY_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,31}$")


def organisation_set_severity_scale(
    *, actor: User, organisation: Organisation, scale: list[dict[str, str]]
) -> list[dict[str, str]]:
    """Replace the severity scale. Keys already used by incidents keep their meaning, so a key
    that disappears simply shows as itself on old incidents."""
    if not actor.is_org_admin or actor.organisation_id != organisation.pk:
        raise NotFound()
    errors: list[str] = []
    cleaned: list[dict[str, str]] = []
    seen: set[str] = set()
    if not scale:
        errors.append("Give at least one severity.")
    if len(scale) > MAX_SCALE:
        errors.append(f"At most {MAX_SCALE} severities.")
    for n, item in enumerate(scale, start=1):
        key = str(item.get("key", "")).strip().lower()
        label = str(item.get("label", "")).strip()
        if not _KEY_RE.match(key):
            errors.append(
                f"Line {n}: the key “{key}” must be 1–32 lowercase letters, digits, - or _."
            )
        elif key in seen:
            errors.append(f"Line {n}: the key “{key}” is used twice.")
        if not label or len(label) > 60:
            errors.append(f"Line {n}: the label must be 1–60 characters.")
        seen.add(key)
        cleaned.append({"key": key, "label": label})
    if errors:
        raise ApplicationError("The severity scale is not valid.", fields={"scale": errors})
    with transaction.atomic():
        org = Organisation.objects.select_for_update().get(pk=organisation.pk)
        org.settings = {**(org.settings or {}), "severity_scale": cleaned}
        org.save(update_fields=["settings", "updated_at"])
    organisation.settings = org.settings
    return cleaned


# ---------------------------------------------------------------- teams, tags, permissions


def reporting_teams(user: User) -> list[Team]:
    """Teams ``user`` can file a report for: the teams they belong to."""
    if not getattr(user, "is_authenticated", False) or user.organisation_id is None:
        return []
    return list(
        Team.objects.filter(organisation_id=user.organisation_id, memberships__user=user).order_by(
            "name"
        )
    )


def _resolve_team(actor: User, team: str | Team | None) -> Team:
    teams = reporting_teams(actor)
    if team in (None, ""):
        if len(teams) == 1:
            return teams[0]
        if not teams:
            raise ApplicationError(
                "Join a team first: reports belong to a team.",
                fields={"team": ["You are not in a team yet."]},
            )
        raise ApplicationError("Choose a team.", fields={"team": ["Choose a team."]})
    slug = team.slug if isinstance(team, Team) else str(team)
    for candidate in teams:
        if candidate.slug == slug and (not isinstance(team, Team) or candidate.pk == team.pk):
            return candidate
    # Same answer whether the team exists elsewhere or not at all: reveals nothing.
    raise ApplicationError("team: unknown team", fields={"team": ["Unknown team."]})


def can_edit_incident(user: Viewer, incident: Incident) -> bool:
    """Anonymous reports have no author: only team admins may edit them. Named reports: their
    reporter and every member of the incident's team (teams fill in times together)."""
    if not can_see(user, incident):
        return False
    if can_manage_team(user, incident.team):
        return True
    if incident.is_anonymous:
        return False
    return incident.reporter_id == user.pk or incident.team_id in team_ids_of(user)


# ---------------------------------------------------------------- validation


def _validate(
    data: dict[str, Any], organisation: Organisation | None, *, earliest: int = MIN_YEAR
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if "kind" in data and data["kind"] not in Kind.values:
        errors["kind"] = ["Choose one of: " + ", ".join(Kind.values) + "."]
    if "severity" in data and data["severity"]:
        keys = [item["key"] for item in severity_scale(organisation)]
        if data["severity"] not in keys:
            errors["severity"] = ["Choose one of: " + ", ".join(keys) + "."]
    if "visibility" in data and data["visibility"] not in Visibility.values:
        errors["visibility"] = ["Choose “team” or “organisation”."]
    previous: tuple[str, dt.datetime] | None = None
    for name in TIME_FIELDS:
        value = data.get(name)
        if value is None:
            continue
        problem = datetime_range_problem(value, earliest=earliest)
        if problem:
            errors.setdefault(name, []).append(problem)
            continue
        if timezone.is_naive(value):
            value = timezone.make_aware(value)
            data[name] = value
        if previous and value < previous[1]:
            errors.setdefault(name, []).append(
                f"Must be on or after the time it {TIME_LABELS[previous[0]]} "
                f"({timezone.localtime(previous[1]):%Y-%m-%d %H:%M})."
            )
        previous = (name, value)
    return errors


def _clean_text(data: dict[str, Any]) -> dict[str, list[str]]:
    """Trim the texts; report empty or oversized ones (TextField limits are not checked by
    full_clean, so both are checked here, naming the field)."""
    errors: dict[str, list[str]] = {}
    for name in ("title", "description"):
        if name in data:
            data[name] = (data[name] or "").strip()
            limit = Incident._meta.get_field(name).max_length
            if len(data[name]) > limit:
                errors[name] = [f"At most {limit} characters (this has {len(data[name])})."]
    return errors


def incident_errors(
    data: dict[str, Any], organisation: Organisation | None, *, history: bool = False
) -> dict[str, list[str]]:
    """The incident rules for ``data`` (texts trimmed and within limits; kind, severity on the
    organisation's scale, visibility; times in years 1900–2200 and in order), by field.
    ``history`` (imported post-mortems) lets times start in MIN_HISTORY_YEAR.

    Trims texts and makes times aware in place. Reporting and the import both call it.
    """
    errors = _clean_text(data)
    earliest = MIN_HISTORY_YEAR if history else MIN_YEAR
    errors.update(_validate(data, organisation, earliest=earliest))
    return errors


def _full_clean(incident: Incident, extra: dict[str, list[str]]) -> None:
    try:
        incident.full_clean(exclude=["tags", "reporter", "team"])
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            if name not in extra:
                extra[name] = list(messages)
    if extra == {"team": ["Unknown team."]}:
        raise ApplicationError("team: unknown team", fields=extra)
    if extra:
        raise ApplicationError(
            "Please correct the highlighted fields: " + ", ".join(sorted(extra)) + ".",
            fields=extra,
        )


# ---------------------------------------------------------------- abuse protection


def _check_rate_limit(user: User) -> None:
    """At most ``RATE_LIMIT_PER_HOUR`` reports per person and clock hour, named and anonymous
    counted together (so a counter does not even say an anonymous one was filed). The counter
    is unlinkable once the hour has passed (:mod:`learnloop.core.ratelimit`, decision 0010)."""
    if limit_hit(RATE_LIMIT_SCOPE, str(user.pk), RATE_LIMIT_PER_HOUR, 3600):
        raise ApplicationError(
            f"You have filed {RATE_LIMIT_PER_HOUR} reports this hour; please wait a little.",
            code="rate_limited",
            status=429,
        )


# ---------------------------------------------------------------- create and update


def incident_create(
    *,
    actor: User,
    title: str,
    description: str,
    team: str | Team | None = None,
    kind: str = Kind.SERVICE_INCIDENT,
    severity: str = "",
    tags: str | Iterable[str] | None = None,
    started_at: dt.datetime | None = None,
    detected_at: dt.datetime | None = None,
    acknowledged_at: dt.datetime | None = None,
    resolved_at: dt.datetime | None = None,
    visibility: str = Visibility.TEAM,
    anonymous: bool = False,
) -> Incident:
    """File a report. With ``anonymous=True`` nothing that is stored links it to ``actor``."""
    data: dict[str, Any] = {
        "title": title,
        "description": description,
        "kind": kind or Kind.SERVICE_INCIDENT,
        "severity": severity or "",
        "visibility": visibility or Visibility.TEAM,
        "started_at": started_at,
        "detected_at": detected_at,
        "acknowledged_at": acknowledged_at,
        "resolved_at": resolved_at,
    }
    errors = incident_errors(data, actor.organisation)
    try:
        team_obj = _resolve_team(actor, team)
    except ApplicationError as exc:
        errors.update(exc.fields)
        team_obj = None
    tag_names = parse_tag_names(tags)
    try:
        check_tag_names(tag_names)
    except ApplicationError as exc:
        errors.update(exc.fields)
    incident = Incident(
        team=team_obj,
        reporter=None if anonymous else actor,
        is_anonymous=bool(anonymous),
        **data,
    )
    if team_obj is None:
        incident.team_id = None
    _full_clean(incident, errors)
    _check_rate_limit(actor)
    for _attempt in range(3):
        try:
            with transaction.atomic():
                incident.save()
                tags_set(incident, tag_names, anonymous=incident.is_anonymous)
                emit_reported(incident)  # named only: anonymous ones go in a daily batch
            break
        except IntegrityError:
            # Only a random id can collide (1 in 2**53); try again with a new one.
            if not incident.is_anonymous:
                raise
            incident.pk = None
            incident._state.adding = True
    return incident


STALE_MESSAGE = (
    "Someone else saved this report while you were editing it. Nothing was overwritten: "
    "compare both versions and choose."
)


def saved_values(incident: Incident) -> dict[str, Any]:
    """The editable fields as saved (tags as names), to compare with a stale submission."""
    values = {name: getattr(incident, name) for name in EDITABLE_FIELDS}
    values["tags"] = sorted(tag_key(t.name) for t in incident.tags.all())
    return values


def incident_update(
    *, actor: User, incident: Incident, version: int | str | None, **changes: Any
) -> Incident:
    """Change some fields (PATCH semantics: only the keys given) if nobody saved since
    ``version``; otherwise raise StaleVersion and write nothing. Team and anonymity are fixed."""
    if not can_edit_incident(actor, incident):
        raise NotFound()
    version = require_version(version)
    unknown = set(changes) - {*EDITABLE_FIELDS, "tags"}
    if unknown:
        raise ApplicationError(
            "These fields cannot be changed.",
            fields={name: ["This field cannot be changed."] for name in sorted(unknown)},
        )
    data = {k: v for k, v in changes.items() if k != "tags"}
    for name in ("kind", "visibility"):
        if name in data and not data[name]:
            data.pop(name)
    if "severity" in data:
        data["severity"] = data["severity"] or ""
    errors = _clean_text(data)
    merged = {name: getattr(incident, name) for name in TIME_FIELDS}
    merged.update(data)
    errors.update(_validate(merged, incident.team.organisation))
    for name in TIME_FIELDS:
        if name in data:
            data[name] = merged[name]
    tag_names = parse_tag_names(changes["tags"]) if "tags" in changes else None
    if tag_names is not None:
        try:
            check_tag_names(tag_names)
        except ApplicationError as exc:
            errors.update(exc.fields)
    submitted = dict(data)
    if tag_names is not None:
        submitted["tags"] = sorted(tag_key(n) for n in tag_names)
    with transaction.atomic():
        new_version = claim_version(
            Incident,
            pk=incident.pk,
            version=version,
            message=STALE_MESSAGE,
            submitted=submitted,
            saved=saved_values,
        )
        fresh = Incident.objects.select_related("team__organisation").get(pk=incident.pk)
        for name, value in data.items():
            setattr(fresh, name, value)
        fresh.version = new_version
        _full_clean(fresh, errors)
        fresh.save()
        if tag_names is not None:
            tags_set(fresh, tag_names, anonymous=fresh.is_anonymous)
    return fresh
