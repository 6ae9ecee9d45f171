"""A team's settings as team admins edit them (decision 0111): the 24-hour rule's numbers, the
cooling-off period, the reminder lead time and the default review template.

They are stored in ``Team.settings`` (JSON; the keys the rest of the code already reads:
``learning_review`` for :func:`reviews.template_services.effective_rules`,
``reminder_days_before`` for the action reminders, ``default_template`` for the picker). This
module is the one place that validates them; a save claims ``Team.version``, so a stale save is
refused like every other (decision 0014).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction

from learnloop.accounts.models import Team, User
from learnloop.accounts.visibility import can_manage_team
from learnloop.actions.jobs import DEFAULT_DAYS_BEFORE, MAX_DAYS_BEFORE, reminder_days_before
from learnloop.core.errors import ApplicationError, PermissionDenied
from learnloop.core.versioning import claim_version, require_version
from learnloop.reviews.catalogue import SHIPPED_TEMPLATES
from learnloop.reviews.content import to_int
from learnloop.reviews.models import ReviewTemplate
from learnloop.reviews.selectors import DEFAULT_TEMPLATE_SETTING, templates_for_team
from learnloop.reviews.template_services import (
    COOLING_OFF_MAX_HOURS,
    LEARNING_REVIEW_SLUG,
    MIN_COUNT_MAX,
)

_SHIPPED = next(t for t in SHIPPED_TEMPLATES if t["slug"] == LEARNING_REVIEW_SLUG)
_SHIPPED_MIN = {s["type"]: s["min_count"] for s in _SHIPPED["sections"]}
SHIPPED_RULES = {
    "cooling_off_hours": _SHIPPED["cooling_off_hours"],
    "min_learnings": _SHIPPED_MIN["learnings"],
    "min_next_steps": _SHIPPED_MIN["next_steps"],
}
# field: (label, lowest, highest)
NUMBERS: dict[str, tuple[str, int, int]] = {
    "cooling_off_hours": ("Cooling-off period (hours)", 0, COOLING_OFF_MAX_HOURS),
    "min_learnings": ("Minimum learnings", 0, MIN_COUNT_MAX),
    "min_next_steps": ("Minimum next steps", 0, MIN_COUNT_MAX),
    "reminder_days_before": ("Reminder lead time (days)", 0, MAX_DAYS_BEFORE),
}
FIELDS = (*NUMBERS, "default_template")


def team_settings(team: Team) -> dict[str, Any]:
    """The values in force for ``team`` (its own, else the shipped defaults) and its version."""
    review = (team.settings or {}).get("learning_review") or {}
    values: dict[str, Any] = {}
    for name, default in SHIPPED_RULES.items():
        value = to_int(review.get(name))
        values[name] = default if value is None else value
    values["reminder_days_before"] = reminder_days_before(team)
    chosen = (team.settings or {}).get(DEFAULT_TEMPLATE_SETTING)
    values["default_template"] = chosen if isinstance(chosen, int) else None
    values["version"] = team.version
    return values


def _clean(team: Team, submitted: Mapping[str, Any]) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    cleaned: dict[str, Any] = {}
    for name, (label, low, high) in NUMBERS.items():
        raw = submitted.get(name)
        value = to_int(raw)
        if value is None:
            errors[name] = [f"{label}: enter a whole number from {low} to {high}."]
        elif value < low:
            errors[name] = [f"{label} cannot be below {low}."]
        elif value > high:
            hint = "nobody can meet a higher minimum" if name.startswith("min_") else "at most"
            errors[name] = [f"{label}: {high} at most ({hint})."]
        else:
            cleaned[name] = value
    chosen = submitted.get("default_template")
    if chosen in (None, "", 0, "0"):
        cleaned["default_template"] = None
    elif not templates_for_team(team).filter(pk=to_int(chosen) or 0).exists():
        errors["default_template"] = ["Choose one of the templates this team can use."]
    else:
        cleaned["default_template"] = to_int(chosen)
    if errors:
        raise ApplicationError(
            "The settings were not saved: correct the marked fields.", fields=errors
        )
    return cleaned


def team_settings_update(*, actor: User, team: Team, values: Mapping[str, Any]) -> Team:
    """Save the settings a team admin (or organisation admin) submitted, from ``values["version"]``.

    Raises ApplicationError (400, per field) for a value out of range and StaleVersion (409)
    when somebody saved the settings after the version the person started from.
    """
    if not can_manage_team(actor, team):
        raise PermissionDenied("Only the team's admins change its settings.")
    version = require_version(values.get("version"))
    cleaned = _clean(team, values)
    with transaction.atomic():
        new_version = claim_version(
            Team,
            pk=team.pk,
            version=version,
            message="Someone changed this team's settings after you opened them.",
            submitted=cleaned,
            saved=lambda current: {
                k: v for k, v in team_settings(current).items() if k != "version"
            },
        )
        team = Team.objects.select_for_update().get(pk=team.pk)
        stored = dict(team.settings or {})
        stored["learning_review"] = {
            **(stored.get("learning_review") or {}),
            **{k: cleaned[k] for k in SHIPPED_RULES},
        }
        stored["reminder_days_before"] = cleaned["reminder_days_before"]
        if cleaned["default_template"] is None:
            stored.pop(DEFAULT_TEMPLATE_SETTING, None)
        else:
            stored[DEFAULT_TEMPLATE_SETTING] = cleaned["default_template"]
        team.settings = stored
        team.version = new_version
        team.save(update_fields=["settings", "version", "updated_at"])
    return team


def template_choices(team: Team) -> list[tuple[str, str]]:
    """The default-template choices: "by kind" (empty), then the templates the team can use."""
    templates: list[ReviewTemplate] = list(templates_for_team(team))
    return [("", "Choose by the incident's kind (recommended)")] + [
        (str(t.pk), t.name) for t in templates
    ]


__all__ = ["DEFAULT_DAYS_BEFORE", "FIELDS", "team_settings", "team_settings_update"]
